import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { TConversation, TRowDetail } from '@careline/shared';
import { customStatuses$, directory$, initials } from '../../lib/data.ts';
import { lang$, useT } from '../../lib/i18n.ts';
import { presence$ } from '../../lib/realtime.ts';
import { useStore } from '../../lib/store.ts';
import { formatDuration, formatShort } from '../../lib/time.ts';
import { ChannelIcon, Icon } from './icons.tsx';
import { isUnread } from './useConversationList.ts';

export const ROW_HEIGHT = 84;
const OVERSCAN = 6;

type RowProps = {
  c: TConversation; detail: TRowDetail | undefined; isCursor: boolean; isOpen: boolean; isChecked: boolean; tz: string; now: number;
  onOpen: (id: string) => void; onToggle: (id: string) => void; top: number; index: number;
};

const Row = memo(({ c, detail, isCursor, isOpen, isChecked, tz, now, onOpen, onToggle, top, index }: RowProps) => {
  const t = useT();
  const lang = useStore(lang$);
  const dir = useStore(directory$);
  const viewers = useStore(presence$)[c.id];
  const customName = useStore(customStatuses$).find((s) => s.id === c.customStatusId)?.name ?? null;
  const inbox = dir.inboxes.find((i) => i.id === c.inboxId);
  const assignee = c.assigneeId ? dir.users.find((u) => u.id === c.assigneeId) : null;
  const unread = isUnread(c, detail);
  const waitingMs = c.lastIncomingAt && (c.status === 'open' || c.status === 'pending') ? now - Date.parse(c.lastIncomingAt) : null;
  const customerWroteLast = c.lastIncomingAt && c.lastIncomingAt >= c.lastActivityAt;
  const others = viewers ? Object.values(viewers) : [];
  return (
    <div role="option" aria-selected={isCursor} id={`row-${c.id}`} data-id={c.id} data-index={index}
      className={`row ${isCursor ? 'cursor' : ''} ${isOpen ? 'open' : ''} ${unread ? 'unread' : ''} ${isChecked ? 'checked' : ''}`}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }} onClick={() => onOpen(c.id)}>
      <label className="row-check" onClick={(e) => e.stopPropagation()}>
        <input type="checkbox" checked={isChecked} onChange={() => onToggle(c.id)} aria-label={`${t('list.select')} #${c.number}`} />
      </label>
      <div className="row-body">
        <div className="row-line1">
          {inbox && <ChannelIcon channel={inbox.channel} label={t(`channel.${inbox.channel}`)} />}
          <span className="row-customer">{detail?.contactName || detail?.contactHandle || t('conv.customer')}</span>
          {unread && <span className="unread-dot" aria-label="unread" />}
          <span className="row-number">#{c.number}</span>
          <time className="row-time" dateTime={c.lastActivityAt}>{formatShort(c.lastActivityAt, lang, tz, now)}</time>
        </div>
        <div className="row-line2"><span className="row-subject">{c.subject || t('list.no_subject')}</span><span className="row-preview"> — {c.lastMessagePreview}</span></div>
        <div className="row-line3">
          {c.priority !== 'normal' && <span className={`chip prio prio-${c.priority}`}><Icon name="flag" size={12} />{t(`priority.${c.priority}`)}</span>}
          {(c.status !== 'open' || customName) && <span className={`chip status-chip st-${c.status}`}>{customName ?? t(`status.${c.status}`)}</span>}
          {waitingMs !== null && <span className={`chip waiting ${customerWroteLast && waitingMs > 4 * 3600_000 ? 'late' : ''}`}><Icon name="clock" size={12} />{t('list.waiting', { d: formatDuration(waitingMs, lang) })}</span>}
          {c.tags.slice(0, 3).map((tag) => <span key={tag} className="chip tag">{tag}</span>)}
          {others.length > 0 && <span className="chip presence-chip" title={others.map((p) => p.user.name).join(', ')}><Icon name="eye" size={12} />{others[0]!.user.name.split(' ')[0]}</span>}
          <span className="row-assignee" title={assignee?.name ?? t('list.unassigned')}>
            {assignee ? <span className="avatar avatar-xs" aria-hidden>{initials(assignee.name)}</span> : null}
            <span className={assignee ? '' : 'muted'}>{assignee ? assignee.name.split(' ')[0] : t('list.unassigned')}</span>
          </span>
        </div>
      </div>
    </div>
  );
});

type ListProps = {
  items: TConversation[]; details: Record<string, TRowDetail>; cursor: number; openId: string | null; checked: Set<string>; tz: string;
  hasMore: boolean; loading: boolean; onOpen: (id: string) => void; onToggle: (id: string) => void; onLoadMore: () => void; emptyText: string;
};

/** A virtualised list: only the rows in view (plus a few) exist in the DOM, whatever the number loaded. */
export const ConversationList = ({ items, details, cursor, openId, checked, tz, hasMore, loading, onOpen, onToggle, onLoadMore, emptyText }: ListProps) => {
  const t = useT();
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(800);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => { const i = setInterval(() => setNow(Date.now()), 60_000); return () => clearInterval(i); }, []);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  // Keep the keyboard cursor in view.
  useEffect(() => {
    const el = scroller.current;
    if (!el || cursor < 0) return;
    const top = cursor * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
  }, [cursor]);

  // Infinite scroll: fetch the next page when the end is near.
  useEffect(() => {
    if (hasMore && !loading && (scrollTop + height) / ROW_HEIGHT > items.length - 10) onLoadMore();
  }, [scrollTop, height, items.length, hasMore, loading, onLoadMore]);

  useLayoutEffect(() => {
    if (items.length && performance.getEntriesByName('inbox:data').length) {
      performance.mark('inbox:rendered');
      try { performance.measure('inbox:first-page', 'inbox:data', 'inbox:rendered'); } catch { /* marks cleared */ }
      performance.clearMarks('inbox:data');
    }
  }, [items]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const visible = items.slice(first, last);

  return (
    <div className="list-scroll" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      {items.length === 0 && !loading && <div className="list-empty"><Icon name="inbox" size={28} /><p>{emptyText}</p></div>}
      <div role="listbox" aria-label={t('nav.conversations')} aria-activedescendant={items[cursor] ? `row-${items[cursor]!.id}` : undefined}
        className="list-inner" style={{ height: items.length * ROW_HEIGHT }} tabIndex={-1}>
        {visible.map((c, i) => (
          <Row key={c.id} c={c} detail={details[c.id]} index={first + i} top={(first + i) * ROW_HEIGHT} isCursor={first + i === cursor} isOpen={c.id === openId}
            isChecked={checked.has(c.id)} tz={tz} now={now} onOpen={onOpen} onToggle={onToggle} />
        ))}
      </div>
      {loading && <div className="list-loading" aria-live="polite">{t('list.loading')}</div>}
    </div>
  );
};
