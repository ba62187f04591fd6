import type { ConversationStatus, TConversationCounts, TInbox, TUser } from '@careline/shared';
import { get } from './api.ts';
import { createStore } from './store.ts';

export type Team = { id: string; name: string; description: string; memberIds: string[] };
export type Directory = { users: TUser[]; teams: Team[]; inboxes: TInbox[] };
/** A named status over one of the five base states (GET /custom-statuses). */
export type CustomStatus = { id: string; name: string; baseStatus: ConversationStatus; createdAt: string };

/** Who I am, plus the small lists every screen needs (agents, teams, inboxes), loaded once after sign-in. */
export const me$ = createStore<TUser | null | undefined>(undefined);
export const directory$ = createStore<Directory>({ users: [], teams: [], inboxes: [] });
export const customStatuses$ = createStore<CustomStatus[]>([]);
export const counts$ = createStore<TConversationCounts | null>(null);
export const toast$ = createStore<{ id: number; text: string; tone: 'ok' | 'error' } | null>(null);

let toastId = 0;
export const toast = (text: string, tone: 'ok' | 'error' = 'ok') => {
  const id = ++toastId;
  toast$.set({ id, text, tone });
  setTimeout(() => { if (toast$.get()?.id === id) toast$.set(null); }, tone === 'error' ? 6000 : 2500);
};

export const loadDirectory = async () => {
  const [users, teams, inboxes] = await Promise.all([get<TUser[]>('/users'), get<Team[]>('/teams'), get<TInbox[]>('/inboxes'), loadCustomStatuses()]);
  directory$.set({ users, teams, inboxes });
};

let usersAt = Date.now();
/** The agent list again (GET /users), at most once a minute: colleagues added since sign-in can be @mentioned. */
export const refreshUsers = () => {
  if (Date.now() - usersAt < 60_000) return;
  usersAt = Date.now();
  void get<TUser[]>('/users').then((users) => directory$.set((d) => ({ ...d, users }))).catch(() => {});
};

export const loadCustomStatuses = () => get<CustomStatus[]>('/custom-statuses').then((s) => customStatuses$.set(s)).catch(() => {});
/** The label of a conversation's status: its custom status name when it has one. */
export const customStatusName = (id: string | null | undefined) => (id ? customStatuses$.get().find((s) => s.id === id)?.name ?? null : null);

let countsTimer: ReturnType<typeof setTimeout> | null = null;
export const refreshCounts = (delay = 0) => {
  if (countsTimer) clearTimeout(countsTimer);
  countsTimer = setTimeout(() => { void get<TConversationCounts>('/conversations/counts').then((c) => counts$.set(c)).catch(() => {}); }, delay);
};

export const userName = (id: string | null | undefined) => (id ? directory$.get().users.find((u) => u.id === id)?.name ?? '—' : null);
export const initials = (name: string) => name.trim().split(/\s+/).slice(0, 2).map((p) => p[0]?.toUpperCase() ?? '').join('') || '?';
