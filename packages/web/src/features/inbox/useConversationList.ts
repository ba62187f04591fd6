import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TConversation, TMessage, TRowDetail } from '@careline/shared';
import { get, qs } from '../../lib/api.ts';
import { me$, refreshCounts } from '../../lib/data.ts';
import { onEvent } from '../../lib/realtime.ts';
import { compare, matches, type ListFilter, type SortKey } from './views.ts';

type Page = { items: TConversation[]; nextCursor: string | null };
const PAGE = 50;

/**
 * The conversations of a view: cursor-paged from the server in the chosen order, kept live from the
 * realtime socket (rows re-sorted locally in the same order), with my read markers for the unread dot.
 */
export const useConversationList = (filter: ListFilter, sort: SortKey) => {
  const [items, setItems] = useState<TConversation[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [details, setDetails] = useState<Record<string, TRowDetail>>({});
  const key = JSON.stringify([filter, sort]);
  const generation = useRef(0);
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const sortRef = useRef(sort);
  sortRef.current = sort;

  const fetchDetails = useCallback(async (ids: string[]) => {
    if (!ids.length) return;
    const more = await get<Record<string, TRowDetail>>(`/conversations/row-details${qs({ ids: ids.join(',') })}`).catch(() => ({}));
    setDetails((d) => ({ ...d, ...more }));
  }, []);
  const detailsRef = useRef(details);
  detailsRef.current = details;

  const load = useCallback(async (after: string | null) => {
    const gen = generation.current;
    setLoading(true); setError(null);
    try {
      const f = filterRef.current;
      const page = await get<Page>(`/conversations${qs({ ...f, sort: sortRef.current === 'newest' ? null : sortRef.current, limit: PAGE, cursor: after })}`);
      if (gen !== generation.current) return;
      performance.mark('inbox:data');
      setItems((prev) => (after ? [...prev, ...page.items.filter((c) => !prev.some((p) => p.id === c.id))] : page.items));
      setCursor(page.nextCursor);
      void fetchDetails(page.items.map((c) => c.id));
    } catch (e) {
      if (gen === generation.current) setError((e as Error).message);
    } finally {
      if (gen === generation.current) setLoading(false);
    }
  }, [fetchDetails]);

  useEffect(() => { generation.current++; setItems([]); setCursor(null); void load(null); }, [key, load]);

  // Live: a changed conversation moves into, within or out of the list; a new message updates its row.
  useEffect(() => onEvent((event) => {
    refreshCounts(250);
    const myId = me$.get()?.id ?? '';
    const data = event.data as { conversation?: TConversation; message?: TMessage; conversationId?: string };
    if (data.conversation) {
      const c = data.conversation;
      if (!detailsRef.current[c.id]) void fetchDetails([c.id]);
      setItems((prev) => {
        const without = prev.filter((p) => p.id !== c.id);
        if (!matches(c, filterRef.current, myId)) return without;
        if (filterRef.current.q && without.length === prev.length) return prev; // search results: only refresh known rows
        return [c, ...without].sort(compare('newest'));
      });
    } else if (data.message && data.conversationId) {
      const m = data.message;
      if (event.name !== 'message.created' || m.kind === 'activity') return;
      setItems((prev) => prev.map((p) => (p.id !== m.conversationId ? p : {
        ...p, lastActivityAt: m.createdAt, lastMessagePreview: m.text.replace(/\s+/g, ' ').slice(0, 200),
        lastIncomingAt: m.kind === 'incoming' ? m.createdAt : p.lastIncomingAt,
      })).sort(compare('newest')));
    }
  }), [fetchDetails]);

  const sorted = useMemo(() => (sort === 'newest' ? items : [...items].sort(compare(sort))), [items, sort]);
  const loadMore = useCallback(() => { if (cursor && !loading) void load(cursor); }, [cursor, loading, load]);
  const markRead = useCallback((id: string, at: string) => setDetails((d) => (d[id] ? { ...d, [id]: { ...d[id]!, lastReadAt: at } } : d)), []);
  const patchItem = useCallback((c: TConversation) => setItems((prev) => {
    const without = prev.filter((p) => p.id !== c.id);
    return matches(c, filterRef.current, me$.get()?.id ?? '') ? [c, ...without].sort(compare('newest')) : without;
  }), []);
  const reload = useCallback(() => { generation.current++; void load(null); }, [load]);

  return { items: sorted, hasMore: Boolean(cursor), loading, error, details, loadMore, markRead, patchItem, reload };
};

export const isUnread = (c: TConversation, d: TRowDetail | undefined) =>
  Boolean(c.lastIncomingAt && d) && (!d!.lastReadAt || d!.lastReadAt < c.lastIncomingAt!);
