import { memo, useMemo, useState, type ReactNode } from 'react';
import type { TConversation, TMessage, TUser } from '@careline/shared';
import { directory$, initials, me$ } from '../../lib/data.ts';
import { lang$, useT } from '../../lib/i18n.ts';
import { useStore } from '../../lib/store.ts';
import { formatDateTime, formatShort } from '../../lib/time.ts';
import { DELIVERY_ICON, Icon } from '../inbox/icons.tsx';
import { splitQuote } from './quotes.ts';
import { EmailEnvelope, HtmlFrame, OriginalLink, emailMeta, hasRemoteImages } from './email.tsx';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * Notes: mentions highlighted in the forms the server notifies (modules/notifications/notify.ts,
 * mentionedUserIds): @Full Name (what the composer inserts), @FirstName and @email-local-part.
 */
const withMentions = (text: string, users: TUser[]): ReactNode => {
  const forms = users.flatMap((u) => [u.name, u.name.trim().split(/\s+/)[0] ?? '', u.email.split('@')[0] ?? '']);
  const names = [...new Set(forms)].filter((n) => n.length >= 2).sort((a, b) => b.length - a.length).map(escapeRegExp);
  if (!names.length || !text.includes('@')) return text;
  const re = new RegExp(`(^|[^\\p{L}\\p{N}@.])@(${names.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  const out: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    const at = m.index + m[1]!.length;
    out.push(text.slice(last, at), <span key={at} className="mention">@{m[2]}</span>);
    last = at + 1 + m[2]!.length;
  }
  out.push(text.slice(last));
  return out;
};

const formatSize = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

const Message = memo(({ m, customerName, tz, onSplit, onForward }: { m: TMessage; customerName: string; tz: string; onSplit: (m: TMessage) => void; onForward?: (m: TMessage) => void }) => {
  const t = useT();
  const lang = useStore(lang$);
  const dir = useStore(directory$);
  const me = useStore(me$)!;
  const [showQuote, setShowQuote] = useState(false);
  const [allowRemote, setAllowRemote] = useState(false);
  const email = useMemo(() => emailMeta(m), [m]);
  const split = useMemo(() => splitQuote(m), [m]);
  if (m.kind === 'activity') {
    return <div className="activity" role="note"><span>{m.text}</span> · <time dateTime={m.createdAt}>{formatShort(m.createdAt, lang, tz)}</time></div>;
  }
  const author = m.kind === 'incoming' ? customerName : m.authorUserId === me.id ? t('conv.you') : dir.users.find((u) => u.id === m.authorUserId)?.name ?? t('conv.system');
  const { body, html, quoted, fullHtml } = split;
  const shownHtml = showQuote && fullHtml ? fullHtml : html;
  // Inline (cid:) images live inside the HTML; list them only when no HTML shows them (e.g. text-only view).
  const inBody = (id: string, url: string) => !!shownHtml?.includes(url) || (!!email?.inlineAttachmentIds.includes(id) && !!(html?.includes(url) || fullHtml?.includes(url)));
  const listed = m.attachments.filter((a) => !inBody(a.id, a.url));
  const images = listed.filter((a) => /^image\/(png|jpe?g|gif|webp)$/.test(a.contentType));
  const files = listed.filter((a) => !images.includes(a));
  const remoteBlocked = !!shownHtml && !allowRemote && hasRemoteImages(shownHtml);
  return (
    <article className={`msg msg-${m.kind}`} aria-label={m.kind === 'note' ? `${t('conv.note')} — ${author}` : author} data-kind={m.kind}>
      <header className="msg-head">
        <span className={`avatar avatar-sm ${m.kind === 'incoming' ? 'avatar-customer' : ''}`} aria-hidden>{initials(author)}</span>
        <span className="msg-author">{author}</span>
        {m.kind === 'note' && <span className="note-label"><Icon name="note" size={12} />{t('conv.note')}</span>}
        <time className="msg-time" dateTime={m.createdAt} title={formatDateTime(m.createdAt, lang, tz)}>{formatShort(m.createdAt, lang, tz)}</time>
        {m.kind === 'outgoing' && (
          <span className={`delivery delivery-${m.deliveryState}`} title={m.deliveryError ?? undefined}>
            <Icon name={DELIVERY_ICON[m.deliveryState]} size={12} />{t(`delivery.${m.deliveryState}`)}
          </span>
        )}
        {email && <OriginalLink m={m} />}
        {onForward && (m.kind === 'incoming' || m.kind === 'outgoing') && (
          <button className="icon-btn msg-action" onClick={() => onForward(m)} title={t('forward.message')} aria-label={t('forward.message')}><Icon name="forward" size={14} /></button>
        )}
        <button className="icon-btn msg-action" onClick={() => onSplit(m)} title={t('conv.split')} aria-label={t('conv.split')}><Icon name="split" size={14} /></button>
      </header>
      {email && <EmailEnvelope m={m} meta={email} />}
      {remoteBlocked && (
        <div className="email-remote"><Icon name="shield" size={12} />{t('email.remote_blocked')}
          <button className="link" onClick={() => setAllowRemote(true)}>{t('email.show_images')}</button></div>
      )}
      {shownHtml
        ? <HtmlFrame html={shownHtml} title={t('email.frame', { name: author })} allowRemote={allowRemote} />
        : <div className="msg-body">{m.kind === 'note' ? withMentions(body, dir.users) : body}</div>}
      {m.deliveryState === 'failed' && m.deliveryError && <div className="msg-error" role="alert">{m.deliveryError}</div>}
      {fullHtml && (
        <div className="quote">
          <button className="link quote-toggle" aria-expanded={showQuote} onClick={() => setShowQuote((s) => !s)}>{showQuote ? t('conv.hide_quoted') : t('conv.show_quoted')} ···</button>
        </div>
      )}
      {quoted && (
        <div className="quote">
          <button className="link quote-toggle" aria-expanded={showQuote} onClick={() => setShowQuote((s) => !s)}>{showQuote ? t('conv.hide_quoted') : t('conv.show_quoted')} ···</button>
          {showQuote && <div className="quote-text">{quoted}</div>}
        </div>
      )}
      {images.length > 0 && <div className="msg-images">{images.map((a) => <a key={a.id} href={a.url} target="_blank" rel="noreferrer"><img src={a.url} alt={a.filename} loading="lazy" /></a>)}</div>}
      {files.length > 0 && <div className="msg-files">{files.map((a) => <a key={a.id} className="file-chip" href={a.url} download={a.filename}><Icon name="paperclip" size={14} />{a.filename}<small>{formatSize(a.size)}</small></a>)}</div>}
    </article>
  );
});

export const Thread = ({ conversation, messages, customerName, tz, onSplit, onForward }: {
  conversation: TConversation; messages: TMessage[]; customerName: string; tz: string; onSplit: (m: TMessage) => void; onForward?: (m: TMessage) => void;
}) => (
  <div className="thread" aria-label={`#${conversation.number}`}>
    {messages.map((m) => <Message key={m.id} m={m} customerName={customerName} tz={tz} onSplit={onSplit} onForward={onForward} />)}
  </div>
);
