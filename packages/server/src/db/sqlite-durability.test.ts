import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { latencyTolerant, openDatabase, type Database } from './connection.ts';

/**
 * Commits are acknowledged only once the WAL is on disk, and that flush happens on the thread pool:
 * node's fs.fdatasync is watched (not replaced) to see the order of events.
 */
const dirs: string[] = [];
let db: Database | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await db?.close();
  db = undefined;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const open = async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'careline-wal-'));
  dirs.push(dataDir);
  db = await openDatabase({ dataDir });
  return { db, file: path.join(dataDir, 'careline.db') };
};

const insertCounter = (d: Database, name: string) => d.transaction(({ tx }) => tx.insertInto('counters').values({ name, value: 1 }).execute());

describe.skipIf(!!process.env.DATABASE_URL)('SQLite commit durability', () => {
  it('resolves a transaction only after the WAL file was fdatasynced, and one flush serves commits that wait together', async () => {
    const { db: d, file } = await open();
    const order: string[] = [];
    const real = fs.fdatasync;
    const walIno = () => fs.statSync(`${file}-wal`).ino;
    vi.spyOn(fs, 'fdatasync').mockImplementation(((fd: number, cb: (e: NodeJS.ErrnoException | null) => void) => {
      order.push(`fdatasync:${fs.fstatSync(fd).ino === walIno() ? 'wal' : 'other'}`);
      real(fd, (e) => { order.push('flushed'); cb(e); });
    }) as typeof fs.fdatasync);

    await Promise.all(['a', 'b', 'c'].map((n) => insertCounter(d, n).then(() => order.push(`ack:${n}`))));
    expect(order[0]).toBe('fdatasync:wal');
    expect(order[1]).toBe('flushed');
    expect(order.slice(2).sort()).toEqual(['ack:a', 'ack:b', 'ack:c']);
  });

  it('latency-tolerant writes (email ingestion) share commits; an ordinary write starts one at once and takes them along', async () => {
    const { db: d } = await open();
    const groups: unknown[] = []; // the transaction object of each write's group commit
    const write = (name: string) => d.transaction(async ({ tx }) => { groups.push(tx); await tx.insertInto('counters').values({ name, value: 1 }).execute(); });
    await write('first');
    // One tolerant write a millisecond: on their own, nearly every one would be a commit.
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) { pending.push(latencyTolerant(() => write(`t${i}`))); await new Promise((r) => setTimeout(r, 1)); }
    await Promise.all(pending);
    expect(new Set(groups.slice(1)).size).toBeLessThanOrEqual(10);
    // Right after a commit, three tolerant writes wait; an ordinary one starts the group and all four share it.
    groups.length = 0;
    await write('second');
    const tolerantOnes = [1, 2, 3].map((i) => latencyTolerant(() => write(`w${i}`)));
    await new Promise((r) => setImmediate(r));
    await Promise.all([...tolerantOnes, write('ordinary')]);
    expect(new Set(groups.slice(1)).size).toBe(1);
    const names = (await d.kysely.selectFrom('counters').select('name').execute()).map((r) => r.name);
    expect(names.filter((n) => /^(t\d+|w\d|ordinary|first|second)$/.test(n))).toHaveLength(26);
  });

  it('a failed flush fails the transaction instead of acknowledging it', async () => {
    const { db: d } = await open();
    vi.spyOn(fs, 'fdatasync').mockImplementation(((_fd: number, cb: (e: NodeJS.ErrnoException | null) => void) => {
      setImmediate(() => cb(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })));
    }) as typeof fs.fdatasync);
    await expect(insertCounter(d, 'x')).rejects.toThrow(/EIO/);
  });

  it('in one group commit, a writer that fails rolls back only its own work', async () => {
    const { db: d } = await open();
    const results = await Promise.allSettled([
      insertCounter(d, 'kept-1'),
      d.transaction(async ({ tx }) => { await tx.insertInto('counters').values({ name: 'lost', value: 1 }).execute(); throw new Error('boom'); }),
      insertCounter(d, 'kept-2'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const names = (await d.kysely.selectFrom('counters').select('name').where('name', 'in', ['kept-1', 'lost', 'kept-2']).execute()).map((r) => r.name).sort();
    expect(names).toEqual(['kept-1', 'kept-2']);
  });

  it('checkpoints the WAL into the database file in the background', async () => {
    const { db: d, file } = await open();
    for (let i = 0; i < 50; i++) await insertCounter(d, `n${i}`);
    // Another connection reading only the main file (no WAL) sees the rows once a checkpoint ran.
    await vi.waitFor(() => {
      const copy = `${file}.copy`;
      fs.copyFileSync(file, copy);
      const ro = new DatabaseSync(copy, { readOnly: true });
      try { expect((ro.prepare('select count(*) as n from counters').get() as { n: number }).n).toBeGreaterThanOrEqual(50); } finally { ro.close(); fs.rmSync(copy); }
    }, { timeout: 10_000, interval: 250 });
  });
  it('keeps the WAL bounded under writes that never pause: it starts over after each checkpoint instead of growing', async () => {
    const { db: d, file } = await open();
    const frameBytes = 4096 + 24; // every commit appends at least one page to the WAL
    let commits = 0;
    const end = Date.now() + 3500; // three checkpoint cycles
    await Promise.all(Array.from({ length: 8 }, async (_, k) => {
      for (let i = 0; Date.now() < end; i++) { await insertCounter(d, `w${k}-${i}`); commits++; }
    }));
    const walBytes = fs.statSync(`${file}-wal`).size;
    // Appended without ever starting over, the WAL would hold every commit's frames.
    expect(walBytes).toBeLessThan((commits * frameBytes) / 2);
    expect((await d.kysely.selectFrom('counters').select((eb) => eb.fn.countAll<number>().as('n')).where('name', 'like', 'w%').executeTakeFirstOrThrow()).n).toBe(commits);
  }, 20_000);
});
