import { useEffect, useRef, useState } from 'react';
import type { TContact, TConversation, TMessage } from '@careline/shared';
import { ApiError, get, post } from '../../lib/api.ts';
import { customStatuses$, directory$, initials, loadCustomStatuses, me$, refreshCounts, toast } from '../../lib/data.ts';
import { lang$, useT } from '../../lib/i18n.ts';
import { announce, onEvent, presence$ } from '../../lib/realtime.ts';
import { navigate, useLocation } from '../../lib/router.ts';
import { createStore, useStore } from '../../lib/store.ts';
import { formatDateTime } from '../../lib/time.ts';
import { ChannelIcon, Icon } from '../inbox/icons.tsx';
import type { PickerKind } from './actions.tsx';
import { removeTag, setStatus } from './actions.tsx';
import { Composer, type ComposerMode } from './Composer.tsx';
import { CustomerPanel } from './CustomerPanel.tsx';
import { ForwardDialog } from './EmailDialogs.tsx';
import { Thread } from './Thread.tsx';

type Full = TConversation & { messages: TMessage[] };
/** The open conversation (with messages); the inbox's keyboard actions read it. */
export const openConversation$ = createStore<Full | null>(null);
/** r / n from the inbox: switch the composer's mode and focus it. */
export const composerCommand$ = createStore<{ mode: ComposerMode; seq: number }>({ mode: 'reply', seq: 0 });

const Collision = ({ conversationId }: { conversationId: string }) => {
  const t = useT();
  const me = useStore(me$)!;
  const all = useStore(presence$)[conversationId] ?? {};
  const others = Object.values(all).filter((p) => p.user.id !== me.id);
  if (!others.length) return null;
  const typing = others.some((p) => p.state === 'typing');
  return (
    <div className={`collision ${typing ? 'collision-typing' : ''}`} role="status" aria-live="polite" data-testid="collision">
      <span className="collision-avatars">{others.map((p) => <span key={p.user.id} className="avatar avatar-xs" aria-hidden>{initials(p.user.name)}</span>)}</span>
      <span>{others.map((p) => t(p.state === 'typing' ? 'presence.typing' : 'presence.viewing', { name: p.user.name })).join(' · ')}</span>
      {typing && <strong className="collision-warn">{t('presence.warning')}</strong>}
    </div>
  );
};

export const ConversationPane = ({ id, onUpdated, onPick, onRead, onClose }: {
  id: string; onUpdated: (c: TConversation) => void; onPick: (k: PickerKind) => void; onRead: (id: string, at: string) => void; onClose: () => void;
}) => {
  const t = useT();
  const lang = useStore(lang$);
  const me = useStore(me$)!;
  const dir = useStore(directory$);
  const conv = useStore(openConversation$);
  const customStatuses = useStore(customStatuses$);
  const command = useStore(composerCommand$);
  const { path, search } = useLocation();
  const [contact, setContact] = useState<TContact | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [mode, setMode] = useState<ComposerMode>(command.mode);
  const threadEnd = useRef<HTMLDivElement>(null);
  const [mergedNumber, setMergedNumber] = useState<number | null>(null);
  /** The forward dialog: the whole conversation (message null) or one message. */
  const [forwarding, setForwarding] = useState<{ message: TMessage | null } | null>(null);
  const mergedInto = conv?.id === id ? conv.mergedIntoId : null;
  useEffect(() => {
    setMergedNumber(null);
    if (mergedInto) void get<TConversation>(`/conversations/${mergedInto}`).then((c) => setMergedNumber(c.number)).catch(() => {});
  }, [mergedInto]);

  const markRead = () => { void post<{ lastReadAt: string }>(`/conversations/${id}/read`).then((r) => { onRead(id, r.lastReadAt); refreshCounts(300); }).catch(() => {}); };

  useEffect(() => {
    openConversation$.set(null);
    setError(null);
    get<Full>(`/conversations/${id}`).then((c) => {
      openConversation$.set(c);
      void get<TContact>(`/contacts/${c.contactId}`).then(setContact).catch(() => {});
    }).catch((e) => setError(e instanceof ApiError && e.status === 404 ? t('conv.not_found') : (e as Error).message));
    announce(id, 'viewing');
    markRead();
    return () => { announce(id, 'left'); openConversation$.set(null); };
  }, [id]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => { if (command.seq) setMode(command.mode); }, [command]);
  // A custom status set by a colleague that this session has not loaded yet: fetch the list for its name.
  const unknownStatus = !!conv?.customStatusId && !customStatuses.some((s) => s.id === conv.customStatusId);
  useEffect(() => { if (unknownStatus) void loadCustomStatuses(); }, [unknownStatus, conv?.customStatusId]);
  useEffect(() => { threadEnd.current?.scrollIntoView({ block: 'end' }); }, [conv?.messages.length]);

  // Live: new and updated messages of this conversation, and its own changes.
  useEffect(() => onEvent((event) => {
    const data = event.data as { conversation?: TConversation; message?: TMessage; conversationId?: string };
    const cur = openConversation$.get();
    if (!cur) return;
    if (data.conversation?.id === id) openConversation$.set({ ...cur, ...data.conversation, messages: cur.messages });
    if (data.message && data.message.conversationId === id) {
      const m = data.message;
      const exists = cur.messages.some((x) => x.id === m.id);
      openConversation$.set({ ...cur, messages: exists ? cur.messages.map((x) => (x.id === m.id ? m : x)) : [...cur.messages, m] });
      if (m.kind === 'incoming' && document.visibilityState === 'visible') markRead();
    }
  }), [id]); // eslint-disable-line react-hooks/exhaustive-deps

  if (error) return <div className="conv-empty"><Icon name="alert" size={32} /><p>{error}</p><button className="btn" onClick={onClose}>{t('conv.back')}</button></div>;
  if (!conv) return <div className="conv-loading" aria-busy="true">{t('common.loading')}</div>;

  const inbox = dir.inboxes.find((i) => i.id === conv.inboxId);
  const assignee = dir.users.find((u) => u.id === conv.assigneeId);
  const team = dir.teams.find((x) => x.id === conv.teamId);
  const statusLabel = customStatuses.find((s) => s.id === conv.customStatusId)?.name ?? t(`status.${conv.status}`);
  const customerName = contact?.name || contact?.identities[0]?.value || t('conv.customer');
  const view = path.split('/')[2] ?? 'all';
  const ids = [conv.id];

  const onSent = (m: TMessage, resolved: TConversation | null) => {
    const cur = openConversation$.get()!;
    const messages = cur.messages.some((x) => x.id === m.id) ? cur.messages : [...cur.messages, m];
    const next = { ...cur, ...(resolved ?? {}), messages };
    openConversation$.set(next);
    onUpdated(next);
    toast(t('composer.sent'));
  };
  const split = async (m: TMessage) => {
    try {
      const created = await post<Full>(`/conversations/${conv.id}/messages/${m.id}/split`);
      toast(t('conv.split_done', { n: created.number }));
      navigate(`/inbox/${view}/c/${created.id}${search}`);
    } catch (e) { toast(t('common.error', { detail: (e as Error).message }), 'error'); }
  };
  const merged = conv.mergedIntoId;
  const isEmail = inbox?.channel === 'email';

  return (
    <div className="conv">
      <div className="conv-main">
        <header className="conv-head">
          <div className="conv-title-row">
          <button className="icon-btn conv-back" onClick={onClose} aria-label={t('conv.back')} title={`${t('conv.back')} (Esc)`}><Icon name="back" /></button>
          <div className="conv-title">
            <h2>{conv.subject || conv.lastMessagePreview || t('list.no_subject')}</h2>
            <div className="conv-meta">
              <span>#{conv.number}</span>
              {inbox && <span className="conv-inbox"><ChannelIcon channel={inbox.channel} label={t(`channel.${inbox.channel}`)} />{inbox.name}</span>}
              {team && <span className="conv-inbox" title={t('conv.team')}><Icon name="users" size={14} />{team.name}</span>}
              <button className={`chip status-chip status-menu st-${conv.status}`} onClick={() => onPick('status')} title={`${t('conv.status')} (s)`}
                aria-label={t('conv.status_menu', { status: statusLabel })} aria-haspopup="dialog">{statusLabel}<span className="caret" aria-hidden>▾</span></button>
              {conv.status === 'snoozed' && conv.snoozedUntil && <span className="muted">{t('conv.snoozed_until', { time: formatDateTime(conv.snoozedUntil, lang, me.timeZone) })}</span>}
            </div>
          </div>
          </div>
          <div className="conv-actions" role="toolbar" aria-label={t('conv.more')}>
            <button className="btn btn-sm" onClick={() => onPick('assign')} title={`${t('conv.assignee')} (a)`}>
              {assignee ? <><span className="avatar avatar-xs" aria-hidden>{initials(assignee.name)}</span>{assignee.name}</> : <><Icon name="user" size={14} />{t('list.unassigned')}</>}
            </button>
            <button className={`btn btn-sm prio-btn prio-${conv.priority}`} onClick={() => onPick('priority')} title={`${t('conv.priority')} (p)`}><Icon name="flag" size={14} />{t(`priority.${conv.priority}`)}</button>
            <button className="icon-btn" onClick={() => onPick('snooze')} title={`${t('conv.snooze')} (z)`} aria-label={t('conv.snooze')}><Icon name="snooze" /></button>
            <button className="icon-btn" onClick={() => onPick('merge')} title={`${t('conv.merge')} (m)`} aria-label={t('conv.merge')}><Icon name="merge" /></button>
            {isEmail && !merged && <button className="icon-btn" onClick={() => setForwarding({ message: null })} title={t('forward.conversation')} aria-label={t('forward.conversation')}><Icon name="forward" /></button>}
            {conv.status === 'resolved' || conv.status === 'closed'
              ? <button className="btn btn-sm" onClick={() => void setStatus(ids, 'open', onUpdated, t)}>{t('conv.reopen')}</button>
              : <button className="btn btn-sm btn-primary" onClick={() => void setStatus(ids, 'resolved', onUpdated, t)} title={`${t('conv.resolve')} (e)`}><Icon name="check" size={14} />{t('conv.resolve')}</button>}
          </div>
        </header>
        <div className="conv-tags">
          <Icon name="tag" size={14} className="muted" />
          {conv.tags.map((tag) => (
            <span key={tag} className="chip tag">{tag}<button className="chip-x" aria-label={t('pick.remove_tag', { tag })} onClick={() => void removeTag(ids, tag, onUpdated, t)}><Icon name="x" size={10} /></button></span>
          ))}
          <button className="link add-tag" onClick={() => onPick('tags')}>+ {t('conv.add_tag')} <kbd>t</kbd></button>
        </div>
        <Collision conversationId={conv.id} />
        {merged && (
          <div className="banner" role="note">
            {t('conv.merged_into', { n: mergedNumber ?? '…' })}
            <button className="link" onClick={() => navigate(`/inbox/${view}/c/${merged}${search}`)}>{t('conv.open_merged', { n: mergedNumber ?? '…' })}</button>
          </div>
        )}
        <div className="thread-scroll">
          <Thread conversation={conv} messages={conv.messages} customerName={customerName} tz={me.timeZone} onSplit={(m) => void split(m)}
            onForward={isEmail && !merged ? (m) => setForwarding({ message: m }) : undefined} />
          <div ref={threadEnd} />
        </div>
        {!merged && <Composer conversation={conv} contact={contact} messages={conv.messages} mode={mode} setMode={setMode} focusSeq={command.seq} onSent={onSent} />}
      </div>
      <CustomerPanel conversation={conv} contact={contact} tz={me.timeZone} />
      {forwarding && (
        <ForwardDialog conversation={conv} message={forwarding.message} onClose={() => setForwarding(null)}
          onDone={(note) => { const cur = openConversation$.get(); if (cur && !cur.messages.some((x) => x.id === note.id)) openConversation$.set({ ...cur, messages: [...cur.messages, note] }); }} />
      )}
    </div>
  );
};
