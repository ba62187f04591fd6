import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { conversationLanguage, insertAt, isEmail, parseAddresses } from './addresses.ts';

describe('address chips: what an agent types or pastes', () => {
  it('accepts exactly what the server accepts (zod email)', () => {
    const samples = ['anna@example.com', 'ola.nowak+tag@lumen-partner.pl', "o'brien@example.ie", 'a@b.c', 'no-at-sign', 'two@@example.com', 'x@example', '.dot@example.com',
      'trailing.@example.com', 'space in@example.com', 'khach.hang@example.vn', 'UPPER@EXAMPLE.COM', 'a@-bad.com', 'ünï@example.com'];
    for (const s of samples) expect([s, isEmail(s)]).toEqual([s, z.email().safeParse(s).success]);
  });

  it('splits on commas, semicolons, spaces and new lines; lower-cases; drops repeats', () => {
    expect(parseAddresses('a@x.com, B@Y.com;c@z.org\nd@w.net a@x.com')).toEqual({ valid: ['a@x.com', 'b@y.com', 'c@z.org', 'd@w.net'], invalid: [] });
  });

  it('reads the "Name <address>" form mail clients copy, quoted names with commas included', () => {
    expect(parseAddresses('Szef <szef@lumen-partner.pl>; "Nowak, Ola" <ola.nowak@example.com>, Anna Maria Kowal <anna@example.com>, mailto:x@y.pl'))
      .toEqual({ valid: ['szef@lumen-partner.pl', 'ola.nowak@example.com', 'anna@example.com', 'x@y.pl'], invalid: [] });
  });

  it('returns what is not an address, name words without an address included', () => {
    expect(parseAddresses('good@example.com, nie-adres@, just words, Bad <nope>')).toEqual({ valid: ['good@example.com'], invalid: ['nie-adres@', 'just words', 'Bad <nope>'] });
  });
});

describe('inserting a help-article link at the cursor', () => {
  it('keeps a space on either side where it would touch a word, and puts the caret after it', () => {
    expect(insertAt('See here.', 4, 4, 'T: https://h/x')).toEqual({ text: 'See T: https://h/x here.', caret: 19 });
    expect(insertAt('works:\n\nbye', 6, 6, 'L')).toEqual({ text: 'works: L\n\nbye', caret: 8 });
    expect(insertAt('', 0, 0, 'L')).toEqual({ text: 'L', caret: 1 });
    expect(insertAt('replace ME now', 8, 10, 'L')).toEqual({ text: 'replace L now', caret: 9 });
  });
});

describe('the language of a conversation for suggestions', () => {
  it("uses the customer's language, else letters only Vietnamese or Polish use, else every language", () => {
    expect(conversationLanguage({ language: 'pl' }, 'Hello')).toBe('pl');
    expect(conversationLanguage(null, 'Tôi muốn đổi trả sản phẩm')).toBe('vi');
    expect(conversationLanguage({ language: null }, 'Chcę zwrócić lampę, jest uszkodzona')).toBe('pl');
    expect(conversationLanguage(null, 'I would like to return the lamp')).toBeNull();
  });
});
