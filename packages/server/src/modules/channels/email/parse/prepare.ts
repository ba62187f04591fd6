import { fallbackParse, parseEmail, type ParsedEmail } from './parse-mail.ts';
import { renderBody, type RenderedBody } from './render.ts';

/**
 * The pure, CPU-bound part of ingesting an email: raw bytes → parsed message and the body as it is stored
 * for display (sanitised, quotes folded). No database, no I/O: it runs in the parse worker pool.
 * Attachments are stored later, so inline images (cid:) point at placeholders that resolveCids()
 * replaces with the stored attachments' URLs.
 */
export type PreparedEmail = { mail: ParsedEmail; body: RenderedBody };

const CID_PLACEHOLDER = 'https://cid.careline.invalid/';
const PLACEHOLDER_RE = /https:\/\/cid\.careline\.invalid\/(\d{1,6})/g;

export const prepareEmail = async (raw: Buffer): Promise<PreparedEmail> => {
  const mail = await parseEmail(raw);
  return { mail, body: render(mail) };
};

/** What is shown when the parse failed, hung or crashed its worker: headers and text as far as they can be read. */
export const preparedFallback = (raw: Buffer, warning: string): PreparedEmail => {
  const mail = fallbackParse(raw, [warning]);
  return { mail, body: render(mail) };
};

const render = (mail: ParsedEmail) => {
  const placeholders = new Map<string, string>();
  mail.attachments.forEach((a, i) => { if (a.contentId) placeholders.set(a.contentId.toLowerCase(), `${CID_PLACEHOLDER}${i}`); });
  return renderBody(mail, placeholders);
};

/** Placeholders → the URLs of the stored attachments (index i = the message's i-th attachment). */
export const resolveCids = (html: string | null, urls: string[]) =>
  html === null ? null : html.replace(PLACEHOLDER_RE, (_, i: string) => urls[Number(i)] ?? '');
