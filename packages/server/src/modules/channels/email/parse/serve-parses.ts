import { parentPort } from 'node:worker_threads';
import type { PreparedEmail } from './prepare.ts';

/**
 * The worker side of the parse pool: raw messages in, prepared messages out, one at a time in arrival
 * order. A throw is reported back; a hang or a crash is the pool's business (time limit, respawn).
 */
type Task = { id: number; raw: Uint8Array };

export const serveParses = (prepare: (raw: Buffer) => Promise<PreparedEmail>) => {
  const queue: Task[] = [];
  let busy = false;
  const run = async () => {
    busy = true;
    while (queue.length) {
      const { id, raw } = queue.shift()!;
      try {
        const result = await prepare(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
        parentPort!.postMessage({ id, result });
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
