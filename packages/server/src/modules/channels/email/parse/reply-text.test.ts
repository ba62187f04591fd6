import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFragments, trimReply, visibleText } from './reply-text.ts';
import { CORPUS } from '../testing/corpus.ts';

const dir = path.join(CORPUS, 'email_reply_parser');
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'EXPECTED.json'), 'utf8')) as Record<string, any>;
const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');

describe('email_reply_parser corpus', () => {
  for (const [file, exp] of Object.entries(expected)) {
    if (file.startsWith('_')) continue;
    it(`parses ${file} as upstream does`, () => {
      const started = performance.now();
      const fragments = parseFragments(read(file));
      const elapsed = (performance.now() - started) / 1000;
      if (exp.max_seconds) expect(elapsed).toBeLessThan(exp.max_seconds); // the ReDoS guard upstream asserts
      if (exp.fragments !== undefined) expect(fragments).toHaveLength(exp.fragments);
      if (exp.quoted) expect(fragments.map((f) => f.isQuoted)).toEqual(exp.quoted);
      if (exp.signature) expect(fragments.map((f) => f.isSignature)).toEqual(exp.signature);
      if (exp.hidden) expect(fragments.map((f) => f.isHidden)).toEqual(exp.hidden);
      for (const [i, re] of Object.entries((exp.match ?? {}) as Record<string, string>)) expect(fragments[Number(i)]!.content).toMatch(new RegExp(re, 'm')); // Ruby's ^ is a line start
      for (const key of Object.keys(exp)) {
        const m = /^fragment(\d+)_(exact|contains)$/.exec(key);
        if (!m) continue;
        const content = fragments[Number(m[1])]!.content;
        if (m[2] === 'exact') expect(content).toBe(exp[key]); else expect(content).toContain(exp[key]);
      }
      if (exp.visible_text !== undefined) expect(visibleText(fragments)).toBe(exp.visible_text);
      trimReply(read(file)); // the product's trimming must also finish on every input
      expect((performance.now() - started) / 1000).toBeLessThan(exp.max_seconds ?? 5);
    });
  }
});

describe('reply trimming in many languages', () => {
  const cases: [string, string][] = [
    ['en', 'On Mon, 3 Feb 2025 at 10:12, Careline Support <support@acme.test> wrote:'],
    ['de', 'Am Mo., 3. Feb. 2025 um 10:12 Uhr schrieb Careline Support <support@acme.test>:'],
    ['fr', 'Le lun. 3 févr. 2025 à 10:12, Careline Support <support@acme.test> a écrit :'],
    ['es', 'El lun, 3 feb 2025 a las 10:12, Careline Support (<support@acme.test>) escribió:'],
    ['pl', 'W dniu pon., 3.02.2025 o 10:12 Careline Support <support@acme.test> napisał(a):'],
    ['pl2', 'Dnia 3 lutego 2025 10:12 Careline Support <support@acme.test> napisał:'],
    ['vi', 'Vào Th 2, 3 thg 2, 2025 lúc 10:12 Careline Support <support@acme.test> đã viết:'],
    ['ru', 'пн, 3 февр. 2025 г. в 10:12, Careline Support <support@acme.test>:'],
    ['ru2', '3 февраля 2025 г., 10:12 пользователь Careline Support <support@acme.test> написал:'],
    ['nl', 'Op ma 3 feb 2025 om 10:12 schreef Careline Support <support@acme.test>:'],
  ];
  for (const [lang, header] of cases) {
    it(`folds the quote under a ${lang} "wrote:" header`, () => {
      const mail = `Thanks, the new password works.\n\nEmma\n\n${header}\n\n> Please try resetting your password.\n> Careline\n`;
      const r = trimReply(mail);
      expect(r.isTrimmed).toBe(true);
      expect(r.text).toBe('Thanks, the new password works.\n\nEmma');
    });
  }

  it('folds a wrapped Gmail header', () => {
    const r = trimReply('Yes please.\n\nOn Mon, 3 Feb 2025 at 10:12, Careline Support <\nsupport@acme.test> wrote:\n\n> Shall we refund?\n');
    expect(r.text).toBe('Yes please.');
  });

  it('folds Outlook header blocks in several languages', () => {
    for (const [from, sent, to, subject] of [
      ['From', 'Sent', 'To', 'Subject'], ['Von', 'Gesendet', 'An', 'Betreff'], ['De', 'Envoyé', 'À', 'Objet'],
      ['Od', 'Wysłano', 'Do', 'Temat'], ['Từ', 'Đã gửi', 'Đến', 'Chủ đề'], ['От', 'Отправлено', 'Кому', 'Тема'],
    ]) {
      const mail = `It still fails.\r\n\r\n________________________________\r\n${from}: Careline <support@acme.test>\r\n${sent}: Monday, 3 February 2025 10:12\r\n${to}: Emma <emma@example.com>\r\n${subject}: Re: Login\r\n\r\nPlease try again.\r\n`;
      expect(trimReply(mail).text).toBe('It still fails.');
    }
  });

  it('folds forwarded blocks and original-message separators', () => {
    expect(trimReply('See below.\n\n---------- Forwarded message ---------\nFrom: Bob <bob@x.test>\nDate: Mon\nSubject: Order\n\nWhere is my order?').text).toBe('See below.');
    expect(trimReply('Bitte prüfen.\n\n-----Ursprüngliche Nachricht-----\nVon: Bob\nGesendet: Montag\nAn: Support\nBetreff: Test\n\nAlt').text).toBe('Bitte prüfen.');
    expect(trimReply('Proszę o pomoc.\n\n-----Wiadomość oryginalna-----\nOd: Bob\n').text).toBe('Proszę o pomoc.');
  });

  it('keeps a pure forward whole (there is no new text to show)', () => {
    const mail = '---------- Forwarded message ---------\nFrom: Bob <bob@x.test>\nSubject: Order\n\nWhere is my order?';
    expect(trimReply(mail)).toEqual({ text: mail, isTrimmed: false });
  });

  it('folds signatures and "Sent from my iPhone"', () => {
    expect(trimReply('Works now, thanks!\n\n-- \nEmma Jones\nACME Ltd').text).toBe('Works now, thanks!');
    expect(trimReply('Works now\n\nSent from my iPhone').text).toBe('Works now');
  });

  it('does not cut prose that merely mentions writing', () => {
    const mail = 'On Monday my colleague wrote the report and I sent it.\nCan you check it?';
    expect(trimReply(mail)).toEqual({ text: mail, isTrimmed: false });
  });
});
