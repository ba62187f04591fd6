import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ConversationStatus, Priority, TConversation } from '@careline/shared';
import { directory$, me$ } from '../../lib/data.ts';
import { useT } from '../../lib/i18n.ts';
import { navigate, useLocation } from '../../lib/router.ts';
import { createStore, useStore } from '../../lib/store.ts';
import { ConversationList } from './ConversationList.tsx';
import { HelpDialog, Picker, type PickerOption } from './Picker.tsx';
import { useConversationList } from './useConversationList.ts';
import { parseView, viewLabel, type ListFilter, type SortKey } from './views.ts';
import { Icon } from './icons.tsx';
import { pickerOptions, setStatus, type PickerKind } from '../conversation/actions.tsx';
import { ConversationPane, composerCommand$, openConversation$ } from '../conversation/ConversationPane.tsx';
import { NewEmailButton, newEmailOpen$ } from '../conversation/EmailDialogs.tsx';

type PickerState = { title: string; options: PickerOption[]; custom?: (q: string) => PickerOption | null; footer?: (close: () => void) => React.ReactNode };
export const modalOpen$ = createStore(false);

const isTyping = (el: EventTarget | null) => el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

export const InboxScreen = ({ view, conversationId }: { view: string; conversationId: string | null }) => {
  const t = useT();
  const me = useStore(me$)!;
  const dir = useStore(directory$);
  const { search } = useLocation();
  const params = useMemo(() => new URLSearchParams(search), [search]);
  const sort = (params.get('sort') as SortKey | null) ?? 'newest';
  const base = parseView(view);
  const filter: ListFilter = {
    ...base,
    status: (params.get('status') as ConversationStatus | null) ?? base.status,
    priority: (params.get('priority') as Priority | null) ?? undefined,
    tag: params.get('tag') ?? undefined,
    q: params.get('q') ?? undefined,
  };
  const list = useConversationList(filter, sort);
  const [cursor, setCursor] = useState(0);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [picker, setPicker] = useState<PickerState | null>(null);
  const [help, setHelp] = useState(false);
  const [q, setQ] = useState(filter.q ?? '');
  const searchRef = useRef<HTMLInputElement>(null);
  const open = useStore(openConversation$);

  useEffect(() => modalOpen$.set(Boolean(picker || help)), [picker, help]);
  useEffect(() => { setChecked(new Set()); setCursor(0); }, [view, search]);
  useEffect(() => {
    if (!conversationId) return;
    const i = list.items.findIndex((c) => c.id === conversationId);
    if (i >= 0) setCursor(i);
  }, [conversationId, list.items]);

  const setParam = (key: string, value: string | null) => {
    const p = new URLSearchParams(search);
    if (value) p.set(key, value); else p.delete(key);
    const s = p.toString();
    navigate(`/inbox/${view}${conversationId ? `/c/${conversationId}` : ''}${s ? `?${s}` : ''}`, { replace: true });
  };
  useEffect(() => {
    const h = setTimeout(() => { if ((filter.q ?? '') !== q.trim()) setParam('q', q.trim() || null); }, 250);
    return () => clearTimeout(h);
  }, [q]); // eslint-disable-line react-hooks/exhaustive-deps

  const openConversation = useCallback((id: string | null) => {
    const s = search;
    navigate(id ? `/inbox/${view}/c/${id}${s}` : `/inbox/${view}${s}`);
  }, [view, search]);
  const toggle = useCallback((id: string) => setChecked((prev) => { const n = new Set(prev); if (n.has(id)) n.delete(id); else n.add(id); return n; }), []);

  const onUpdated = useCallback((c: TConversation) => {
    list.patchItem(c);
    if (openConversation$.get()?.id === c.id) openConversation$.set({ ...openConversation$.get()!, ...c });
  }, [list.patchItem]); // eslint-disable-line react-hooks/exhaustive-deps

  const targets = useCallback((): TConversation[] => {
    if (checked.size) return list.items.filter((c) => checked.has(c.id));
    if (open && open.id === conversationId) return [open];
    const c = list.items[cursor];
    return c ? [c] : [];
  }, [checked, list.items, open, conversationId, cursor]);

  const knownTags = useMemo(() => [...new Set(list.items.flatMap((c) => c.tags))].sort(), [list.items]);
  const showPicker = useCallback(async (kind: PickerKind) => {
    const ts = targets();
    if (!ts.length) return;
    setPicker(await pickerOptions(kind, ts, knownTags, onUpdated, t, me.timeZone));
  }, [targets, knownTags, onUpdated, t, me.timeZone]);

  const resolve = useCallback(() => { const ts = targets(); if (ts.length) void setStatus(ts.map((c) => c.id), 'resolved', onUpdated, t); }, [targets, onUpdated, t]);

  // Keyboard shortcuts (see HelpDialog). Ignored while typing, except Escape.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (modalOpen$.get() || e.metaKey || e.ctrlKey || e.altKey) return;
      if (isTyping(e.target)) {
        if (e.key === 'Escape') (e.target as HTMLElement).blur();
        return;
      }
      const move = (d: number) => {
        const next = Math.max(0, Math.min(list.items.length - 1, cursor + d));
        setCursor(next);
        if (conversationId && list.items[next]) openConversation(list.items[next]!.id);
      };
      const handlers: Record<string, () => void> = {
        j: () => move(1), ArrowDown: () => move(1), k: () => move(-1), ArrowUp: () => move(-1),
        Enter: () => { const c = list.items[cursor]; if (c) openConversation(c.id); },
        o: () => { const c = list.items[cursor]; if (c) openConversation(c.id); },
        r: () => { if (!conversationId && list.items[cursor]) openConversation(list.items[cursor]!.id); composerCommand$.set({ mode: 'reply', seq: Date.now() }); },
        n: () => { if (!conversationId && list.items[cursor]) openConversation(list.items[cursor]!.id); composerCommand$.set({ mode: 'note', seq: Date.now() }); },
        a: () => void showPicker('assign'), s: () => void showPicker('status'), p: () => void showPicker('priority'),
        t: () => void showPicker('tags'), z: () => void showPicker('snooze'), m: () => void showPicker('merge'),
        e: resolve, c: () => newEmailOpen$.set(true),
        x: () => { const c = list.items[cursor]; if (c) toggle(c.id); },
        '/': () => searchRef.current?.focus(),
        '?': () => setHelp(true),
        Escape: () => { if (checked.size) setChecked(new Set()); else if (conversationId) openConversation(null); },
      };
      const h = handlers[e.key];
      if (h) { e.preventDefault(); h(); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [list.items, cursor, conversationId, checked, openConversation, showPicker, resolve, toggle]);

  const label = viewLabel(view, t, dir);
  const statuses: ConversationStatus[] = ['open', 'pending', 'snoozed', 'resolved', 'closed'];
  const priorities: Priority[] = ['urgent', 'high', 'normal', 'low'];

  return (
    <div className={`inbox ${conversationId ? 'has-open' : ''}`}>
      <section className="list-pane" aria-label={label}>
        <header className="list-head">
          <h1>{label}</h1>
          <span className="muted list-count">{t('list.count', { n: list.items.length + (list.hasMore ? '+' : '') })}</span>
          <NewEmailButton />
          <button className="icon-btn" onClick={() => setHelp(true)} aria-label={t('keys.title')} title={t('keys.title')}><Icon name="keyboard" /></button>
        </header>
        <div className="search">
          <Icon name="search" />
          <input ref={searchRef} type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('list.search')} aria-label={t('keys.search')} />
          <kbd className="search-kbd">/</kbd>
        </div>
        <div className="filters">
          {!view.startsWith('status-') && (
            <select aria-label={t('list.filter.status')} value={filter.status ?? 'open'} onChange={(e) => setParam('status', e.target.value === base.status ? null : e.target.value)}>
              {statuses.map((s) => <option key={s} value={s}>{t(`status.${s}`)}</option>)}
            </select>
          )}
          <select aria-label={t('list.filter.priority')} value={filter.priority ?? ''} onChange={(e) => setParam('priority', e.target.value || null)}>
            <option value="">{t('list.filter.any_priority')}</option>
            {priorities.map((p) => <option key={p} value={p}>{t(`priority.${p}`)}</option>)}
          </select>
          <select aria-label={t('list.sort')} value={sort} onChange={(e) => setParam('sort', e.target.value === 'newest' ? null : e.target.value)}>
            {(['newest', 'oldest', 'waiting', 'priority'] as SortKey[]).map((s) => <option key={s} value={s}>{t(`list.sort.${s}`)}</option>)}
          </select>
          {filter.tag && <button className="chip tag chip-btn" onClick={() => setParam('tag', null)}>{filter.tag} <Icon name="x" size={10} /></button>}
        </div>
        {checked.size > 0 && (
          <div className="bulkbar" role="toolbar" aria-label={t('bulk.selected', { n: checked.size })}>
            <span>{t('bulk.selected', { n: checked.size })}</span>
            <button className="btn btn-sm" onClick={() => void showPicker('assign')}>{t('bulk.assign')} <kbd>a</kbd></button>
            <button className="btn btn-sm" onClick={() => void showPicker('tags')}>{t('bulk.tag')} <kbd>t</kbd></button>
            <button className="btn btn-sm btn-primary" onClick={resolve}>{t('bulk.resolve')} <kbd>e</kbd></button>
            <button className="icon-btn" onClick={() => setChecked(new Set())} aria-label={t('bulk.clear')}><Icon name="x" /></button>
          </div>
        )}
        {list.error && <div role="alert" className="form-error pad">{t('common.error', { detail: list.error })} <button className="link" onClick={list.reload}>{t('common.retry')}</button></div>}
        <ConversationList items={list.items} details={list.details} cursor={cursor} openId={conversationId} checked={checked} tz={me.timeZone}
          hasMore={list.hasMore} loading={list.loading} onOpen={openConversation} onToggle={toggle} onLoadMore={list.loadMore}
          emptyText={filter.q ? t('list.empty_search', { q: filter.q }) : t('list.empty')} />
      </section>
      <section className="conv-pane">
        {conversationId
          ? <ConversationPane key={conversationId} id={conversationId} onUpdated={onUpdated} onPick={(k) => void showPicker(k)} onRead={list.markRead} onClose={() => openConversation(null)} />
          : <div className="conv-empty"><Icon name="inbox" size={40} /><h2>{t('conv.none')}</h2><p className="muted">{t('conv.none_hint')}</p></div>}
      </section>
      {picker && <Picker {...picker} onClose={() => setPicker(null)} />}
      {help && <HelpDialog onClose={() => setHelp(false)} />}
    </div>
  );
};
