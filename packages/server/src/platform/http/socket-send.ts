import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

const corked = new Set<Socket>();
const uncorkAll = () => {
  for (const raw of corked) raw.uncork();
  corked.clear();
};

/**
 * Sends a frame; every frame sent to one socket in the same tick leaves in one write. A group commit
 * resolves many messages at once, and each fans out to every agent: one syscall per socket, not per frame.
 */
export const sendFrame = (ws: WebSocket, payload: string | Buffer) => {
  if (ws.readyState !== 1) return;
  const raw = (ws as unknown as { _socket?: Socket })._socket;
  if (raw && !corked.has(raw)) {
    if (!corked.size) process.nextTick(uncorkAll);
    corked.add(raw);
    raw.cork();
  }
  ws.send(payload, { binary: false });
};

/** A frame for many sockets: encoded to UTF-8 once, not once per socket. */
export const sharedFrame = (payload: string) => Buffer.from(payload);
