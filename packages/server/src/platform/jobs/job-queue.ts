import { sql } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Database, Write } from '../../db/connection.ts';
import { fromJson, toJson } from '../../db/dialect.ts';
import { newId } from '../ids.ts';
import type { Clock } from '../clock.ts';

/**
 * Durable jobs in our own table, on both engines. Enqueued inside the caller's transaction, so a job
 * exists if and only if the change that asked for it committed. Claimed with SKIP LOCKED on PostgreSQL
 * (one node runs each job) and under SQLite's single-writer lock when embedded. A job whose worker died
 * is picked up again when its lock expires.
 */
export type JobHandler = (payload: any, job: { id: string; attempts: number }) => Promise<void>;
export type EnqueueOptions = { runAt?: Date; maxAttempts?: number; dedupeKey?: string };

/** Thrown by handlers for failures that retrying cannot fix. */
export class PermanentJobError extends Error {}

export type JobQueue = {
  enqueue(w: Write, queue: string, payload: unknown, opts?: EnqueueOptions): Promise<string>;
  register(queue: string, handler: JobHandler, opts?: { backoffMs?: (attempt: number) => number }): void;
  start(): void;
  stop(): Promise<void>;
  /** Runs due jobs until none are left (tests, CLI). */
  drain(): Promise<void>;
  poke(): void;
};

const LOCK_MS = 5 * 60_000;
const BATCH = 20;
export const defaultBackoff = (attempt: number) => Math.min(60 * 60_000, 1000 * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);

export const createJobQueue = (db: Database, clock: Clock, log: FastifyBaseLogger): JobQueue => {
  const handlers = new Map<string, { run: JobHandler; backoffMs: (a: number) => number }>();
  let timer: NodeJS.Timeout | null = null;
  let stopped = true;
  let running: Promise<void> | null = null;
  let again = false;

  const claim = async () => {
    const now = clock.iso();
    const lockedUntil = new Date(clock.now().getTime() + LOCK_MS).toISOString();
    const queues = [...handlers.keys()];
    if (!queues.length) return [];
    return db.transaction(async ({ tx }) => {
      const due = tx.selectFrom('jobs').select('id')
        .where('queue', 'in', queues)
        .where((eb) => eb.or([
          eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)]),
          eb.and([eb('status', '=', 'running'), eb('locked_until', '<', now)]),
        ]))
        .orderBy('run_at').limit(BATCH);
      const ids = db.engine === 'postgres' ? due.forUpdate().skipLocked() : due;
      return tx.updateTable('jobs')
        .set({ status: 'running', locked_until: lockedUntil, attempts: sql`attempts + 1` })
        .where('id', 'in', ids)
        .returningAll().execute();
    });
  };

  const finish = (id: string, set: Record<string, unknown>) =>
    db.transaction(({ tx }) => tx.updateTable('jobs').set(set).where('id', '=', id).execute());

  const runOnce = async () => {
    const jobs = await claim();
    await Promise.all(jobs.map(async (job) => {
      const handler = handlers.get(job.queue)!;
      try {
        await handler.run(fromJson(job.payload, {}), { id: job.id, attempts: job.attempts });
        await finish(job.id, { status: 'done', finished_at: clock.iso(), locked_until: null, last_error: null });
      } catch (error) {
        const message = String((error as Error)?.message ?? error).slice(0, 2000);
        const permanent = error instanceof PermanentJobError || job.attempts >= job.max_attempts;
        log.warn({ job: job.id, queue: job.queue, attempt: job.attempts, permanent, err: message }, 'job failed');
        await finish(job.id, permanent
          ? { status: 'failed', finished_at: clock.iso(), locked_until: null, last_error: message }
          : { status: 'queued', locked_until: null, last_error: message, run_at: new Date(clock.now().getTime() + handler.backoffMs(job.attempts)).toISOString() });
      }
    }));
    return jobs.length;
  };

  const loop = () => {
    if (running) { again = true; return running; }
    running = (async () => {
      try {
        do { again = false; while ((await runOnce()) === BATCH) { /* keep going while full batches come back */ } } while (again);
      } catch (error) { log.error({ err: error }, 'job loop failed'); } finally { running = null; }
    })();
    return running;
  };

  return {
    async enqueue(w, queue, payload, opts = {}) {
      const id = newId();
      const now = clock.iso();
      const values = {
        id, queue, payload: toJson(payload), status: 'queued', attempts: 0, max_attempts: opts.maxAttempts ?? 10,
        run_at: (opts.runAt ?? clock.now()).toISOString(), locked_until: null, last_error: null,
        dedupe_key: opts.dedupeKey ?? null, created_at: now, finished_at: null,
      };
      const q = w.tx.insertInto('jobs').values(values);
      await (opts.dedupeKey ? q.onConflict((oc) => oc.column('dedupe_key').doNothing()) : q).execute();
      w.afterCommit(() => { if (!stopped) void loop(); });
      return id;
    },
    register(queue, run, opts = {}) { handlers.set(queue, { run, backoffMs: opts.backoffMs ?? defaultBackoff }); },
    start() {
      stopped = false;
      const tick = () => { void loop(); timer = setTimeout(tick, 1000); timer.unref(); };
      tick();
    },
    async stop() { stopped = true; if (timer) clearTimeout(timer); await running; },
    async drain() { while (await runOnce()) { /* until empty */ } },
    poke: () => { if (!stopped) void loop(); },
  };
};
