import type { TChatMessage, TChatServerFrame, TWidgetPresence, TWidgetVisitor } from '../../shared/src/chat.ts';

export type Pending = { clientId: string; text: string; attachmentIds: string[]; failed: boolean; createdAt: string };

export type ConnectionEvents = {
  onMessages(): void;
  onTyping(agent: string | null): void;
  onPresence(p: TWidgetPresence): void;
  onState(connected: boolean): void;
  onVisitor(v: TWidgetVisitor): void;
  onError(code: string, detail: string): void;
};

const order = (a: TChatMessage, b: TChatMessage) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The visitor's socket: reconnects by itself (backoff with jitter), resumes from the newest message it
 * holds (the server sends only what was missed), keeps messages by id (no duplicates) and resends
 * unacknowledged messages with their clientId (the server stores each once).
 */
export const createConnection = (wsUrl: string, visitorToken: string, ev: ConnectionEvents) => {
  const messages = new Map<string, TChatMessage>();
  const pending = new Map<string, Pending>();
  let ws: WebSocket | null = null;
  let ready = false;
  let attempt = 0;
  let closed = false;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;

  const sorted = () => [...messages.values()].sort(order);
  const last = () => { const all = sorted(); return all.length ? all[all.length - 1]!.id : null; };
  const raw = (frame: unknown) => { if (ws && ws.readyState === 1) ws.send(JSON.stringify(frame)); };
  const store = (m: TChatMessage) => {
    messages.set(m.id, m);
    if (m.clientId) pending.delete(m.clientId);
  };

  const connect = () => {
    if (closed) return;
    ws = new WebSocket(wsUrl);
    ws.onopen = () => { raw({ type: 'hello', visitorToken, after: last() }); };
    ws.onmessage = (e) => {
      let f: TChatServerFrame;
      try { f = JSON.parse(String(e.data)); } catch { return; }
      switch (f.type) {
        case 'ready':
          ready = true; attempt = 0;
          ev.onState(true); ev.onVisitor(f.visitor); ev.onPresence(f.presence);
          for (const p of pending.values()) if (!p.failed) raw({ type: 'message', clientId: p.clientId, text: p.text, attachmentIds: p.attachmentIds });
          clearInterval(pingTimer);
          pingTimer = setInterval(() => raw({ type: 'ping' }), 25_000);
          break;
        case 'message': case 'ack':
          store(f.message);
          if (f.message.kind === 'outgoing') { ev.onTyping(null); clearTimeout(typingTimer); }
          ev.onMessages();
          break;
        case 'typing':
          clearTimeout(typingTimer);
          ev.onTyping(f.isTyping ? f.agent.name : null);
          if (f.isTyping) typingTimer = setTimeout(() => ev.onTyping(null), 6000);
          break;
        case 'presence': ev.onPresence(f.presence); break;
        case 'error':
          if (f.clientId && pending.has(f.clientId)) { pending.get(f.clientId)!.failed = true; ev.onMessages(); }
          ev.onError(f.code, f.detail);
          if (f.code === 'UNAUTHENTICATED' || f.code === 'ORIGIN_NOT_ALLOWED') closed = true;
          break;
      }
    };
    ws.onclose = () => {
      ready = false; ws = null; clearInterval(pingTimer);
      ev.onState(false);
      if (closed) return;
      const delay = Math.min(15_000, 500 * 2 ** attempt++) * (0.5 + Math.random() / 2);
      setTimeout(connect, delay);
    };
  };

  // Back online or back to the tab: reconnect now rather than waiting for the backoff.
  const wake = () => { if (!ws && !closed) { attempt = 0; connect(); } };
  addEventListener('online', wake);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') wake(); });

  connect();
  return {
    messages: sorted,
    pending: () => [...pending.values()],
    isReady: () => ready,
    send(text: string, attachmentIds: string[] = []) {
      const clientId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
      pending.set(clientId, { clientId, text, attachmentIds, failed: false, createdAt: new Date().toISOString() });
      raw({ type: 'message', clientId, text, attachmentIds });
      ev.onMessages();
    },
    retry(clientId: string) {
      const p = pending.get(clientId);
      if (!p) return;
      p.failed = false;
      raw({ type: 'message', clientId, text: p.text, attachmentIds: p.attachmentIds });
      ev.onMessages();
    },
    typing: (isTyping: boolean) => raw({ type: 'typing', isTyping }),
    read(messageId: string) { raw({ type: 'read', messageId }); },
    /** For tests and debugging: drop the socket as a network failure would. */
    drop() { ws?.close(); },
    close() { closed = true; ws?.close(); },
  };
};
export type Connection = ReturnType<typeof createConnection>;
