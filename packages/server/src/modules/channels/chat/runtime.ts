import type { Deps } from '../../../platform/context.ts';
import { createAgentNames, type AgentNames } from './chat-messages.ts';
import { createInboxCache, type InboxCache } from './inbox-cache.ts';
import { createVisitorHub, type VisitorHub } from './visitor-hub.ts';

/** The chat module's per-node state: caches and the visitor socket hub. */
export type ChatRuntime = { inboxes: InboxCache; names: AgentNames; hub: VisitorHub };

export const createChatRuntime = (deps: Deps): ChatRuntime => {
  const inboxes = createInboxCache(deps);
  const names = createAgentNames(deps);
  const hub = createVisitorHub(deps, inboxes, names, new URL(deps.config.publicUrl).origin);
  return { inboxes, names, hub };
};
