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
const tick = () => { try { db.exec('PRAGMA wal_checkpoint(PASSIVE)'); } catch (e) { parentPort.postMessage(String(e && e.message || e)); } };
const timer = setInterval(tick, workerData.everyMs);
parentPort.on('message', (m) => { if (m === 'stop') { clearInterval(timer); tick(); db.close(); process.exit(0); } });
`;

/** Copies the WAL into the database file every `everyMs`, off the main thread (PASSIVE: never blocks writers). */
export const startCheckpointer = (dbFile: string, everyMs = 1000, onError: (message: string) => void = () => {}) => {
  const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { file: dbFile, everyMs } });
  worker.on('message', onError);
  worker.on('error', (e) => onError(e.message));
  worker.unref();
  return {
    stop: () => new Promise<void>((resolve) => {
      worker.ref(); // keep the process alive until the last checkpoint is done
      worker.once('exit', () => resolve());
      worker.postMessage('stop');
    }),
  };
};
