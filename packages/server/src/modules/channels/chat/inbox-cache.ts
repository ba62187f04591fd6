import { parseChatSettings, type TChatSettings, type TWidgetPresence } from '@careline/shared';
import type { Deps } from '../../../platform/context.ts';
import type { DB } from '../../../db/schema.ts';
import { fromJson } from '../../../db/dialect.ts';
import { AppError, notFound } from '../../../platform/errors/app-error.ts';
import { findInboxRow } from '../../inboxes/index.ts';
import { loadUsers } from '../../users/index.ts';
import { businessHoursState } from './business-hours.ts';

export type ChatInbox = { row: DB['inboxes']; settings: TChatSettings };

const TTL_MS = 5_000;

/**
 * Per-node caches the widget's hot paths read on every request and frame: chat inboxes (by id and by
 * public token) and agents' availability. Changes show up within a few seconds on every node.
 */
export const createInboxCache = (deps: Deps) => {
  const byKey = new Map<string, { value: Promise<ChatInbox | null>; at: number }>();
  let users: { value: Promise<Awaited<ReturnType<typeof loadUsers>>>; at: number } | null = null;

  const load = (key: string, by: { id?: string; publicToken?: string }) => {
    const hit = byKey.get(key);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
    const value = findInboxRow(deps.db.kysely, by).then((row) => (row && row.channel === 'chat' ? { row, settings: parseChatSettings(fromJson(row.settings, {})) } : null));
    byKey.set(key, { value, at: Date.now() });
    value.catch(() => byKey.delete(key));
    return value;
  };

  const agents = () => {
    if (!users || Date.now() - users.at > TTL_MS) {
      users = { value: loadUsers(deps.db.kysely), at: Date.now() };
      users.value.catch(() => { users = null; });
    }
    return users.value;
  };

  return {
    byToken: async (publicToken: string) => {
      const inbox = await load(`t:${publicToken}`, { publicToken });
      if (!inbox) throw notFound('Chat');
      return inbox;
    },
    byId: async (id: string) => {
      const inbox = await load(`i:${id}`, { id });
      if (!inbox) throw notFound('Chat');
      return inbox;
    },
    /** Online when an agent of the inbox (any agent if it has none) is online and, with business hours, it is open. */
    async presence(inbox: ChatInbox): Promise<TWidgetPresence> {
      const all = (await agents()).filter((u) => !u.isDisabled);
      const members = all.filter((u) => u.inboxIds.includes(inbox.row.id));
      const someoneOnline = (members.length ? members : all).some((u) => u.availability === 'online');
      const hours = inbox.settings.businessHours;
      if (!hours) return { isOnline: someoneOnline, backAt: null };
      const state = businessHoursState(hours, deps.clock.now());
      return { isOnline: someoneOnline && state.isOpen, backAt: state.isOpen ? null : state.opensAt?.toISOString() ?? null };
    },
    clear() { byKey.clear(); users = null; },
  };
};
export type InboxCache = ReturnType<typeof createInboxCache>;

/** Origin allow-list: an empty list allows every site; requests without Origin (not from a browser) pass. */
export const assertOriginAllowed = (inbox: ChatInbox, origin: string | undefined, ownOrigin: string) => {
  const allowed = inbox.settings.allowedOrigins;
  if (!origin || !allowed.length || origin === ownOrigin) return;
  const o = origin.toLowerCase().replace(/\/$/, '');
  if (allowed.some((a) => a.toLowerCase().replace(/\/$/, '') === o)) return;
  throw new AppError('ORIGIN_NOT_ALLOWED', { userMessage: `This chat is not enabled on ${origin}. Add the site to the inbox's allowed origins.` });
};
