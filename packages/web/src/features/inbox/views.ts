import type { ConversationStatus, Priority, TConversation } from '@careline/shared';
import type { T } from '../../lib/i18n.ts';
import type { Directory } from '../../lib/data.ts';

/** A view is a saved filter: mine | unassigned | all | inbox-<id> | team-<id> | status-<status>. */
export type ViewFilter = { assignee?: 'me' | 'unassigned'; inboxId?: string; teamId?: string; status?: ConversationStatus };
export type ListFilter = ViewFilter & { priority?: Priority; tag?: string; q?: string };
export type SortKey = 'newest' | 'oldest' | 'waiting' | 'priority';

export const parseView = (view: string): ViewFilter => {
  if (view === 'mine') return { assignee: 'me', status: 'open' };
  if (view === 'unassigned') return { assignee: 'unassigned', status: 'open' };
  if (view === 'all') return { status: 'open' };
  if (view.startsWith('inbox-')) return { inboxId: view.slice(6), status: 'open' };
  if (view.startsWith('team-')) return { teamId: view.slice(5), status: 'open' };
  if (view.startsWith('status-')) return { status: view.slice(7) as ConversationStatus };
  return { status: 'open' };
};

export const viewLabel = (view: string, t: T, dir: Directory) => {
  if (view === 'mine') return t('nav.mine');
  if (view === 'unassigned') return t('nav.unassigned');
  if (view === 'all') return t('nav.all');
  if (view.startsWith('inbox-')) return dir.inboxes.find((i) => i.id === view.slice(6))?.name ?? t('nav.inboxes');
  if (view.startsWith('team-')) return dir.teams.find((x) => x.id === view.slice(5))?.name ?? t('nav.teams');
  if (view.startsWith('status-')) return t(`status.${view.slice(7) as ConversationStatus}`);
  return view;
};

/** Does a conversation (from a live event) belong in the list? Text search is left to the server. */
export const matches = (c: TConversation, f: ListFilter, myId: string) => {
  if (c.mergedIntoId && f.status !== 'closed') return false;
  if (f.status && c.status !== f.status) return false;
  if (f.assignee === 'me' && c.assigneeId !== myId) return false;
  if (f.assignee === 'unassigned' && c.assigneeId !== null) return false;
  if (f.inboxId && c.inboxId !== f.inboxId) return false;
  if (f.teamId && c.teamId !== f.teamId) return false;
  if (f.priority && c.priority !== f.priority) return false;
  if (f.tag && !c.tags.includes(f.tag)) return false;
  return true;
};

const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };
export const compare = (sort: SortKey) => (a: TConversation, b: TConversation) => {
  const byActivity = b.lastActivityAt.localeCompare(a.lastActivityAt) || b.id.localeCompare(a.id);
  if (sort === 'oldest') return -byActivity;
  if (sort === 'waiting') return (a.lastIncomingAt ?? '9999').localeCompare(b.lastIncomingAt ?? '9999') || byActivity;
  if (sort === 'priority') return PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || byActivity;
  return byActivity;
};
