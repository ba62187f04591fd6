import { describe, expect, it } from 'vitest';
import { textToHtml } from './send-mail.ts';

describe('the HTML part of a plain-text email reply', () => {
  it('keeps paragraphs and line breaks, escapes markup, and makes URLs clickable without the sentence punctuation', () => {
    const html = textToHtml('Hi <Ola> & co,\nsee Returns: https://help.example/en/articles/returns?x=1&y=2.\n\n(Or https://help.example/pl/a/zwroty)');
    expect(html).toBe([
      '<p>Hi &lt;Ola&gt; &amp; co,<br>see Returns: <a href="https://help.example/en/articles/returns?x=1&amp;y=2">https://help.example/en/articles/returns?x=1&amp;y=2</a>.</p>',
      '<p>(Or <a href="https://help.example/pl/a/zwroty">https://help.example/pl/a/zwroty</a>)</p>',
    ].join('\n'));
  });

  it('never turns a javascript: or quoted text into a link', () => {
    expect(textToHtml('javascript:alert(1) "https://x.example/" ok')).toBe('<p>javascript:alert(1) &quot;<a href="https://x.example/">https://x.example/</a>&quot; ok</p>');
  });
});
