import type { WebSocket } from 'ws';
import type { DomainEvent } from '@careline/shared';
import type { Deps, SessionUser } from '../../platform/context.ts';
import { visibleInboxIds } from '../inboxes/index.ts';
import { sendFrame, sharedFrame } from '../../platform/http/socket-send.ts';

import { MEMBERSHIP_CHANNEL, PRESENCE_CHANNEL } from '../../platform/events/channels.ts';

export type PresenceState = 'viewing' | 'typing' | 'left';
export type PresenceMessage = {
  type: 'presence'; conversationId: string; inboxId: string; user: { id: string; name: string }; state: PresenceState; at: string;
};

type Client = { socket: WebSocket; user: SessionUser; inboxes: Set<string> | null };

/**
 * Pushes committed events and presence (from any node, via the bus) to exactly the sockets whose
 * user may see the inbox. Each socket caches its user's inboxes; a membership change on any node
 * refreshes every cache.
 */
export const createHub = (deps: Deps) => {
  const clients = new Set<Client>();

  const refresh = async (c: Client) => {
    const ids = await visibleInboxIds(deps.db.kysely, { type: 'user', user: c.user, via: 'session' });
    c.inboxes = ids === null ? null : new Set(ids);
  };
  const canSee = (c: Client, inboxId: string | null) => inboxId === null || c.inboxes === null || c.inboxes.has(inboxId);
  /** `json` is built only when someone will receive it (a mail burst with no agent online serialises nothing). */
  const broadcast = (inboxId: string | null, json: () => string, exceptUserId?: string) => {
    let payload: ReturnType<typeof sharedFrame> | null = null;
    for (const c of clients) {
      if (c.user.id !== exceptUserId && canSee(c, inboxId)) sendFrame(c.socket, payload ??= sharedFrame(json()));
    }
  };

  const unsubscribe = [
    deps.events.onEvent((event: DomainEvent) => broadcast(event.inboxId, () => JSON.stringify({ type: 'event', event }))),
    deps.bus.subscribe(PRESENCE_CHANNEL, (p: PresenceMessage) => broadcast(p.inboxId, () => JSON.stringify(p), p.user.id)),
    deps.bus.subscribe(MEMBERSHIP_CHANNEL, () => { for (const c of clients) void refresh(c).catch(() => {}); }),
  ];

  return {
    async add(socket: WebSocket, user: SessionUser) {
      const client: Client = { socket, user, inboxes: new Set() };
      await refresh(client);
      clients.add(client);
      socket.on('close', () => clients.delete(client));
      return client;
    },
    canSee,
    count: () => clients.size,
    close() { unsubscribe.forEach((off) => off()); for (const c of clients) c.socket.close(1001, 'server shutting down'); },
  };
};
export type Hub = ReturnType<typeof createHub>;
