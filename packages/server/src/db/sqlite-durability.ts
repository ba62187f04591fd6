import fs from 'node:fs';
import { Worker } from 'node:worker_threads';

/**
 * Durability of SQLite commits without blocking the event loop.
 *
 * The writer connection runs WAL with synchronous=NORMAL, so COMMIT only write()s the WAL. Before a
 * commit is acknowledged, `whenDurable()` fdatasyncs the WAL file on libuv's thread pool: the main
 * thread keeps serving requests (and running the next group of writes) while the disk flushes. One
 * fdatasync covers every commit written before it started, so concurrent commits share it.
 * Checkpoints (which fsync the database file) run in a worker thread on its own connection.
 */
export const createWalSyncer = (dbFile: string) => {
  const walPath = `${dbFile}-wal`;
  let fd: number | null = null;
  let ino = 0;
  let inFlight = false;
  let waiting: { resolve: () => void; reject: (e: unknown) => void }[] = [];

  // The WAL keeps its inode while a connection is open; reopen if another process ever replaced it.
  const currentFd = () => {
    const st = fs.statSync(walPath, { throwIfNoEntry: false });
    if (fd !== null && st && st.ino === ino) return fd;
    if (fd !== null) fs.closeSync(fd);
    fd = fs.openSync(walPath, 'r');
    ino = fs.fstatSync(fd).ino;
    return fd;
  };

  const flush = () => {
    const batch = waiting;
    waiting = [];
    inFlight = true;
    const done = (error: NodeJS.ErrnoException | null) => {
      inFlight = false;
      for (const w of batch) if (error) w.reject(error); else w.resolve();
      if (waiting.length) flush();
    };
    try { fs.fdatasync(currentFd(), done); } catch (error) { done(error as NodeJS.ErrnoException); }
  };

  return {
    /** Resolves once everything committed before this call is on disk. */
    whenDurable: () => new Promise<void>((resolve, reject) => {
      waiting.push({ resolve, reject });
      // A sync already running may have started before this commit's write: the next one covers it.
      if (!inFlight) flush();
    }),
    close: () => { if (fd !== null) fs.closeSync(fd); fd = null; },
  };
};

const CHECKPOINTER = `
const { workerData, parentPort } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.file, { timeout: 10000 });
db.exec('PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;');
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
parentPort.on('message', (m) => {
  let reply;
  try { const r = passive.get(); reply = { log: r.log, checkpointed: r.checkpointed }; } catch (e) { reply = { error: String(e && e.message || e) }; }
  if (m === 'stop') { db.close(); process.exit(0); }
  parentPort.postMessage(reply);
});
`;

export type CheckpointResult = { log: number; checkpointed: number } | { error: string };

/**
 * Copies the WAL into the database file (PASSIVE: never blocks writers) on its own connection in a worker
 * thread, one checkpoint per call. The caller decides when (see keepWalBounded).
 */
export const startCheckpointer = (dbFile: string) => {
  const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { file: dbFile } });
  const waiting: ((r: CheckpointResult) => void)[] = [];
  // A dead worker answers every call with its error (a checkpoint that never answers would hold close() forever).
  let dead: string | null = null;
  const fail = (reason: string) => { dead ??= reason; for (const w of waiting.splice(0)) w({ error: dead }); };
  worker.on('message', (r: CheckpointResult) => waiting.shift()?.(r));
  worker.on('error', (e) => fail(e.message));
  worker.on('exit', (code) => fail(`the checkpointer exited (code ${code})`));
  worker.unref();
  return {
    checkpoint: () => new Promise<CheckpointResult>((resolve) => {
      if (dead) { resolve({ error: dead }); return; }
      waiting.push(resolve);
      worker.ref();
      worker.postMessage('checkpoint');
    }).finally(() => { if (!waiting.length) worker.unref(); }),
    stop: () => new Promise<void>((resolve) => {
      worker.ref(); // keep the process alive until the last checkpoint is done
      worker.once('exit', () => resolve());
      worker.postMessage('stop');
    }),
  };
};

/**
 * Keeps the WAL from growing without end. SQLite starts the WAL over from its first frame only when a
 * writer begins after a checkpoint that copied every frame; a background checkpoint racing a writer that
 * never pauses (a busy chat) never gets there, and the WAL grew by gigabytes a minute — every fdatasync
 * then also grew the file (a filesystem journal commit, tens of milliseconds at times) and a restart would
 * replay all of it. So every `everyMs`: a checkpoint beside the writes copies the bulk, then the writes
 * are held for a second one that copies the few frames written meanwhile; the next commit restarts the WAL.
 */
export const keepWalBounded = (opts: {
  checkpointer: ReturnType<typeof startCheckpointer>;
  /** Stops new write groups from starting; resolves once the running one has committed. */
  holdWrites: () => Promise<void>;
  releaseWrites: () => void;
  everyMs: number;
  onError: (message: string) => void;
}) => {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let cycle: Promise<void> = Promise.resolve();
  const once = async () => {
    const first = await opts.checkpointer.checkpoint();
    if ('error' in first) { opts.onError(first.error); return; }
    // "Everything" in its answer means everything up to when it started; writes went on meanwhile.
    if (first.log === 0 || stopped) return;
    await opts.holdWrites();
    try {
      const tail = await opts.checkpointer.checkpoint();
      if ('error' in tail) opts.onError(tail.error);
    } finally { opts.releaseWrites(); }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => { cycle = once().catch((e) => opts.onError(String(e))).finally(schedule); }, opts.everyMs);
    timer.unref();
  };
  schedule();
  return { stop: async () => { stopped = true; if (timer) clearTimeout(timer); await cycle; } };
};
