import { parentPort } from 'node:worker_threads';
import type { PreparedEmail } from './prepare.ts';

/**
 * The worker side of the parse pool: raw messages in, prepared messages out, one at a time in arrival
 * order. A throw is reported back; a hang or a crash is the pool's business (time limit, respawn).
 */
type Task = { id: number; raw: Uint8Array };

/**
 * What the main thread needs back: the raw bodies were rendered into `body` here, so they are not copied over
 * (up to 2 MB of HTML). Attachments move instead of being copied: each gets its own ArrayBuffer (a small one may sit
 * in Node's shared 8 KB pool, which must not be detached) and that buffer is transferred.
 */
const slim = (r: PreparedEmail): PreparedEmail => {
  for (const a of r.mail.attachments) {
    const c = a.content;
    if (c.byteOffset !== 0 || c.byteLength !== c.buffer.byteLength) {
      const own = new Uint8Array(c.byteLength);
      own.set(c);
      a.content = Buffer.from(own.buffer);
    }
  }
  return { ...r, mail: { ...r.mail, text: '', html: null } };
};
const ownBuffers = (r: PreparedEmail) => [...new Set(r.mail.attachments.map((a) => a.content.buffer as ArrayBuffer))];

export const serveParses = (prepare: (raw: Buffer) => Promise<PreparedEmail>) => {
  const queue: Task[] = [];
  let busy = false;
  const run = async () => {
    busy = true;
    while (queue.length) {
      const { id, raw } = queue.shift()!;
      try {
        const result = await prepare(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
        const reply = slim(result);
        parentPort!.postMessage({ id, result: reply }, ownBuffers(reply));
      } catch (error) {
        parentPort!.postMessage({ id, error: String((error as Error)?.message ?? error).slice(0, 300) });
      }
    }
    busy = false;
  };
  parentPort!.on('message', (task: Task) => {
    queue.push(task);
    if (!busy) void run();
  });
  // The pool's time limit starts once the worker has loaded (a cold start on a busy machine is not a hang).
  parentPort!.postMessage({ ready: true });
};
