import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { preparedFallback, type PreparedEmail } from './prepare.ts';

/**
 * A small pool of worker threads for the CPU-bound part of ingestion (mailparser, sanitising, quote
 * folding), so the main thread only threads, stores and emits. Size: one per core, at most 4 (each busy worker
 * holds ~100–150 MB); the workers run at a lower priority (parse-worker.ts), so they use only what the event loop
 * leaves free — with cores − 1 the main thread's spare time was lost (2 cores, 13 runs: median 293 vs 341 messages/s).
 * Each worker gets a few tasks queued (it never waits for the busy main thread to hand it the next one).
 * Never rejects: a parse that throws, runs past the time limit (the worker is terminated and replaced)
 * or kills its worker (out of memory) yields the best-effort fallback with a warning.
 */
export type ParsePoolOptions = { size?: number; timeoutMs?: number; workerFile?: URL; maxOldGenerationMb?: number };
export type ParsePool = { prepare(raw: Buffer): Promise<PreparedEmail>; close(): Promise<void>; readonly size: number };

type Task = { id: number; raw: Buffer; resolve: (r: PreparedEmail) => void };
type Slot = { worker: Worker; tasks: Task[]; timer: NodeJS.Timeout | null; isReady: boolean };

const DEPTH = 2;

/**
 * A worker's heap cap: what one hostile message may take before only its worker dies (the task gets the fallback).
 * Not lower: V8 derives its heap-growing factor from the cap, and below 2 GB (64-bit Node) a parse worker ran a full
 * GC about four times as often (43–57 against 10–16 per 3,260 corpus messages) and compiled twice as much (369–395
 * against 183–224 optimisation jobs). bench/email-ingest.ts, runs paired minutes apart: 1 GB 344/280/291/248/313,
 * 2 GB 353/290/292/312/350 messages/s (4 GB no better than 2); RSS peak ~650 → ~800 MB.
 */
const MAX_OLD_GENERATION_MB = 2048;

export const defaultPoolSize = () => Math.min(4, os.availableParallelism());

export const createParsePool = (opts: ParsePoolOptions = {}): ParsePool => {
  const size = Math.max(1, opts.size ?? defaultPoolSize());
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const workerFile = opts.workerFile ?? new URL('./parse-worker.ts', import.meta.url);
  const waiting: Task[] = [];
  const slots: Slot[] = [];
  let nextId = 1;
  let closed = false;

  const finish = (task: Task, result: PreparedEmail) => task.resolve(result);

  const spawn = (): Slot => {
    const worker = new Worker(workerFile, { resourceLimits: { maxOldGenerationSizeMb: opts.maxOldGenerationMb ?? MAX_OLD_GENERATION_MB } });
    const slot: Slot = { worker, tasks: [], timer: null, isReady: false };
    worker.on('message', (m: { id: number; result?: PreparedEmail; error?: string; ready?: boolean }) => {
      if (m.ready) { slot.isReady = true; armTimer(slot); return; }
      const i = slot.tasks.findIndex((t) => t.id === m.id);
      if (i < 0) return;
      const [task] = slot.tasks.splice(i, 1);
      finish(task!, m.result ? revive(m.result) : preparedFallback(task!.raw, `unparseable: ${m.error ?? 'the parser failed'}`));
      if (!slot.tasks.length) worker.unref();
      armTimer(slot);
      pump();
    });
    // A crash (out of memory, a native fault): the task it was on gets the fallback, the others are retried.
    const lost = (reason: string) => {
      const i = slots.indexOf(slot);
      if (i < 0) return;
      slots.splice(i, 1);
      if (slot.timer) clearTimeout(slot.timer);
      const [head, ...rest] = slot.tasks;
      slot.tasks = [];
      if (head) finish(head, preparedFallback(head.raw, `unparseable: ${reason}`));
      waiting.unshift(...rest);
      pump();
    };
    worker.on('error', (e) => lost(`the parser crashed (${String(e?.message ?? e).slice(0, 200)})`));
    worker.on('exit', (code) => lost(`the parser exited (code ${code})`));
    // Referenced only while it has work (set after the listeners, which ref the port): an idle pool never keeps the process alive.
    worker.unref();
    slots.push(slot);
    return slot;
  };

  /** The time limit runs for the task at the head of a worker's queue (the one it is working on). */
  const armTimer = (slot: Slot) => {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    if (!slot.tasks.length || !slot.isReady) return;
    slot.timer = setTimeout(() => {
      const i = slots.indexOf(slot);
      if (i >= 0) slots.splice(i, 1);
      const [head, ...rest] = slot.tasks;
      slot.tasks = [];
      void slot.worker.terminate();
      if (head) finish(head, preparedFallback(head.raw, `unparseable: parse timed out after ${timeoutMs} ms`));
      waiting.unshift(...rest);
      pump();
    }, timeoutMs);
    slot.timer.unref();
  };

  const pump = () => {
    if (closed) return;
    while (waiting.length) {
      let slot = slots.reduce<Slot | null>((best, s) => (s.tasks.length < DEPTH && (!best || s.tasks.length < best.tasks.length) ? s : best), null);
      if (!slot && slots.length < size) slot = spawn();
      if (!slot) return;
      const task = waiting.shift()!;
      slot.tasks.push(task);
      slot.worker.ref();
      // A copy the worker owns (transferred, not cloned: cloning a pooled Buffer would copy its whole backing store).
      const copy = new Uint8Array(task.raw.byteLength);
      copy.set(task.raw);
      slot.worker.postMessage({ id: task.id, raw: copy }, [copy.buffer]);
      if (slot.tasks.length === 1) armTimer(slot);
    }
  };

  return {
    size,
    prepare(raw) {
      if (closed) return Promise.resolve(preparedFallback(raw, 'unparseable: the parser is shut down'));
      return new Promise<PreparedEmail>((resolve) => {
        waiting.push({ id: nextId++, raw, resolve });
        pump();
      });
    },
    async close() {
      while (slots.some((s) => s.tasks.length) || waiting.length) await new Promise((r) => setTimeout(r, 10));
      closed = true;
      const all = slots.splice(0);
      for (const s of all) if (s.timer) clearTimeout(s.timer);
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
};

/** Buffers cross the thread boundary as Uint8Arrays. */
const revive = (r: PreparedEmail): PreparedEmail => {
  for (const a of r.mail.attachments) {
    const c = a.content as Uint8Array;
    if (!Buffer.isBuffer(c)) a.content = Buffer.from(c.buffer, c.byteOffset, c.byteLength);
  }
  return r;
};

// The process-wide pool, created on first use. Workers are unref'd: an idle pool never keeps the process alive.
let shared: ParsePool | null = null;

/** `size`: EMAIL_PARSE_WORKERS, read when the pool is created (default: defaultPoolSize()). The result carries the rendered
 * body, not the raw `mail.text` / `mail.html` (serve-parses.ts). */
export const prepareInPool = (raw: Buffer, size?: number) => (shared ??= createParsePool({ size })).prepare(raw);

/** Worker threads of the process-wide pool (null before the first parse). */
export const sharedParsePoolSize = () => shared?.size ?? null;

/** Lets in-flight parses finish, then stops the workers (the next ingest starts a new pool). */
export const closeSharedParsePool = async () => {
  const pool = shared;
  shared = null;
  await pool?.close();
};
