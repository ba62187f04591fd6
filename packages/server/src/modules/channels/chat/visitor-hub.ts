import type { WebSocket } from 'ws';
import { CHAT_LIMITS, ZChatClientFrame, type DomainEvent, type TChatServerFrame, type TMessage, type TWidgetPresence } from '@careline/shared';
import type { Deps } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors/app-error.ts';
import { createHeartbeat } from '../../../platform/http/heartbeat.ts';
import { sendFrame } from '../../../platform/http/socket-send.ts';
import { PRESENCE_CHANNEL } from '../../../platform/events/channels.ts';
import { loadMessages } from '../../conversations/index.ts';
import { findVisitorByToken, updateVisitor } from './chat.repo.ts';
import { compareMessages, isVisitorVisible, toChatMessage, type AgentNames } from './chat-messages.ts';
import { assertOriginAllowed, type ChatInbox, type InboxCache } from './inbox-cache.ts';
import { toVisitorDto } from './operations/start-session.ts';
import { sendVisitorMessage } from './operations/send-message.ts';
import { markReadByAgent, markReadByVisitor } from './operations/read-receipts.ts';

/** Bus channel of the chat module (nodes tell each other that a visitor now has a conversation). */
export const CHAT_CHANNEL = 'chat';
type ChatBusMessage = { type: 'attach'; visitorId: string; conversationId: string };
type AgentPresence = { type: 'presence'; conversationId: string; inboxId: string; user: { id: string; name: string }; state: string; at: string };

type Bucket = { tokens: number; at: number };
type VisitorSocket = {
  socket: WebSocket;
  ip: string;
  visitorId: string;
  visitorName: string;
  inbox: ChatInbox;
  conversationId: string | null;
  /** Ids already sent on this socket (catch-up and live overlap; the ack and the event of one message). */
  delivered: Set<string>;
  /** Live frames that arrive while the catch-up is being read; sent after it. */
  pending: TMessage[] | null;
  lastTypingAt: number;
  lastReadId: string | null;
  presence: TWidgetPresence | null;
  isAlive: boolean;
};

const send = (s: VisitorSocket, frame: TChatServerFrame) => sendFrame(s.socket, JSON.stringify(frame));

/** Token bucket (capacity `burst`, one token per `refillMs`): per visitor and per IP, on this node. */
const take = (buckets: Map<string, Bucket>, key: string, burst: number, refillMs: number, now: number) => {
  const b = buckets.get(key) ?? { tokens: burst, at: now };
  b.tokens = Math.min(burst, b.tokens + (now - b.at) / refillMs);
  b.at = now;
  buckets.set(key, b);
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
};

/**
 * The visitors' WebSocket side. Committed message events arrive from every node through the bus
 * (deps.events.onEvent), so a visitor connected to node A sees a reply an agent sent on node B. Each
 * socket resumes from the last message id the widget has: catch-up from the database, then live,
 * with no gap and no duplicate.
 */
export const createVisitorHub = (deps: Deps, inboxes: InboxCache, names: AgentNames, ownOrigin: string) => {
  const byConversation = new Map<string, Set<VisitorSocket>>();
  const byVisitor = new Map<string, Set<VisitorSocket>>();
  const visitorBuckets = new Map<string, Bucket>();
  const ipBuckets = new Map<string, Bucket>();

  const index = <K>(map: Map<K, Set<VisitorSocket>>, key: K, s: VisitorSocket) => { let set = map.get(key); if (!set) map.set(key, (set = new Set())); set.add(s); };
  const unindex = <K>(map: Map<K, Set<VisitorSocket>>, key: K, s: VisitorSocket) => { const set = map.get(key); if (set) { set.delete(s); if (!set.size) map.delete(key); } };

  const remember = (s: VisitorSocket, id: string) => {
    s.delivered.add(id);
    if (s.delivered.size > 1000) s.delivered.delete(s.delivered.values().next().value!);
  };

  const deliver = (s: VisitorSocket, m: TMessage, force = false) => {
    if (s.pending) { s.pending.push(m); return; }
    if (!force && s.delivered.has(m.id)) return;
    remember(s, m.id);
    send(s, { type: 'message', message: toChatMessage(m, s.inbox.row.secret, names, s.inbox.row.business_name) });
  };

  const onMessage = (name: string, m: TMessage) => {
    const sockets = byConversation.get(m.conversationId);
    if (!sockets || !isVisitorVisible(m)) return;
    // message.updated (read receipts) re-sends a message the socket already has.
    const push = () => { for (const s of sockets) deliver(s, m, name === 'message.updated'); };
    const wait = names.ensure([m]);
    if (wait) wait.then(push, push); else push();
  };

  const attach = (s: VisitorSocket, conversationId: string) => {
    if (s.conversationId === conversationId) return;
    if (s.conversationId) unindex(byConversation, s.conversationId, s);
    s.conversationId = conversationId;
    index(byConversation, conversationId, s);
  };

  const catchUp = async (s: VisitorSocket, after: string | null) => {
    s.pending = [];
    try {
      if (s.conversationId) {
        const all = (await loadMessages(deps.db.kysely, { conversationId: s.conversationId })).filter(isVisitorVisible);
        const from = after ? all.find((m) => m.id === after) : undefined;
        const missed = from ? all.filter((m) => compareMessages(m, from) > 0) : all;
        if (from) for (const m of all) if (compareMessages(m, from) <= 0) remember(s, m.id);
        await names.ensure(missed);
        const live = s.pending;
        s.pending = null;
        for (const m of missed) deliver(s, m);
        await names.ensure(live);
        for (const m of live.sort(compareMessages)) deliver(s, m);
      }
    } finally { s.pending = null; }
  };

  const unsubscribe = [
    deps.events.onEvent((event: DomainEvent) => {
      if (event.name !== 'message.created' && event.name !== 'message.updated') return;
      const message = (event.data as { message?: TMessage }).message;
      if (message) onMessage(event.name, message);
    }),
    deps.bus.subscribe(CHAT_CHANNEL, (msg: ChatBusMessage) => {
      if (msg.type !== 'attach') return;
      for (const s of byVisitor.get(msg.visitorId) ?? []) {
        if (s.conversationId === msg.conversationId) continue;
        attach(s, msg.conversationId);
        void catchUp(s, null).catch((e) => deps.log.warn({ err: e }, 'chat catch-up failed'));
      }
    }),
    deps.bus.subscribe(PRESENCE_CHANNEL, (p: AgentPresence) => {
      if (p.user.id === 'visitor') return;
      const sockets = byConversation.get(p.conversationId);
      if (p.state === 'typing' || p.state === 'left' || p.state === 'viewing') {
        for (const s of sockets ?? []) send(s, { type: 'typing', agent: { name: p.user.name }, isTyping: p.state === 'typing' });
      }
      // An agent looking at the conversation has read the visitor's messages (done by the node the visitor is on).
      if (p.state === 'viewing' && sockets?.size) void markReadByAgent(deps, p.conversationId).catch((e) => deps.log.warn({ err: e }, 'chat read receipt failed'));
    }),
  ];

  // Pings (a socket that did not answer the last one is dropped), spread over the period so thousands of sockets never
  // stall the loop at once.
  const heartbeat = createHeartbeat<VisitorSocket>(deps.config.CHAT_HEARTBEAT_SECONDS * 1000, (s) => {
    if (!s.isAlive) { s.socket.terminate(); return; }
    s.isAlive = false;
    s.socket.ping();
  });
  // Presence (online / back at …) is recomputed per inbox and pushed only to sockets whose view changed; when it
  // changes for thousands at once, the loop is yielded every 500 frames.
  const refreshPresence = async () => {
    const byInbox = new Map<string, TWidgetPresence>();
    let sent = 0;
    for (const set of [...byVisitor.values()]) for (const s of set) {
      let presence = byInbox.get(s.inbox.row.id);
      if (!presence) { presence = await inboxes.presence(s.inbox); byInbox.set(s.inbox.row.id, presence); }
      if (s.presence && s.presence.isOnline === presence.isOnline && s.presence.backAt === presence.backAt) continue;
      s.presence = presence;
      send(s, { type: 'presence', presence });
      if (++sent % 500 === 0) await new Promise((r) => setImmediate(r));
    }
  };
  const presenceTimer = setInterval(() => { void refreshPresence().catch((e) => deps.log.warn({ err: e }, 'chat presence refresh failed')); }, 15_000);
  presenceTimer.unref();

  const handleFrame = async (s: VisitorSocket, raw: unknown) => {
    const parsed = ZChatClientFrame.safeParse(raw);
    if (!parsed.success) { send(s, { type: 'error', code: 'VALIDATION_FAILED', detail: 'Unknown or invalid frame.' }); return; }
    const frame = parsed.data;
    const now = Date.now();
    switch (frame.type) {
      case 'ping': send(s, { type: 'pong' }); return;
      case 'hello': send(s, { type: 'error', code: 'CONFLICT', detail: 'Already connected.' }); return;
      case 'typing': {
        if (!s.conversationId || (frame.isTyping && now - s.lastTypingAt < 1500)) return;
        s.lastTypingAt = frame.isTyping ? now : 0;
        deps.bus.publish(PRESENCE_CHANNEL, {
          type: 'presence', conversationId: s.conversationId, inboxId: s.inbox.row.id,
          user: { id: 'visitor', name: s.visitorName }, state: frame.isTyping ? 'typing' : 'viewing', at: deps.clock.iso(),
        });
        return;
      }
      case 'read': {
        if (!s.conversationId || frame.messageId === s.lastReadId) return;
        s.lastReadId = frame.messageId;
        await markReadByVisitor(deps, s.conversationId, frame.messageId);
        return;
      }
      case 'message': {
        if (!take(visitorBuckets, s.visitorId, CHAT_LIMITS.burst, CHAT_LIMITS.refillMs, now) || !take(ipBuckets, s.ip, 600, 100, now)) {
          send(s, { type: 'error', code: 'RATE_LIMITED', detail: 'You are sending messages too fast; wait a moment.', clientId: frame.clientId });
          return;
        }
        const result = await sendVisitorMessage(deps, s.visitorId, frame);
        const conversationId = result.message.conversationId;
        if (s.conversationId !== conversationId) {
          attach(s, conversationId);
          deps.bus.publish(CHAT_CHANNEL, { type: 'attach', visitorId: s.visitorId, conversationId } satisfies ChatBusMessage);
        }
        remember(s, result.message.id);
        await names.ensure([result.message]);
        send(s, { type: 'ack', clientId: frame.clientId, message: toChatMessage(result.message, s.inbox.row.secret, names, s.inbox.row.business_name) });
        return;
      }
    }
  };

  return {
    /** A new visitor socket: waits for `hello`, then catch-up, then live frames. */
    accept(socket: WebSocket, req: { ip: string; origin?: string }) {
      let s: VisitorSocket | null = null;
      let queue = Promise.resolve();
      const helloTimer = setTimeout(() => { if (!s) socket.close(4401, 'hello expected'); }, 10_000);
      socket.on('pong', () => { if (s) s.isAlive = true; });
      socket.on('close', () => {
        clearTimeout(helloTimer);
        if (!s) return;
        unindex(byVisitor, s.visitorId, s);
        heartbeat.delete(s);
        if (s.conversationId) unindex(byConversation, s.conversationId, s);
        if (!byVisitor.has(s.visitorId)) visitorBuckets.delete(s.visitorId);
      });
      socket.on('message', (data) => {
        let raw: unknown;
        try { raw = JSON.parse(String(data)); } catch { raw = null; }
        // Frames of one socket are handled in order (a message, then its read receipt…).
        queue = queue.then(async () => {
          if (!s) {
            const hello = ZChatClientFrame.safeParse(raw);
            if (!hello.success || hello.data.type !== 'hello') { socket.close(4400, 'hello expected'); return; }
            const visitor = await findVisitorByToken(deps.db.kysely, hello.data.visitorToken);
            if (!visitor) { send({ socket } as VisitorSocket, { type: 'error', code: 'UNAUTHENTICATED', detail: 'Unknown visitor token; start a new chat session.' }); socket.close(4401, 'unknown visitor'); return; }
            const inbox = await inboxes.byId(visitor.inbox_id);
            assertOriginAllowed(inbox, req.origin, ownOrigin);
            clearTimeout(helloTimer);
            const presence = await inboxes.presence(inbox);
            if (socket.readyState !== 1) return; // gone while we looked it up
            s = {
              socket, ip: req.ip, visitorId: visitor.id, visitorName: visitor.name || 'Visitor', inbox, conversationId: null, delivered: new Set(),
              pending: null, lastTypingAt: 0, lastReadId: null, presence, isAlive: true,
            };
            index(byVisitor, visitor.id, s);
            heartbeat.add(s);
            if (visitor.conversation_id) attach(s, visitor.conversation_id);
            send(s, { type: 'ready', visitor: toVisitorDto(visitor), presence });
            await catchUp(s, hello.data.after ?? null);
            void deps.db.transaction(({ tx }) => updateVisitor(tx, visitor.id, { last_seen_at: deps.clock.iso() })).catch(() => {});
            return;
          }
          await handleFrame(s, raw);
        }).catch((e: unknown) => {
          const clientId = raw && typeof raw === 'object' && 'clientId' in raw ? String((raw as { clientId: unknown }).clientId) : undefined;
          if (e instanceof AppError) {
            send({ socket } as VisitorSocket, { type: 'error', code: e.code, detail: e.userMessage ?? e.code, ...(clientId ? { clientId } : {}) });
            if (!s) socket.close(4403, e.code);
          } else {
            deps.log.error({ err: e }, 'chat socket frame failed');
            send({ socket } as VisitorSocket, { type: 'error', code: 'INTERNAL_ERROR', detail: 'Something went wrong; try again.', ...(clientId ? { clientId } : {}) });
          }
        });
      });
    },
    count: () => { let n = 0; for (const set of byVisitor.values()) n += set.size; return n; },
    close() {
      unsubscribe.forEach((off) => off());
      heartbeat.stop(); clearInterval(presenceTimer);
      for (const set of byVisitor.values()) for (const s of set) s.socket.close(1001, 'server shutting down');
    },
  };
};
export type VisitorHub = ReturnType<typeof createVisitorHub>;
