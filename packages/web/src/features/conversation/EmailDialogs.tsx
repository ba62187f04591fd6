import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import type { TConversation, TMessage } from '@careline/shared';
import { post } from '../../lib/api.ts';
import { directory$, me$, refreshCounts, toast } from '../../lib/data.ts';
import { useT } from '../../lib/i18n.ts';
import { navigate, useLocation } from '../../lib/router.ts';
import { createStore, useStore } from '../../lib/store.ts';
import { isEmail } from './addresses.ts';
import { AddressField } from './recipients.tsx';
import { Icon } from '../inbox/icons.tsx';

/**
 * A modal form. Keys typed inside never reach the inbox's single-key shortcuts (they listen on window),
 * Escape closes it.
 */
const Modal = ({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) => {
  const id = useId();
  const t = useT();
  return (
    <div className="modal-backdrop" onMouseDown={onClose}
      onKeyDown={(e) => { e.stopPropagation(); if (e.key === 'Escape') { e.preventDefault(); onClose(); } }}>
      <div className="dialog email-dialog" role="dialog" aria-modal="true" aria-labelledby={id} onMouseDown={(e) => e.stopPropagation()}>
        <div className="dialog-head"><h2 id={id}>{title}</h2><button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.close')}</button></div>
        {children}
      </div>
    </div>
  );
};

/**
 * Forward the whole conversation, or one message, to a third party (POST /conversations/:id/forward).
 * The server records it as an internal note and sends the originals as attached .eml files.
 */
export const ForwardDialog = ({ conversation, message, onClose, onDone }: {
  conversation: TConversation; message: TMessage | null; onClose: () => void; onDone: (note: TMessage) => void;
}) => {
  const t = useT();
  const [to, setTo] = useState<string[]>([]);
  const [cc, setCc] = useState<string[]>([]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!to.length) { setError(t('forward.need_to')); return; }
    setBusy(true);
    try {
      const note = await post<TMessage>(`/conversations/${conversation.id}/forward`, { to, cc, text, ...(message ? { messageIds: [message.id] } : {}) });
      toast(t('forward.done', { to: to.join(', ') }));
      onDone(note);
      onClose();
    } catch (err) {
      setError(t('common.error', { detail: (err as Error).message }));
    } finally { setBusy(false); }
  };

  return (
    <Modal title={message ? t('forward.message_title') : t('forward.conversation_title', { n: conversation.number })} onClose={onClose}>
      <form className="email-form" onSubmit={(e) => void submit(e)}>
        <AddressField label={t('email.to')} value={to} onChange={(v) => { setTo(v); setError(null); }} autoFocus required testId="forward-to" />
        <AddressField label={t('email.cc')} value={cc} onChange={setCc} testId="forward-cc" />
        <label className="field">{t('forward.note')}
          <textarea rows={5} value={text} onChange={(e) => setText(e.target.value)} placeholder={t('forward.note_placeholder')} />
        </label>
        <p className="hint">{message ? t('forward.message_hint') : t('forward.conversation_hint')}</p>
        {error && <p className="form-error" role="alert">{error}</p>}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>{t('recipients.cancel')}</button>
          <button type="submit" className="btn btn-primary" disabled={busy}><Icon name="forward" size={14} />{t('forward.send')}</button>
        </div>
      </form>
    </Modal>
  );
};

/** The email inboxes this user may write from (agents: those they are a member of). */
const myEmailInboxes = <I extends { channel: string; memberIds: string[] }>(inboxes: I[], me: { id: string; role: string }) =>
  inboxes.filter((i) => i.channel === 'email' && (me.role !== 'agent' || i.memberIds.includes(me.id)));

/** A new email to a customer that starts a conversation (POST /email/outbound), then opens it. */
export const NewEmailDialog = ({ onClose }: { onClose: () => void }) => {
  const t = useT();
  const dir = useStore(directory$);
  const me = useStore(me$)!;
  const { path, search } = useLocation();
  const inboxes = myEmailInboxes(dir.inboxes, me);
  const [inboxId, setInboxId] = useState(inboxes[0]?.id ?? '');
  const [to, setTo] = useState('');
  const [name, setName] = useState('');
  const [cc, setCc] = useState<string[]>([]);
  const [bcc, setBcc] = useState<string[]>([]);
  const [showBcc, setShowBcc] = useState(false);
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toValid = isEmail(to.trim());

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!inboxId) { setError(t('newmail.no_inbox')); return; }
    if (!toValid) { setError(t('recipients.invalid', { value: to.trim() || '—' })); return; }
    if (!subject.trim() || !text.trim()) { setError(t('newmail.need_subject_body')); return; }
    setBusy(true);
    try {
      const c = await post<TConversation>('/email/outbound', { inboxId, to: to.trim().toLowerCase(), name: name.trim(), subject: subject.trim(), cc, bcc, text: text.trim() });
      toast(t('newmail.sent', { n: c.number }));
      refreshCounts();
      onClose();
      const view = path.startsWith('/inbox/') ? path.split('/')[2] ?? 'mine' : 'mine';
      navigate(`/inbox/${view}/c/${c.id}${search}`);
    } catch (err) {
      setError(t('common.error', { detail: (err as Error).message }));
    } finally { setBusy(false); }
  };

  return (
    <Modal title={t('newmail.title')} onClose={onClose}>
      {inboxes.length === 0 ? <p className="hint">{t('newmail.no_inbox')}</p> : (
        <form className="email-form" onSubmit={(e) => void submit(e)}>
          <label className="field">{t('newmail.inbox')}
            <select value={inboxId} onChange={(e) => setInboxId(e.target.value)}>
              {inboxes.map((i) => <option key={i.id} value={i.id}>{i.name}{i.emailAddress ? ` <${i.emailAddress}>` : ''}</option>)}
            </select>
          </label>
          <div className="form-row">
            <label className="field">{t('email.to')}
              <input type="email" value={to} autoFocus required aria-invalid={!!to.trim() && !toValid} onChange={(e) => { setTo(e.target.value); setError(null); }} placeholder="customer@example.com" />
            </label>
            <label className="field">{t('newmail.name')}
              <input type="text" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
            </label>
          </div>
          <AddressField label={t('email.cc')} value={cc} onChange={setCc} testId="newmail-cc" />
          {showBcc ? <AddressField label={t('email.bcc')} value={bcc} onChange={setBcc} testId="newmail-bcc" />
            : <button type="button" className="link recipients-more" onClick={() => setShowBcc(true)}>{t('composer.add_bcc')}</button>}
          <label className="field">{t('newmail.subject')}
            <input type="text" value={subject} maxLength={500} required onChange={(e) => setSubject(e.target.value)} />
          </label>
          <label className="field">{t('newmail.body')}
            <textarea rows={8} value={text} required onChange={(e) => setText(e.target.value)} />
          </label>
          {error && <p className="form-error" role="alert">{error}</p>}
          <div className="form-actions">
            <button type="button" className="btn" onClick={onClose}>{t('recipients.cancel')}</button>
            <button type="submit" className="btn btn-primary" disabled={busy}>{t('composer.send')}</button>
          </div>
        </form>
      )}
    </Modal>
  );
};

/** Whether the new-email form is open: the list header's button, or `c` (compose) in the inbox. */
export const newEmailOpen$ = createStore(false);

/** The "New email" button of the inbox list header (shown when the agent can see an email inbox). */
export const NewEmailButton = () => {
  const t = useT();
  const dir = useStore(directory$);
  const me = useStore(me$)!;
  const open = useStore(newEmailOpen$);
  const setOpen = (v: boolean) => newEmailOpen$.set(v);
  useEffect(() => () => newEmailOpen$.set(false), []);
  if (!myEmailInboxes(dir.inboxes, me).length) return null;
  return (
    <>
      <button className="icon-btn new-email" onClick={() => setOpen(true)} title={`${t('newmail.title')} (c)`} aria-label={t('newmail.button')}><Icon name="new-email" /></button>
      {open && <NewEmailDialog onClose={() => setOpen(false)} />}
    </>
  );
};
