import type { TMessage } from '@careline/shared';
import { emailMeta } from './email.tsx';

export type SplitBody = {
  /** What to show first: the new text (and its HTML, when the message has one). */
  body: string; html: string | null;
  /** The folded history as text (plain-text mail, or any body with quote markers), or null. */
  quoted: string | null;
  /** The whole original as HTML, shown instead of `html` when the agent unfolds the quote. */
  fullHtml: string | null;
};

/**
 * Splits a message into what the customer wrote now and the quoted history. The email channel has
 * already done it (see email.tsx): message.text / message.html hold the trimmed reply and
 * metadata.email.full = { text, html } the whole original (present only when something was folded).
 * Other bodies (chat, API) fold the usual quote markers ("On … wrote:", "-----Original Message-----",
 * trailing "> " lines).
 */
export const splitQuote = (m: TMessage): SplitBody => {
  const email = emailMeta(m);
  if (email) {
    const full = email.full;
    if (!full) return { body: m.text, html: m.html, quoted: null, fullHtml: null };
    const own = m.text.trim();
    const rest = own && full.text.startsWith(own) ? full.text.slice(own.length).trim() : full.text.trim();
    const quoted = rest && rest !== own ? rest : null;
    const fullHtml = m.html && full.html && full.html !== m.html ? full.html : null;
    return { body: m.text, html: m.html, quoted: fullHtml ? null : quoted, fullHtml };
  }
  const lines = m.text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const isHeader = /^(on .{4,200} wrote:|w dniu .{4,200} napisał\(a\)?:|vào .{4,200} đã viết:|-{2,}\s*original message\s*-{2,}|-{2,}\s*wiadomość oryginalna\s*-{2,}|from: .+)$/i.test(line);
    const restQuoted = lines.slice(i).every((l) => !l.trim() || l.trimStart().startsWith('>'));
    if (isHeader || (line.startsWith('>') && restQuoted)) {
      const body = lines.slice(0, i).join('\n').trimEnd();
      if (body.trim()) return { body, html: m.html, quoted: lines.slice(i).join('\n').trim(), fullHtml: null };
    }
  }
  return { body: m.text, html: m.html, quoted: null, fullHtml: null };
};
