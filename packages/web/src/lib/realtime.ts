import type { DomainEvent } from '@careline/shared';
import { createStore } from './store.ts';

export type Presence = { conversationId: string; user: { id: string; name: string }; state: 'viewing' | 'typing' | 'left'; at: string };
type Handler = (e: DomainEvent) => void;

/** Live events and presence over /api/v1/realtime, reconnecting with back-off. */
export const connected$ = createStore(false);
/** conversationId → userId → presence (expires: viewing after 60 s, typing after 8 s without refresh). */
export const presence$ = createStore<Record<string, Record<string, Presence & { seen: number }>>>({});

const handlers = new Set<Handler>();
let socket: WebSocket | null = null;
let attempts = 0;
let stopped = true;
let myPresence: { conversationId: string; state: 'viewing' | 'typing' } | null = null;

export const onEvent = (h: Handler) => { handlers.add(h); return () => { handlers.delete(h); }; };

const send = (msg: unknown) => { if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(msg)); };

export const connect = () => {
  stopped = false;
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/realtime`;
  const ws = new WebSocket(url);
  socket = ws;
  ws.onmessage = (m) => {
    const msg = JSON.parse(String(m.data));
    if (msg.type === 'ready') {
      attempts = 0; connected$.set(true);
      if (myPresence) send({ type: 'presence', ...myPresence });
    } else if (msg.type === 'event') handlers.forEach((h) => h(msg.event));
    else if (msg.type === 'presence') receivePresence(msg as Presence);
  };
  ws.onclose = () => {
    connected$.set(false);
    if (socket === ws) socket = null;
    if (stopped) return;
    const delay = Math.min(15_000, 500 * 2 ** attempts++) * (0.8 + Math.random() * 0.4);
    setTimeout(() => { if (!stopped && !socket) connect(); }, delay);
  };
};

export const disconnect = () => { stopped = true; socket?.close(); socket = null; };

const receivePresence = (p: Presence) => {
  // Someone new joined the conversation I am in: tell them I am here too (they missed my announcement).
  const isNew = p.state !== 'left' && !presence$.get()[p.conversationId]?.[p.user.id];
  if (isNew && myPresence?.conversationId === p.conversationId) send({ type: 'presence', ...myPresence });
  presence$.set((all) => {
    const forConv = { ...(all[p.conversationId] ?? {}) };
    if (p.state === 'left') delete forConv[p.user.id];
    else forConv[p.user.id] = { ...p, seen: Date.now() };
    return { ...all, [p.conversationId]: forConv };
  });
};

/** Tell colleagues what I am doing in a conversation (viewing / typing / left). */
export const announce = (conversationId: string, state: 'viewing' | 'typing' | 'left') => {
  myPresence = state === 'left' ? null : { conversationId, state };
  send({ type: 'presence', conversationId, state });
};

// Leaving the page (reload, close) ends my presence at once rather than after the expiry.
window.addEventListener('pagehide', () => { if (myPresence) send({ type: 'presence', conversationId: myPresence.conversationId, state: 'left' }); });

// Keep my presence alive, expire stale presence of others, keep the socket warm.
setInterval(() => {
  if (myPresence) send({ type: 'presence', conversationId: myPresence.conversationId, state: myPresence.state === 'typing' ? 'viewing' : 'viewing' });
  send({ type: 'ping' });
}, 20_000);
setInterval(() => {
  const now = Date.now();
  const all = presence$.get();
  let changed = false;
  const next: typeof all = {};
  for (const [cid, users] of Object.entries(all)) {
    next[cid] = {};
    for (const [uid, p] of Object.entries(users)) {
      if (now - p.seen > 60_000) { changed = true; continue; }
      if (p.state === 'typing' && now - p.seen > 8_000) { changed = true; next[cid][uid] = { ...p, state: 'viewing' }; continue; }
      next[cid][uid] = p;
    }
  }
  if (changed) presence$.set(next);
}, 2_000);
