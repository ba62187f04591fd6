import { sanitizeMessageHtml } from '../../../../platform/html/sanitize-message-html.ts';
import { parseDocument } from 'htmlparser2';
import { getOuterHTML, removeElement, textContent } from 'domutils';
import type { AnyNode, Element } from 'domhandler';

/**
 * HTML bodies: quote folding (Gmail, Outlook, Apple Mail, Thunderbird, Yahoo, Proton, Zimbra styles),
 * cid: → our attachment URLs, and sanitising before anything is stored for display.
 */
const isElement = (n: AnyNode): n is Element => n.type === 'tag' || n.type === 'script' || n.type === 'style';
const cls = (e: Element) => ` ${e.attribs.class ?? ''} `;
const hasClass = (e: Element, c: string) => cls(e).includes(` ${c} `);

/** A node whose whole subtree is quoted history (removed alone). */
const isQuoteNode = (e: Element) =>
  hasClass(e, 'gmail_quote') || hasClass(e, 'gmail_quote_container') || hasClass(e, 'gmail_extra') || hasClass(e, 'yahoo_quoted') ||
  hasClass(e, 'protonmail_quote') || hasClass(e, 'moz-cite-prefix') || hasClass(e, 'zmail_extra') || hasClass(e, 'gmail_signature') ||
  (e.name === 'blockquote' && (e.attribs.type ?? '').toLowerCase() === 'cite') ||
  e.attribs['data-marker'] === '__QUOTED_TEXT__' || e.attribs['data-marker'] === '__SIG_PRE__' || hasClass(e, 'moz-signature') ||
  e.attribs.id === 'OLK_SRC_BODY_SECTION' || hasClass(e, 'x_gmail_quote') || e.attribs.name === 'quote';

/** A node that starts the quoted history: it and everything after it (at every level up) is history. */
const isQuoteStart = (e: Element) => {
  const id = e.attribs.id ?? '';
  if (id === 'divRplyFwdMsg' || id === 'x_divRplyFwdMsg' || id === 'appendonsend' || id === 'x_appendonsend' || id === 'mail-editor-reference-message-container') return true;
  const style = (e.attribs.style ?? '').replace(/\s+/g, '').toLowerCase();
  // Outlook desktop: <div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p><b>From:</b> …
  if (e.name === 'div' && style.includes('border-top:solid') && /^(from|von|de|od|từ|от|van|da|fra|från)\s?:/i.test(textContent(e).trim())) return true;
  return false;
};

const removeFromHere = (node: AnyNode) => {
  let n: AnyNode | null = node;
  while (n && n.parent) {
    let next: AnyNode | null = n.next;
    while (next) { const after: AnyNode | null = next.next; removeElement(next); next = after; }
    n = n.parent.type === 'root' ? null : n.parent;
  }
  removeElement(node);
};

/**
 * Every marker isQuoteNode / isQuoteStart look for leaves one of these strings in the source; without any,
 * there is nothing to fold and the (costly, for big newsletters) DOM parse is skipped.
 */
const QUOTE_HINT = /gmail_|yahoo_quoted|protonmail_quote|moz-cite-prefix|moz-signature|zmail_extra|<blockquote|data-marker|OLK_SRC_BODY_SECTION|RplyFwdMsg|appendonsend|reference-message-container|border\s*-\s*top\s*:\s*solid|name\s*=\s*["']?quote/i;

/** Removes quoted history from an HTML body; returns null when nothing was folded or nothing would remain. */
export const foldHtmlQuotes = (html: string): string | null => {
  if (!QUOTE_HINT.test(html)) return null;
  const doc = parseDocument(html, { decodeEntities: true });
  let changed = false;
  const stack: AnyNode[] = [...doc.children];
  const starts: Element[] = [];
  const quotes: Element[] = [];
  while (stack.length) {
    const n = stack.pop()!;
    if (!isElement(n)) continue;
    if (isQuoteStart(n)) { starts.push(n); continue; }
    if (isQuoteNode(n)) { quotes.push(n); continue; }
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  for (const q of quotes) { removeElement(q); changed = true; }
  // Earliest start last, so removing later ones never touches a detached subtree.
  for (const s of starts.reverse()) { if (s.parent) { removeFromHere(s); changed = true; } }
  if (!changed) return null;
  const out = getOuterHTML(doc.children, { decodeEntities: true, encodeEntities: 'utf8' });
  const hasImages = /<img\b/i.test(out);
  return textContent(doc).trim() || hasImages ? out : null;
};

/** cid:xyz → /api/v1/attachments/<id> (the agent app loads it with the agent's session). */
export const rewriteCids = (html: string, urlByCid: Map<string, string>) =>
  html.replace(/(["'(\s=])cid:([^"'\s>)]+)/gi, (whole, lead: string, cid: string) => {
    const url = urlByCid.get(decodeURIComponent(cid).toLowerCase());
    return url ? `${lead}${url}` : whole;
  });

/** Email HTML gets the same treatment as any message HTML from outside. */
export const sanitizeEmailHtml = sanitizeMessageHtml;

const BLOCK = new Set(['p', 'div', 'br', 'tr', 'li', 'ul', 'ol', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'hr', 'section', 'article', 'header', 'footer', 'center', 'dl', 'dt', 'dd']);
const SKIP = new Set(['style', 'script', 'head', 'title', 'noscript', 'template']);

/** Readable text of (sanitised) HTML in one pass over the DOM: blocks on their own lines, list items bulleted. */
export const htmlToText = (html: string) => {
  const doc = parseDocument(html, { decodeEntities: true });
  const out: string[] = [];
  const stack: (AnyNode | string)[] = [...doc.children].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (typeof n === 'string') { out.push(n); continue; }
    if (n.type === 'text') { out.push((n as unknown as { data: string }).data.replace(/[ \t\r\n]+/g, ' ')); continue; }
    if (!isElement(n) || SKIP.has(n.name)) continue;
    const block = BLOCK.has(n.name);
    if (block) out.push('\n');
    if (n.name === 'li') out.push('• ');
    if (n.name === 'td' || n.name === 'th') out.push(' ');
    if (block) stack.push(n.name === 'p' || n.name === 'blockquote' ? '\n\n' : '\n');
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return out.join('').replace(/\u00a0/g, ' ').replace(/[ \t]+\n/g, '\n').replace(/\n[ \t]+/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
};
