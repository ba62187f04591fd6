import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';

/**
 * Raw RFC 5322 bytes → what the email channel needs. Never throws: a message mailparser cannot read
 * still yields its headers and text as far as they can be recovered, with a warning. Bodies are capped
 * so a hostile message cannot exhaust memory (the raw original is kept in the blob store regardless).
 */
export const MAX_HTML_CHARS = 2 * 1024 * 1024;
export const MAX_TEXT_CHARS = 1024 * 1024;
const PARSE_TIMEOUT_MS = 20_000;

export type Address = { address: string; name: string };
export type MailAttachment = { filename: string; contentType: string; content: Buffer; contentId: string | null; isInline: boolean };
export type Bounce = { originalMessageId: string | null; recipients: string[]; status: string | null; diagnostic: string | null; action: string | null };
export type ParsedEmail = {
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  from: Address | null;
  replyTo: Address | null;
  originalSender: string | null;
  to: Address[];
  cc: Address[];
  deliveredTo: string[];
  subject: string;
  date: string | null;
  text: string;
  html: string | null;
  attachments: MailAttachment[];
  headers: Record<string, string>;
  bounce: Bounce | null;
  warnings: string[];
};

export const normaliseMessageId = (id: string | null | undefined) => {
  const v = (id ?? '').trim().replace(/^<|>$/g, '').trim();
  return v && v.length <= 500 && !/\s/.test(v) ? v : null;
};

/** Message-IDs in a header value, in order: `<a@b> <c@d>`, or bare ids when a client forgot the brackets. */
export const messageIdsIn = (value: unknown): string[] => {
  const text = Array.isArray(value) ? value.join(' ') : typeof value === 'string' ? value : '';
  const bracketed = [...text.matchAll(/<([^<>\s]{1,500})>/g)].map((m) => m[1]!);
  const ids = bracketed.length ? bracketed : text.split(/[\s,]+/).map(normaliseMessageId).filter((x): x is string => !!x && x.includes('@'));
  return [...new Set(ids)].slice(0, 100);
};

const addresses = (v: AddressObject | AddressObject[] | undefined): Address[] => {
  const list = (Array.isArray(v) ? v : v ? [v] : []).flatMap((o) => o.value ?? []);
  const flat = list.flatMap((a) => (a.group ? a.group : [a]));
  return flat.filter((a) => a.address && /^[^\s@]+@[^\s@]+$/.test(a.address))
    .map((a) => ({ address: a.address!.toLowerCase(), name: (a.name ?? '').trim().slice(0, 200) }));
};

const headerText = (v: unknown): string => {
  if (v == null) return '';
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object' && 'text' in (v as object)) return String((v as { text: unknown }).text);
  if (typeof v === 'object' && 'value' in (v as object)) return String((v as { value: unknown }).value);
  return String(v);
};

const stripTags = (html: string) => html.slice(0, MAX_HTML_CHARS)
  .replace(/<(script|style)[^>]*>[^<]*<\/\1>/gi, ' ').replace(/<[^>]{0,2000}>/g, ' ').replace(/&nbsp;/g, ' ')
  .replace(/[ \t]+/g, ' ').replace(/\n\s*\n\s*\n+/g, '\n\n').trim();

export const parseEmail = async (raw: Buffer): Promise<ParsedEmail> => {
  const warnings: string[] = [];
  let mail: ParsedMail | null = null;
  try {
    let timer: NodeJS.Timeout | undefined;
    mail = await Promise.race([
      simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true, keepCidLinks: true, keepDeliveryStatus: true, maxHtmlLengthToParse: MAX_HTML_CHARS }),
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('parse timed out')), PARSE_TIMEOUT_MS); timer.unref(); }),
    ]).finally(() => clearTimeout(timer));
  } catch (error) {
    warnings.push(`unparseable: ${String((error as Error)?.message ?? error).slice(0, 200)}`);
  }
  if (!mail) return fallbackParse(raw, warnings);

  const headers: Record<string, string> = {};
  for (const [k, v] of mail.headers) headers[k.toLowerCase()] = headerText(v).slice(0, 2000);

  let html = typeof mail.html === 'string' ? mail.html : null;
  let text = mail.text ?? '';
  if (html && html.length > MAX_HTML_CHARS) {
    warnings.push(`html_too_large: ${html.length} characters; showing text only`);
    if (!text.trim()) text = stripTags(html);
    html = null;
  }
  if (text.length > MAX_TEXT_CHARS) {
    warnings.push(`text_truncated: ${text.length} characters`);
    text = `${text.slice(0, MAX_TEXT_CHARS)}\n…`;
  }

  const referencedCids = new Set([...(html ?? '').matchAll(/cid:([^"'\s>)]+)/gi)].map((m) => decodeURIComponent(m[1]!).toLowerCase()));
  const attachments: MailAttachment[] = [];
  let bounce = null as Bounce | null;
  let n = 0;
  for (const a of mail.attachments ?? []) {
    n++;
    const contentType = (a.contentType || 'application/octet-stream').toLowerCase();
    const contentId = normaliseMessageId(a.contentId ?? a.cid ?? null);
    if (contentType === 'message/delivery-status' || contentType === 'message/global-delivery-status') {
      bounce = { ...parseDeliveryStatus(a.content.toString('utf8')), originalMessageId: bounce?.originalMessageId ?? null };
      text = `${text}\n\n${a.content.toString('utf8').trim()}`.trim();
      continue;
    }
    if (contentType === 'message/rfc822' || contentType === 'text/rfc822-headers' || contentType === 'message/rfc822-headers') {
      const original = normaliseMessageId(/^message-id:\s*(.+)$/im.exec(a.content.subarray(0, 64 * 1024).toString('utf8'))?.[1]);
      if (original) bounce = { ...(bounce ?? { recipients: [], status: null, diagnostic: null, action: null }), originalMessageId: original };
    }
    const ext = contentType === 'message/rfc822' ? 'eml' : (contentType.split('/')[1] ?? 'bin').replace(/[^a-z0-9]/g, '').slice(0, 8) || 'bin';
    const isInline = !!contentId && referencedCids.has(contentId.toLowerCase());
    attachments.push({ filename: a.filename || `attachment-${n}.${ext}`, contentType, content: a.content, contentId, isInline });
  }
  const isReport = /multipart\/report/i.test(headers['content-type'] ?? '') && /delivery-status/i.test(headers['content-type'] ?? '');
  if (bounce && !isReport && bounce.status === null && bounce.action === null) bounce = null; // a forwarded .eml, not a DSN

  let from: Address | null = addresses(mail.from)[0] ?? null;
  if (!from) from = repeatedFrom(raw); // a broken first From: header followed by a usable one
  let subject = (mail.subject ?? '').replace(/\s+/g, ' ').trim().slice(0, 1000);
  // Undeclared 8-bit header bytes (raw GB2312 / Shift_JIS in Subject or From) decode to U+FFFD; guess the charset.
  if (subject.includes('\uFFFD') || from?.name.includes('\uFFFD')) {
    const fixed = decodeRawHeaders(raw);
    if (fixed.subject) subject = fixed.subject.replace(/\s+/g, ' ').trim().slice(0, 1000);
    if (fixed.fromName && from) from = { ...from, name: fixed.fromName };
  }
  return {
    messageId: normaliseMessageId(mail.messageId),
    inReplyTo: messageIdsIn(mail.inReplyTo),
    references: messageIdsIn(mail.references),
    from, replyTo: addresses(mail.replyTo)[0] ?? null,
    originalSender: /^[^\s@<>]+@[^\s@<>]+$/.test(headers['x-original-sender'] ?? '') ? headers['x-original-sender']!.toLowerCase() : null,
    to: addresses(mail.to), cc: addresses(mail.cc),
    deliveredTo: [...(headers['delivered-to'] ?? '').matchAll(/[^\s<>,]+@[^\s<>,]+/g)].map((m) => m[0].toLowerCase()),
    subject,
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null,
    text, html, attachments, headers, bounce, warnings,
  };
};

/** RFC 3464 fields of a message/delivery-status part. */
const parseDeliveryStatus = (body: string): Omit<Bounce, 'originalMessageId'> => {
  const field = (name: string) => new RegExp(`^${name}:\\s*(.+(?:\\n[ \\t].+)*)$`, 'im').exec(body)?.[1]?.replace(/\s+/g, ' ').trim() ?? null;
  const recipients = [...body.matchAll(/^(?:final|original)-recipient:\s*(?:rfc822;)?\s*<?([^\s<>]+@[^\s<>]+)>?/gim)].map((m) => m[1]!.toLowerCase());
  return { recipients: [...new Set(recipients)], status: field('Status'), diagnostic: field('Diagnostic-Code')?.slice(0, 1000) ?? null, action: field('Action') };
};

/** When mailparser fails: headers by hand, the body as text. */
export const fallbackParse = (raw: Buffer, warnings: string[]): ParsedEmail => {
  const head = raw.subarray(0, 256 * 1024).toString('latin1');
  const split = head.search(/\r?\n\r?\n/);
  const headerBlock = split >= 0 ? head.slice(0, split) : head;
  const headers: Record<string, string> = {};
  for (const m of headerBlock.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = m.indexOf(':');
    if (i > 0) headers[m.slice(0, i).trim().toLowerCase()] ??= m.slice(i + 1).trim().slice(0, 2000);
  }
  const addr = (v?: string): Address | null => {
    const m = /([^\s<>"]+@[^\s<>"]+)/.exec(v ?? '');
    return m ? { address: m[1]!.toLowerCase(), name: (v ?? '').replace(/<[^>]*>/, '').replace(/"/g, '').trim().slice(0, 200) } : null;
  };
  const body = split >= 0 ? raw.subarray(Buffer.byteLength(head.slice(0, split), 'latin1')).toString('utf8').trim() : '';
  return {
    messageId: normaliseMessageId(headers['message-id']), inReplyTo: messageIdsIn(headers['in-reply-to']), references: messageIdsIn(headers['references']),
    from: addr(headers.from), replyTo: addr(headers['reply-to']), originalSender: null, to: [addr(headers.to)].filter((a): a is Address => !!a), cc: [],
    deliveredTo: [], subject: (headers.subject ?? '').slice(0, 1000), date: null,
    text: body.slice(0, MAX_TEXT_CHARS), html: null, attachments: [], headers, bounce: null, warnings,
  };
};

const CJK = ['shift_jis', 'euc-jp', 'gbk', 'big5', 'euc-kr'];
/** Decodes raw 8-bit Subject / From display names: the declared charset, CJK encodings, then windows-1252. */
const decodeRawHeaders = (raw: Buffer) => {
  const end = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  const head = raw.subarray(0, end > 0 ? Math.min(end, 256 * 1024) : 64 * 1024);
  const declared = /charset="?([\w.:-]+)"?/i.exec(raw.subarray(0, 512 * 1024).toString('latin1'))?.[1]?.toLowerCase();
  const line = (name: string) => {
    const m = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head.toString('latin1'));
    return m ? Buffer.from(m[1]!.replace(/\r?\n[ \t]+/g, ' '), 'latin1') : null;
  };
  const decode = (bytes: Buffer | null) => {
    if (!bytes) return null;
    const high = bytes.filter((b) => b >= 0x80).length;
    if (!high) return null;
    const isMultibyte = (cs?: string) => !!cs && /jis|2022|euc|gb|big5|kr|cp9|ks_c/.test(cs);
    const order = high / bytes.length > 0.3
      ? [...(isMultibyte(declared) ? [declared!] : []), ...CJK, ...(declared ? [declared] : []), 'windows-1252']
      : [...(declared ? [declared] : []), 'windows-1252'];
    for (const cs of order) {
      try {
        const text = new TextDecoder(cs).decode(bytes);
        if (!text.includes('\uFFFD')) return text;
      } catch { /* unknown label */ }
    }
    return null;
  };
  const fromName = decode(line('from'))?.replace(/<[^>]*>/, '').replace(/"/g, '').trim() ?? null;
  return { subject: decode(line('subject')), fromName };
};

const repeatedFrom = (raw: Buffer): Address | null => {
  const end = raw.indexOf('\n\r\n') >= 0 ? raw.indexOf('\n\r\n') : raw.indexOf('\n\n');
  const head = raw.subarray(0, end > 0 ? Math.min(end, 256 * 1024) : 64 * 1024).toString('utf8');
  for (const m of head.matchAll(/^From:[ \t]*(.*)$/gim)) {
    const a = /<([^\s<>@]+@[^\s<>@]+)>/.exec(m[1]!)?.[1];
    if (a) return { address: a.toLowerCase(), name: '' };
  }
  return null;
};
