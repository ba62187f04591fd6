import type { ParsedEmail } from './parse-mail.ts';
import { foldHtmlQuotes, htmlToText, rewriteCids, sanitizeEmailHtml } from './html.ts';
import { trimReply } from './reply-text.ts';

export type RenderedBody = {
  /** The customer's new text (quotes, forwarded history and signatures folded away). */
  text: string;
  /** Sanitised HTML of the same, or null for plain-text mail. */
  html: string | null;
  isTrimmed: boolean;
  /** The whole original, one field away (only when something was folded). */
  full: { text: string; html: string | null } | null;
};

/** Turns a parsed message into what is stored for display. cid: links point at stored attachments. */
export const renderBody = (mail: ParsedEmail, urlByCid: Map<string, string>): RenderedBody => {
  const safeHtml = (h: string) => sanitizeEmailHtml(rewriteCids(h, urlByCid)).trim() || null;
  const fullHtml = mail.html ? safeHtml(mail.html) : null;
  // Plain text of the whole message: the text part, else the text of the HTML part.
  const fullText = (mail.text.trim() || (fullHtml ? htmlToText(fullHtml) : '')).replace(/\r\n?/g, '\n').trim();

  const folded = mail.html ? foldHtmlQuotes(mail.html) : null;
  const trimmedHtml = folded ? safeHtml(folded) : fullHtml;
  const textTrim = trimReply(fullText);
  // The text part decides the visible text; an HTML-only mail takes it from the folded HTML.
  const text = mail.text.trim() ? textTrim.text : trimmedHtml === fullHtml ? fullText : trimmedHtml ? htmlToText(trimmedHtml) : '';
  const isTrimmed = !!folded || textTrim.isTrimmed;
  return { text, html: trimmedHtml, isTrimmed, full: isTrimmed ? { text: fullText, html: fullHtml } : null };
};
