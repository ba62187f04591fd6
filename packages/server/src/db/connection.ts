import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';
import { openSqliteFile, wrapSqlite } from './sqlite-adapter.ts';
import { createWalSyncer, keepWalBounded, startCheckpointer } from './sqlite-durability.ts';
import type { Engine } from './dialect.ts';
import { migrateToLatest } from './migrate.ts';
import { InlineLimitPlugin } from './inline-limit.ts';

export type Tx = Kysely<DB> | Transaction<DB>;
export type AfterCommit = (fn: () => void) => void;
/** What a write operation holds: the open transaction and a hook for work that must wait for the commit. */
export type Write = { tx: Transaction<DB>; afterCommit: AfterCommit };

export type Database = {
  engine: Engine;
  /** For reads. Writes go through transaction(). */
  kysely: Kysely<DB>;
  /**
   * Runs fn in a transaction that is durable (fsynced) when the promise resolves. afterCommit callbacks run
   * only once the commit succeeded (publish events, wake workers).
   */
  transaction<T>(fn: (w: Write) => Promise<T>): Promise<T>;
  /**
   * One write statement, durable when the promise resolves. SQLite: it joins the group commit like any
   * transaction. PostgreSQL: sent as is (autocommit), without the BEGIN and COMMIT round trips of transaction().
   */
  autocommit<T>(fn: (db: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

// PostgreSQL: timestamps as ISO strings and JSON as text, the same shapes SQLite gives.
pg.types.setTypeParser(1184, (v) => new Date(v.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString());
pg.types.setTypeParser(1114, (v) => new Date(v.replace(' ', 'T') + 'Z').toISOString());
pg.types.setTypeParser(3802, (v) => v);
pg.types.setTypeParser(114, (v) => v);
pg.types.setTypeParser(20, (v) => Number(v));

export const openDatabase = async (opts: { databaseUrl?: string; dataDir: string; migrate?: boolean; poolSize?: number }): Promise<Database> => {
  const db = opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.poolSize ?? 20) : openSqlite(opts.dataDir);
  if (opts.migrate !== false) await migrateToLatest(db.kysely);
  return db;
};

const openPostgres = (url: string, max: number): Database => {
  const pool = new pg.Pool({ connectionString: url, max, options: '-c timezone=UTC' });
  // An idle connection that the server closes (restart, failover, admin) must not take the process down:
  // the pool replaces it on the next query.
  pool.on('error', (error) => console.error(`PostgreSQL connection lost: ${error.message}`));
  const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [new InlineLimitPlugin()] });
  return {
    engine: 'postgres',
    kysely,
    async transaction(fn) {
      const callbacks: (() => void)[] = [];
      const result = await kysely.transaction().execute((tx) => fn({ tx, afterCommit: (cb) => callbacks.push(cb) }));
      callbacks.forEach(runSafely);
      return result;
    },
    autocommit: (fn) => fn(kysely),
    close: () => kysely.destroy(),
  };
};

const SAVEPOINT = sql.raw('savepoint op');
const RELEASE = sql.raw('release savepoint op');
const ROLLBACK_TO = sql.raw('rollback to savepoint op');

type Pending = { fn: (w: Write) => Promise<unknown>; resolve: (v: any) => void; reject: (e: unknown) => void; canWait: boolean };

/**
 * Writes made inside `latencyTolerant(fn)` (email ingestion: a 250 or an IMAP flag a few ms later costs nothing) may
 * wait up to TOLERANT_GAP_MS after the last commit, so that they share commits: a busy server's groups held one or
 * two writes, and every commit writes the same hot index pages to the WAL again (and the checkpoint copies them).
 * Any other write starts its group at once and takes the waiting ones along, so chat and HTTP never wait.
 * SQLite only; on PostgreSQL every transaction is its own.
 */
const tolerant = new AsyncLocalStorage<true>();
export const latencyTolerant = <T>(fn: () => Promise<T>): Promise<T> => tolerant.run(true, fn);
const TOLERANT_GAP_MS = 8;

/**
 * SQLite has one writer. Writes queue up and run as a group: one BEGIN IMMEDIATE, a savepoint per
 * caller (so one failure rolls back only its own work), one COMMIT for all of them. Callers hear back
 * once the WAL is fdatasynced; that happens on the thread pool, so the next group already runs meanwhile.
 */
const openSqlite = (dataDir: string): Database => {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'careline.db');
  const raw = openSqliteFile(file);
  const wal = createWalSyncer(file);
  const checkpointer = startCheckpointer(file);
  let syncing = 0;
  const kysely = new Kysely<DB>({ dialect: new SqliteDialect({ database: wrapSqlite(raw) }), plugins: [new InlineLimitPlugin()] });
  let queue: Pending[] = [];
  let running = false;
  // While the WAL's last frames are checkpointed, no new group starts (sqlite-durability.ts: keepWalBounded).
  let held: (() => void) | null = null;
  let release: (() => void) | null = null;
  let lastCommitAt = -Infinity;
  let timer: NodeJS.Timeout | null = null;
  /** How long the queued writes may still wait for company (0: start now). */
  // Counted, not scanned: start() runs on every write, and a burst queues hundreds.
  let urgentQueued = 0;
  const patience = () => (urgentQueued === 0 ? lastCommitAt + TOLERANT_GAP_MS - performance.now() : 0);
  const start = () => {
    if (running || release || !queue.length) return;
    const wait = patience();
    if (wait > 0) { timer ??= setTimeout(() => { timer = null; start(); }, wait); return; }
    if (timer) { clearTimeout(timer); timer = null; }
    running = true;
    setImmediate(flush);
  };

  const flush = async () => {
    running = true;
    while (queue.length && !release && patience() <= 0) {
      const batch = queue.splice(0, 500);
      urgentQueued -= batch.filter((p) => !p.canWait).length;
      const outcomes: { ok: boolean; value: unknown; callbacks: (() => void)[] }[] = [];
      try {
        const trx = await kysely.startTransaction().execute();
        try {
          for (const item of batch) {
            // Plain SAVEPOINT statements on the one transaction: Kysely's savepoint objects cost more than the SQL.
            await SAVEPOINT.execute(trx);
            const callbacks: (() => void)[] = [];
            try {
              const value = await item.fn({ tx: trx, afterCommit: (cb) => callbacks.push(cb) });
              await RELEASE.execute(trx);
              outcomes.push({ ok: true, value, callbacks });
            } catch (error) {
              await ROLLBACK_TO.execute(trx);
              await RELEASE.execute(trx);
              outcomes.push({ ok: false, value: error, callbacks: [] });
            }
          }
          await trx.commit().execute();
          lastCommitAt = performance.now();
        } catch (error) {
          await trx.rollback().execute().catch(() => {});
          throw error;
        }
        syncing++;
        void wal.whenDurable().then(() => {
          batch.forEach((item, i) => {
            const o = outcomes[i]!;
            if (o.ok) { o.callbacks.forEach(runSafely); item.resolve(o.value); } else item.reject(o.value);
          });
        }, (error) => batch.forEach((item) => item.reject(error))).finally(() => { syncing--; });
      } catch (error) {
        batch.forEach((item) => item.reject(error));
      }
    }
    running = false;
    held?.();
    start(); // writes that may still wait get their timer
  };
  const walBound = keepWalBounded({
    checkpointer,
    everyMs: 1000,
    holdWrites: () => new Promise<void>((resolve) => {
      release = () => { release = null; held = null; start(); };
      if (running) held = resolve; else resolve();
    }),
    releaseWrites: () => release?.(),
    onError: (message) => console.error(`SQLite checkpoint failed: ${message}`),
  });

  const database: Database = {
    engine: 'sqlite',
    kysely,
    autocommit: (fn) => database.transaction(({ tx }) => fn(tx)),
    transaction(fn) {
      return new Promise((resolve, reject) => {
        const canWait = tolerant.getStore() === true;
        if (!canWait) urgentQueued++;
        queue.push({ fn, resolve, reject, canWait } as Pending);
        // setImmediate: let every request parsed in this turn of the event loop join the same commit.
        start();
      });
    },
    async close() {
      await walBound.stop();
      while (running || queue.length || syncing) await new Promise((r) => setTimeout(r, 5));
      await checkpointer.stop();
      wal.close();
      await kysely.destroy();
    },
  };
  return database;
};

const runSafely = (cb: () => void) => {
  try { cb(); } catch (error) { console.error('afterCommit callback failed', error); }
};
