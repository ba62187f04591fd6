// Pure helpers of the email composer (no React, no DOM): tested in addresses.test.ts.

import type { Language } from '@careline/shared';

/**
 * The address rule of the server's contracts (zod's `z.email()`, packages/shared/src/email.ts), kept
 * here as a plain regex so the agent app's bundle does not carry zod.
 */
const EMAIL = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;
export const MAX_RECIPIENTS = 50;
export const isEmail = (s: string) => s.length <= 254 && EMAIL.test(s);

/**
 * Addresses out of what an agent types or pastes: "a@x.com, b@y.com", one per line, or the
 * "Name <a@x.com>" form mail clients copy. Returns the valid addresses (lower-cased, without repeats)
 * and the pieces that are not addresses.
 */
export const parseAddresses = (input: string) => {
  const valid: string[] = [];
  const invalid: string[] = [];
  const take = (address: string) => { const a = address.trim().replace(/^mailto:/i, '').toLowerCase(); if (!isEmail(a)) return false; if (!valid.includes(a)) valid.push(a); return true; };
  // Entries are separated by commas, semicolons or new lines outside quotes and angle brackets
  // ("Nowak, Ola" <ola@x.pl> is one entry).
  const entries: string[] = [];
  let cur = '';
  let quoted = false;
  let angle = false;
  for (const ch of input) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '<' && !quoted) angle = true;
    else if (ch === '>' && !quoted) angle = false;
    if (!quoted && !angle && /[,;\r\n]/.test(ch)) { entries.push(cur); cur = ''; continue; }
    cur += ch;
  }
  entries.push(cur);
  for (const raw of entries) {
    const entry = raw.trim();
    if (!entry) continue;
    const named = /<([^<>]*)>$/.exec(entry);
    if (named) { if (!take(named[1]!)) invalid.push(entry); continue; }
    // Without a name, spaces separate addresses too ("a@x.com b@y.com").
    const bad = entry.split(/\s+/).filter((token) => !take(token));
    if (bad.length) invalid.push(bad.join(' '));
  }
  return { valid, invalid };
};

/** Puts `insert` at the caret (replacing a selection), with a space on either side where it would touch a word. */
export const insertAt = (text: string, start: number, end: number, insert: string) => {
  const before = text.slice(0, start);
  const after = text.slice(end);
  const pad = before && !/\s$/.test(before) ? ' ' : '';
  const tail = after && !/^\s/.test(after) ? ' ' : '';
  return { text: `${before}${pad}${insert}${tail}${after}`, caret: before.length + pad.length + insert.length + tail.length };
};

/**
 * The language of the conversation: the customer's language when known; otherwise guessed from the
 * letters only Vietnamese or Polish use; null (every language) when the text says nothing.
 */
export const conversationLanguage = (contact: { language: Language | null } | null, text: string): Language | null => {
  if (contact?.language) return contact.language;
  if (/[ăâđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i.test(text)) return 'vi';
  if (/[ąćęłńśźż]/i.test(text)) return 'pl';
  return null;
};

