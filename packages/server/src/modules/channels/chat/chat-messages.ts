import type { TChatMessage, TMessage } from '@careline/shared';
import type { Deps } from '../../../platform/context.ts';
import { loadUsers } from '../../users/index.ts';
import { attachmentSignature } from './identity.ts';

/** Only customer and agent messages reach the visitor; notes and activity lines never do. */
export const isVisitorVisible = (m: Pick<TMessage, 'kind'>) => m.kind === 'incoming' || m.kind === 'outgoing';

/** (createdAt, id) order, the order of the conversation. */
export const compareMessages = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** Agents' display names, cached per node (the widget shows the name and an initials avatar). */
export const createAgentNames = (deps: Deps) => {
  const names = new Map<string, { name: string; at: number }>();
  const pending = new Map<string, Promise<void>>();
  const fetch = (ids: string[]) => {
    const key = ids.sort().join(',');
    let p = pending.get(key);
    if (!p) {
      p = loadUsers(deps.db.kysely, ids).then((users) => { for (const u of users) names.set(u.id, { name: u.name, at: Date.now() }); })
        .finally(() => pending.delete(key));
      pending.set(key, p);
    }
    return p;
  };
  return {
    /** Synchronous when every author is cached (the common case on the hot path). */
    ensure(messages: TMessage[]): Promise<void> | null {
      const missing = [...new Set(messages.flatMap((m) => (m.authorUserId && !fresh(names.get(m.authorUserId)) ? [m.authorUserId] : [])))];
      return missing.length ? fetch(missing) : null;
    },
    nameOf: (userId: string | null) => (userId ? names.get(userId)?.name : undefined),
  };
};
const fresh = (e: { at: number } | undefined) => !!e && Date.now() - e.at < 5 * 60_000;
export type AgentNames = ReturnType<typeof createAgentNames>;

/** The visitor's view of a stored message (links are relative to the Careline server). `ensure` the author's name first. */
export const toChatMessage = (m: TMessage, inboxSecret: string, names: AgentNames, businessName: string): TChatMessage => ({
  id: m.id,
  kind: m.kind as TChatMessage['kind'],
  text: m.text,
  createdAt: m.createdAt,
  author: m.kind === 'outgoing' ? { type: 'agent', name: names.nameOf(m.authorUserId) ?? businessName } : { type: 'visitor', name: '' },
  attachments: m.attachments.map((a) => ({
    id: a.id, filename: a.filename, contentType: a.contentType, size: a.size,
    url: `/widget-api/attachments/${a.id}?sig=${attachmentSignature(inboxSecret, a.id)}`,
  })),
  deliveryState: m.deliveryState,
  clientId: typeof m.metadata?.clientId === 'string' ? m.metadata.clientId : null,
});
