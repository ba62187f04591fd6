import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { TCannedReply, TContact, TConversation, TMessage, TUser } from '@careline/shared';

type TAttachment = TMessage['attachments'][number];
import { fillPlaceholders, firstName } from '../../../../shared/src/placeholders.ts';
import { get, patch, post } from '../../lib/api.ts';
import { directory$, initials, me$, refreshCounts, refreshUsers, toast } from '../../lib/data.ts';
import { useT } from '../../lib/i18n.ts';
import { announce } from '../../lib/realtime.ts';
import { createStore, useStore } from '../../lib/store.ts';
import { Icon } from '../inbox/icons.tsx';
import { ArticlePicker, articleLinkText, type ArticleChoice } from './ArticlePicker.tsx';
import { insertAt } from './addresses.ts';
import { AddressField } from './recipients.tsx';
import { SignaturePreview } from './signature.tsx';

export type ComposerMode = 'reply' | 'note';
const canned$ = createStore<TCannedReply[] | null>(null);
const loadCanned = () => { if (!canned$.get()) void get<TCannedReply[]>('/canned-replies').then((r) => canned$.set(r)).catch(() => canned$.set([])); };

/** The values canned replies may use: {{contact.first_name}}, {{agent.name}}, {{conversation.id}}… */
export const placeholderValues = (c: TConversation, contact: TContact | null) => {
  const me = me$.get()!;
  const inbox = directory$.get().inboxes.find((i) => i.id === c.inboxId);
  const email = contact?.identities.find((i) => i.kind === 'email')?.value ?? '';
  const phone = contact?.identities.find((i) => i.kind === 'phone')?.value ?? '';
  const name = contact?.name || '';
  return {
    'contact.name': name, 'contact.first_name': firstName(name), 'contact.email': email, 'contact.phone': phone,
    'agent.name': me.name, 'agent.first_name': firstName(me.name), 'agent.email': me.email,
    'conversation.id': c.number, 'conversation.number': c.number, 'conversation.subject': c.subject,
    'inbox.name': inbox?.name ?? '', 'company.name': inbox?.businessName ?? '',
  };
};

const TRIGGER = /(^|\s)([/#])([\p{L}\p{N}_-]*)$/u;
/**
 * "@" starts a mention where the server's parser (modules/notifications/notify.ts, mentionedUserIds)
 * would see one: not after a letter, digit, "@" or "." (so "linh@x.com" is no mention). The query may
 * hold one space, to narrow by a full name ("@Linh Ng").
 */
const MENTION = /(^|[^\p{L}\p{N}@.])@([\p{L}\p{N}._'-]*(?: [\p{L}\p{N}._'-]*)?)$/u;
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** Colleagues who can be mentioned in this conversation (enabled, able to see its inbox), best matches first. */
export const mentionCandidates = (users: TUser[], meId: string, inboxId: string, query: string) => {
  const q = fold(query.trim());
  const scored = users.filter((u) => !u.isDisabled && u.id !== meId && (u.role !== 'agent' || u.inboxIds.includes(inboxId))).map((u) => {
    const name = fold(u.name);
    const local = fold(u.email.split('@')[0] ?? '');
    const score = !q ? 1 : name.startsWith(q) ? 3 : name.split(/\s+/).some((w) => w.startsWith(q)) || local.startsWith(q) ? 2 : name.includes(q) ? 1 : 0;
    return { u, score };
  });
  return scored.filter((x) => x.score > 0).sort((a, b) => b.score - a.score || a.u.name.localeCompare(b.u.name)).map((x) => x.u).slice(0, 8);
};

type Trigger = { kind: 'canned' | 'mention'; start: number; query: string };

/** Who an email reply goes to (GET /conversations/:id/email): the customer and the CC list carried over. */
type EmailInfo = { customerAddress: string | null; cc: string[] };

export const Composer = ({ conversation, contact, messages, mode, setMode, focusSeq, onSent }: {
  conversation: TConversation; contact: TContact | null; messages: TMessage[]; mode: ComposerMode; setMode: (m: ComposerMode) => void; focusSeq: number;
  onSent: (m: TMessage, resolved: TConversation | null) => void;
}) => {
  const t = useT();
  const canned = useStore(canned$);
  const [text, setText] = useState('');
  const [files, setFiles] = useState<(TAttachment & { uploading?: boolean })[]>([]);
  const [busy, setBusy] = useState(false);
  const [trigger, setTrigger] = useState<Trigger | null>(null);
  const dir = useStore(directory$);
  const me = useStore(me$)!;
  const [active, setActive] = useState(0);
  const area = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const lastTyping = useRef(0);
  const idleTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // Email inboxes: To (the customer), CC (carried over from the thread, editable), BCC.
  const inbox = dir.inboxes.find((i) => i.id === conversation.inboxId);
  const isEmail = inbox?.channel === 'email';
  const [emailInfo, setEmailInfo] = useState<EmailInfo | null>(null);
  const [cc, setCc] = useState<string[]>([]);
  const [ccEdited, setCcEdited] = useState(false);
  const [bcc, setBcc] = useState<string[]>([]);
  const [showBcc, setShowBcc] = useState(false);
  const [articles, setArticles] = useState(false);
  const selection = useRef({ start: 0, end: 0 });

  useEffect(() => {
    if (!isEmail) return;
    let live = true;
    void get<EmailInfo>(`/conversations/${conversation.id}/email`).then((r) => {
      if (!live) return;
      setEmailInfo(r);
      if (!ccEdited) setCc(r.cc);
    }).catch(() => {});
    return () => { live = false; };
    // A new customer message may bring new CC participants: reload then (unless the agent edited the list).
  }, [isEmail, conversation.id, conversation.lastIncomingAt]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => { if (focusSeq) area.current?.focus(); }, [focusSeq]);
  useEffect(() => { setTrigger(null); }, [mode]);
  useEffect(() => () => { if (idleTimer.current) clearTimeout(idleTimer.current); }, []);

  const people = useMemo(() => (trigger?.kind === 'mention' ? mentionCandidates(dir.users, me.id, conversation.inboxId, trigger.query) : []),
    [trigger, dir.users, me.id, conversation.inboxId]);
  const matches = useMemo(() => {
    if (trigger?.kind !== 'canned' || !canned) return [];
    const q = trigger.query.toLowerCase();
    return canned.filter((r) => !q || r.shortcut.startsWith(q) || r.title.toLowerCase().includes(q) || r.shortcut.includes(q)).slice(0, 8);
  }, [trigger, canned]);

  const onChange = (value: string, caret: number) => {
    setText(value);
    const before = value.slice(0, caret);
    const m = TRIGGER.exec(before);
    const at = mode === 'note' ? MENTION.exec(before) : null;
    if (m) { loadCanned(); setTrigger({ kind: 'canned', start: caret - m[3]!.length - 1, query: m[3]! }); setActive(0); }
    else if (at && (!at[2]!.includes(' ') || mentionCandidates(directory$.get().users, me.id, conversation.inboxId, at[2]!).length > 0)) {
      if (trigger?.kind !== 'mention') refreshUsers();
      setTrigger({ kind: 'mention', start: caret - at[2]!.length - 1, query: at[2]! }); setActive(0);
    } else setTrigger(null);
    // Presence: colleagues see "typing" while I write (throttled), "viewing" once I pause.
    const now = Date.now();
    if (value && now - lastTyping.current > 3000) { lastTyping.current = now; announce(conversation.id, 'typing'); }
    if (idleTimer.current) clearTimeout(idleTimer.current);
    idleTimer.current = setTimeout(() => { lastTyping.current = 0; announce(conversation.id, 'viewing'); }, 5000);
  };

  const insert = (r: TCannedReply) => replaceTrigger(fillPlaceholders(r.text, placeholderValues(conversation, contact)));
  /** "@Full Name " — the full name is the form the server's mention parser matches most precisely. */
  const mention = (u: TUser) => replaceTrigger(`@${u.name} `);
  const replaceTrigger = (filled: string) => {
    if (!trigger) return;
    const caret = trigger.start + 1 + trigger.query.length;
    const next = text.slice(0, trigger.start) + filled + text.slice(caret);
    setText(next);
    setTrigger(null);
    requestAnimationFrame(() => { const el = area.current; if (el) { el.focus(); const pos = trigger.start + filled.length; el.setSelectionRange(pos, pos); } });
  };

  const upload = async (list: FileList | null) => {
    for (const file of Array.from(list ?? [])) {
      const temp = { id: `tmp-${file.name}-${Date.now()}`, filename: file.name, contentType: file.type, size: file.size, url: '', uploading: true };
      setFiles((f) => [...f, temp]);
      try {
        const form = new FormData();
        form.append('file', file, file.name);
        const a = await post<TAttachment>('/attachments', form);
        setFiles((f) => f.map((x) => (x.id === temp.id ? a : x)));
      } catch (e) {
        setFiles((f) => f.filter((x) => x.id !== temp.id));
        toast(t('common.error', { detail: (e as Error).message }), 'error');
      }
    }
  };

  const send = async (andResolve: boolean) => {
    const body = text.trim();
    if (!body || busy || files.some((f) => f.uploading)) return;
    setBusy(true);
    try {
      const attachmentIds = files.map((f) => f.id);
      const withFiles = attachmentIds.length ? { attachmentIds } : {};
      const message = mode === 'reply' && isEmail
        // CC only once the conversation's list has loaded (or was edited): the list sent replaces it.
        ? await post<TMessage>(`/conversations/${conversation.id}/email-reply`, { text: body, ...(emailInfo || ccEdited ? { cc } : {}), bcc, ...withFiles })
        : await post<TMessage>(`/conversations/${conversation.id}/${mode === 'note' ? 'notes' : 'reply'}`, { text: body, ...withFiles });
      if (mode === 'reply' && isEmail) { setEmailInfo((i) => (i ? { ...i, cc } : i)); setCcEdited(false); setBcc([]); setShowBcc(false); }
      let resolved: TConversation | null = null;
      if (andResolve) { resolved = await patch<TConversation>(`/conversations/${conversation.id}`, { status: 'resolved' }); refreshCounts(); }
      setText(''); setFiles([]); setTrigger(null);
      announce(conversation.id, 'viewing');
      onSent(message, resolved);
    } catch (e) {
      toast(t('common.error', { detail: (e as Error).message }), 'error');
    } finally { setBusy(false); }
  };

  const openArticles = () => {
    const el = area.current;
    selection.current = el ? { start: el.selectionStart, end: el.selectionEnd } : { start: text.length, end: text.length };
    setTrigger(null);
    setArticles(true);
  };
  const closeArticles = useCallback((refocus: boolean) => { setArticles(false); if (refocus) requestAnimationFrame(() => area.current?.focus()); }, []);
  const insertArticle = (a: ArticleChoice & { url: string }) => {
    const { start, end } = selection.current;
    const r = insertAt(text, Math.min(start, text.length), Math.min(end, text.length), articleLinkText(a));
    setText(r.text);
    setArticles(false);
    requestAnimationFrame(() => { const el = area.current; if (el) { el.focus(); el.setSelectionRange(r.caret, r.caret); } });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'k') { e.preventDefault(); openArticles(); return; }
    const count = trigger?.kind === 'mention' ? people.length : matches.length;
    if (trigger && count) {
      if (e.key === 'ArrowDown') { e.preventDefault(); setActive((a) => (a + 1) % count); return; }
      if (e.key === 'ArrowUp') { e.preventDefault(); setActive((a) => (a - 1 + count) % count); return; }
      if ((e.key === 'Enter' && !e.ctrlKey && !e.metaKey) || e.key === 'Tab') {
        e.preventDefault();
        if (trigger.kind === 'mention') mention(people[Math.min(active, count - 1)]!); else insert(matches[Math.min(active, count - 1)]!);
        return;
      }
    }
    if (e.key === 'Escape' && trigger) { e.preventDefault(); e.stopPropagation(); setTrigger(null); return; }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void send(e.shiftKey && mode === 'reply'); }
  };

  const customer = contact?.name || contact?.identities[0]?.value || t('conv.customer');
  return (
    <div className={`composer composer-${mode}`}>
      <div className="composer-tabs" role="tablist">
        <button role="tab" aria-selected={mode === 'reply'} className={mode === 'reply' ? 'active' : ''} onClick={() => setMode('reply')}><Icon name="pen" size={14} />{t('composer.reply')} <kbd>r</kbd></button>
        <button role="tab" aria-selected={mode === 'note'} className={mode === 'note' ? 'active' : ''} onClick={() => setMode('note')}><Icon name="note" size={14} />{t('composer.note')} <kbd>n</kbd></button>
      </div>
      <div className="composer-box">
        {articles && (
          <ArticlePicker conversation={conversation} contact={contact} messages={messages} onPick={insertArticle}
            onClose={closeArticles} />
        )}
        {mode === 'reply' && isEmail && (
          <div className="composer-recipients">
            <div className="recipients">
              <span className="recipients-label">{t('email.to')}</span>
              <div className="recipients-box readonly" data-testid="composer-to">
                <span className="addr-chip addr-fixed" title={t('composer.to_fixed')}>{emailInfo?.customerAddress ?? contact?.identities.find((i) => i.kind === 'email')?.value ?? '…'}</span>
              </div>
              {!showBcc && <button type="button" className="link recipients-more" onClick={() => setShowBcc(true)}>{t('composer.add_bcc')}</button>}
            </div>
            <AddressField label={t('email.cc')} value={cc} onChange={(v) => { setCc(v); setCcEdited(true); }} testId="composer-cc" />
            {showBcc && <AddressField label={t('email.bcc')} value={bcc} onChange={setBcc} autoFocus={bcc.length === 0} testId="composer-bcc" />}
          </div>
        )}
        {trigger?.kind === 'mention' && (
          <ul className="canned mentions" role="listbox" aria-label={t('composer.mentions')}>
            {people.length === 0 && <li className="canned-empty">{t('composer.mention_empty')}</li>}
            {people.map((u, i) => (
              <li key={u.id} role="option" aria-selected={i === active} className={`mention-item ${i === active ? 'active' : ''}`} onMouseDown={(e) => { e.preventDefault(); mention(u); }} onMouseEnter={() => setActive(i)}>
                <span className="avatar avatar-xs" aria-hidden>{initials(u.name)}</span>
                <span className="mention-name">{u.name}</span><span className="mention-email">{u.email}</span>
              </li>
            ))}
            <li className="canned-hint" aria-hidden>{t('composer.mention_hint')}</li>
          </ul>
        )}
        {trigger?.kind === 'canned' && (
          <ul className="canned" role="listbox" aria-label={t('nav.canned')}>
            {canned === null && <li className="canned-empty">{t('common.loading')}</li>}
            {canned !== null && matches.length === 0 && <li className="canned-empty">{t('composer.canned_empty')}</li>}
            {matches.map((r, i) => (
              <li key={r.id} role="option" aria-selected={i === active} className={`canned-item ${i === active ? 'active' : ''}`} onMouseDown={(e) => { e.preventDefault(); insert(r); }} onMouseEnter={() => setActive(i)}>
                <span className="canned-shortcut">/{r.shortcut}</span><span className="canned-title">{r.title}</span>
                <span className="canned-preview">{fillPlaceholders(r.text, placeholderValues(conversation, contact))}</span>
              </li>
            ))}
            <li className="canned-hint" aria-hidden>{t('composer.canned_hint')}</li>
          </ul>
        )}
        <textarea ref={area} value={text} rows={4} aria-label={mode === 'note' ? t('conv.note') : t('composer.reply')}
          placeholder={mode === 'note' ? t('composer.note_placeholder') : t('composer.reply_placeholder', { name: customer })}
          onChange={(e) => onChange(e.target.value, e.target.selectionStart)} onKeyDown={onKeyDown}
          onBlur={() => setTimeout(() => setTrigger(null), 150)} />
        {files.length > 0 && (
          <div className="composer-files">
            {files.map((f) => (
              <span key={f.id} className="file-chip">
                <Icon name="paperclip" size={14} />{f.uploading ? t('composer.uploading', { name: f.filename }) : f.filename}
                {!f.uploading && <button className="icon-btn" aria-label={t('composer.remove_attachment', { name: f.filename })} onClick={() => setFiles((x) => x.filter((y) => y.id !== f.id))}><Icon name="x" size={12} /></button>}
              </span>
            ))}
          </div>
        )}
        <div className="composer-bar">
          <input ref={fileInput} type="file" multiple hidden onChange={(e) => { void upload(e.target.files); e.target.value = ''; }} />
          <button className="icon-btn" onClick={() => fileInput.current?.click()} aria-label={t('composer.attach')} title={t('composer.attach')}><Icon name="paperclip" /></button>
          <button className="icon-btn" onMouseDown={(e) => { e.preventDefault(); e.stopPropagation(); }} onClick={() => (articles ? setArticles(false) : openArticles())}
            aria-label={t('articles.insert')} title={`${t('articles.insert')} (Ctrl+K)`} aria-expanded={articles}><Icon name="link" /></button>
          <span className="muted composer-hint">{t('composer.shortcut_hint')}</span>
          {mode === 'reply' && <button className="btn" disabled={busy || !text.trim()} onClick={() => void send(true)}>{t('composer.send_resolve')}</button>}
          <button className={`btn ${mode === 'note' ? 'btn-note' : 'btn-primary'}`} disabled={busy || !text.trim()} onClick={() => void send(false)}>{mode === 'note' ? t('composer.add_note') : t('composer.send')}</button>
        </div>
      </div>
      {mode === 'reply' && isEmail && inbox && <SignaturePreview inbox={inbox} />}
    </div>
  );
};
