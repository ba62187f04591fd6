import { useEffect, useRef, useState } from 'react';
import type { TMessage } from '@careline/shared';
import { useT, type T } from '../../lib/i18n.ts';
import { Icon } from '../inbox/icons.tsx';

/**
 * What the email channel stores on a message (packages/server/src/modules/channels/email):
 * - incoming (operations/ingest-mail.ts): message.text is the customer's new text and message.html its
 *   sanitised HTML, both with quoted history folded away; metadata.email holds { from, replyTo, to, cc
 *   (Address[]), subject, date, isTrimmed, full: { text, html } | null (the whole original, only when
 *   something was folded), warnings: string[], automated: 'auto_reply' | 'bounce' | 'bulk' | null,
 *   inlineAttachmentIds }.
 * - outgoing (operations/compose.ts): metadata.email is { to?, cc?, bcc? } as plain address strings; a
 *   forward is a note with { to, cc, forward }.
 */
export type Address = { address: string; name: string };
export type EmailMeta = {
  from: Address | null; to: Address[]; cc: Address[]; bcc: Address[]; isTrimmed: boolean; full: { text: string; html: string | null } | null;
  warnings: string[]; automated: 'auto_reply' | 'bounce' | 'bulk' | null; inlineAttachmentIds: string[];
};

const asAddress = (v: unknown): Address | null => {
  if (typeof v === 'string') return v ? { address: v, name: '' } : null;
  if (v && typeof v === 'object' && typeof (v as Address).address === 'string') return { address: (v as Address).address, name: typeof (v as Address).name === 'string' ? (v as Address).name : '' };
  return null;
};
const asAddresses = (v: unknown) => (Array.isArray(v) ? v.map(asAddress).filter((a): a is Address => !!a) : []);
const asStrings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The email metadata of a message, or null when it did not come from (or go out by) the email channel. */
export const emailMeta = (m: TMessage): EmailMeta | null => {
  const e = (m.metadata as { email?: Record<string, unknown> }).email;
  if (!e || typeof e !== 'object') return null;
  const full = e.full && typeof e.full === 'object' && typeof (e.full as { text?: unknown }).text === 'string'
    ? { text: (e.full as { text: string }).text, html: typeof (e.full as { html?: unknown }).html === 'string' ? (e.full as { html: string }).html : null }
    : null;
  const automated = e.automated === 'auto_reply' || e.automated === 'bounce' || e.automated === 'bulk' ? e.automated : null;
  return {
    from: asAddress(e.from), to: asAddresses(e.to), cc: asAddresses(e.cc), bcc: asAddresses(e.bcc), isTrimmed: e.isTrimmed === true, full,
    warnings: asStrings(e.warnings), automated, inlineAttachmentIds: asStrings(e.inlineAttachmentIds),
  };
};

export const formatAddress = (a: Address) => (a.name && a.name !== a.address ? `${a.name} <${a.address}>` : a.address);

/** "unparseable: …", "html_too_large: …" → a sentence in the agent's language (unknown codes as sent). */
export const warningText = (w: string, t: T) => {
  const code = /^([a-z_]+):/.exec(w)?.[1];
  if (code === 'unparseable') return t('email.warning.unparseable');
  if (code === 'html_too_large') return t('email.warning.html_too_large');
  if (code === 'text_truncated') return t('email.warning.text_truncated');
  return w;
};

export const hasRemoteImages = (html: string) => /<img\b[^>]*\bsrc\s*=\s*["']?https?:/i.test(html);

const FRAME_STYLE = `html,body{margin:0;padding:0;background:transparent}
html{overflow-y:hidden}body{font:14px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif;color:#1f2937;overflow-wrap:anywhere;overflow-x:auto}
img{max-width:100%;height:auto}table{max-width:100%}p{margin:0 0 .6em}a{color:#1d4ed8}
blockquote{margin:.5em 0;padding-left:10px;border-left:3px solid #d0d5dd;color:#475467}pre{white-space:pre-wrap}`;

/**
 * An email's HTML, shown inside <iframe sandbox srcdoc> rather than injected into the app's DOM.
 *
 * Why: the email channel sanitises HTML before storing it, but message.html can also arrive through the
 * API (a reply with `html`), and a sanitiser bug must not become script in the agent's session. So:
 * - sandbox WITHOUT allow-scripts: nothing in the frame can run, whatever the HTML holds (on* handlers,
 *   <script>, javascript: URLs), and forms cannot submit (no allow-forms);
 * - a strict CSP inside the document (script-src falls back to default-src 'none') as a second lock;
 * - allow-same-origin is safe without allow-scripts (the dangerous pair is scripts + same-origin). It
 *   lets cid: images (rewritten by the server to /api/v1/attachments/<id>) load with the agent's
 *   session cookie, and lets this component measure the document to size the frame to its content;
 * - remote images are blocked by the CSP until the agent asks for them (tracking pixels);
 * - links open in a new tab (<base target=_blank>, allow-popups-to-escape-sandbox), never in the frame
 *   or over the app (no allow-top-navigation).
 */
export const HtmlFrame = ({ html, title, allowRemote }: { html: string; title: string; allowRemote: boolean }) => {
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(40);
  const imgSrc = allowRemote ? "'self' data: https: http:" : "'self' data:";
  const doc = `<!doctype html><html><head><meta charset="utf-8">`
    + `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${imgSrc}; style-src 'unsafe-inline'; font-src data:">`
    + `<base target="_blank"><style>${FRAME_STYLE}</style></head><body>${html}</body></html>`;

  useEffect(() => {
    const el = frame.current;
    if (!el) return;
    const measure = () => {
      const d = el.contentDocument;
      if (!d?.body) return;
      const h = Math.ceil(Math.max(d.body.scrollHeight, d.documentElement.scrollHeight));
      if (h > 0) setHeight((prev) => (Math.abs(prev - h) > 1 ? h : prev));
    };
    // load fires after the frame's images have loaded; the observer follows width changes (reflow).
    el.addEventListener('load', measure);
    const ro = new ResizeObserver(() => measure());
    ro.observe(el);
    measure();
    return () => { el.removeEventListener('load', measure); ro.disconnect(); };
  }, [doc]);

  return <iframe ref={frame} className="email-frame" title={title} sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
    referrerPolicy="no-referrer" srcDoc={doc} style={{ height }} />;
};

/** A small download link to the stored original (.eml) of an incoming email, for the message header. */
export const OriginalLink = ({ m }: { m: TMessage }) => {
  const t = useT();
  if (m.kind !== 'incoming') return null;
  return <a className="icon-btn msg-action email-original" href={`/api/v1/email/messages/${m.id}/raw`} download title={t('email.original')} aria-label={t('email.original')}><Icon name="download" size={14} /></a>;
};

/** The email's envelope (to, cc) and its reading problems, shown small under the message head. */
export const EmailEnvelope = ({ m, meta }: { m: TMessage; meta: EmailMeta }) => {
  const t = useT();
  const [showWarnings, setShowWarnings] = useState(false);
  const cc = meta.cc;
  // Incoming: To when the customer wrote to several people. Ours: To when set (a forward), and the BCC
  // (agents may see whom a colleague copied blindly; the customer never does).
  const showTo = m.kind === 'incoming' ? meta.to.length > 1 || cc.length > 0 : meta.to.length > 0;
  const bcc = m.kind === 'incoming' ? [] : meta.bcc;
  if (!showTo && !cc.length && !bcc.length && !meta.warnings.length && !meta.automated) return null;
  return (
    <div className="email-envelope">
      {showTo && <span className="email-field" data-testid="email-to"><span className="email-label">{t('email.to')}</span> {meta.to.map(formatAddress).join(', ')}</span>}
      {cc.length > 0 && <span className="email-field" data-testid="email-cc"><span className="email-label">{t('email.cc')}</span> {cc.map(formatAddress).join(', ')}</span>}
      {bcc.length > 0 && <span className="email-field" data-testid="email-bcc"><span className="email-label">{t('email.bcc')}</span> {bcc.map(formatAddress).join(', ')}</span>}
      {meta.automated && <span className="chip email-automated">{t(`email.automated.${meta.automated}`)}</span>}
      {meta.warnings.length > 0 && (
        <button className="link email-warn-toggle" aria-expanded={showWarnings} onClick={() => setShowWarnings((s) => !s)} title={meta.warnings.join('\n')}>
          <Icon name="alert" size={12} />{t('email.warnings')}
        </button>
      )}
      {showWarnings && <ul className="email-warnings" role="note">{meta.warnings.map((w, i) => <li key={i}>{warningText(w, t)}</li>)}</ul>}
    </div>
  );
};
