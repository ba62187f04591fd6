import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { blobKeyOf, createDiskBlobStore } from './blob-store.ts';
import { createDatabaseBlobStore } from './database-blob-store.ts';

// Runs on SQLite, and on PostgreSQL when DATABASE_URL is set.
let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(() => t?.close());

const rowCount = async (key: string) =>
  Number((await t.deps.db.kysely.selectFrom('blobs').select((e) => e.fn.countAll().as('n')).where('key', '=', key).executeTakeFirstOrThrow()).n);

describe('database blob store', () => {
  it('is the default store: bytes go to the blobs table, not to files', async () => {
    const data = Buffer.from('default store check');
    const { key } = await t.deps.blobs.put(data);
    expect(await rowCount(key)).toBe(1);
    expect(fs.existsSync(path.join(t.dataDir, 'blobs'))).toBe(false);
  });

  it('round-trips every byte value and a 3 MB buffer, as Buffers', async () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const big = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919 + (i >> 11)) & 0xff;
    for (const data of [all, big]) {
      const { key, size } = await t.deps.blobs.put(data);
      expect(key).toBe(blobKeyOf(data));
      expect(size).toBe(data.length);
      const back = await t.deps.blobs.get(key);
      expect(Buffer.isBuffer(back)).toBe(true);
      expect(back!.length).toBe(data.length);
      expect(back!.equals(data)).toBe(true);
      const row = await t.deps.db.kysely.selectFrom('blobs').select(['size', 'created_at']).where('key', '=', key).executeTakeFirstOrThrow();
      expect(Number(row.size)).toBe(data.length);
      expect(new Date(row.created_at).toISOString()).toBe(row.created_at);
    }
  });

  it('stores the same bytes once, also when they arrive at the same moment', async () => {
    const data = Buffer.from('the same company logo in every email');
    const first = await t.deps.blobs.put(data);
    const second = await t.deps.blobs.put(data);
    expect(second).toEqual(first);
    expect(await rowCount(first.key)).toBe(1);

    const logo = Buffer.from(`a logo put by ten messages at once ${Date.now()}`);
    const results = await Promise.all(Array.from({ length: 10 }, () => t.deps.blobs.put(logo)));
    expect(new Set(results.map((r) => r.key))).toEqual(new Set([blobKeyOf(logo)]));
    expect(await rowCount(results[0]!.key)).toBe(1);
    expect((await t.deps.blobs.get(results[0]!.key))!.equals(logo)).toBe(true);
  });

  it('answers null for an unknown key and refuses keys that are not SHA-256 hex', async () => {
    expect(await t.deps.blobs.get('0'.repeat(64))).toBeNull();
    await expect(t.deps.blobs.get('../../etc/passwd')).rejects.toThrow('bad blob key');
  });

  it('reads blobs the disk store wrote before (legacy directory) and deletes rows and legacy files', async () => {
    const legacyDir = path.join(t.dataDir, 'legacy-blobs');
    const disk = createDiskBlobStore(legacyDir);
    const store = createDatabaseBlobStore(t.deps.db, { legacyDir });
    const old = Buffer.from('an attachment stored on disk before the upgrade');
    const { key: oldKey } = await disk.put(old);
    expect(await rowCount(oldKey)).toBe(0);
    expect((await store.get(oldKey))!.equals(old)).toBe(true);

    const fresh = Buffer.from('an attachment stored after the upgrade');
    const { key: freshKey } = await store.put(fresh);
    await store.delete(freshKey);
    expect(await rowCount(freshKey)).toBe(0);
    expect(await store.get(freshKey)).toBeNull();

    await store.delete(oldKey);
    expect(await disk.get(oldKey)).toBeNull();
    expect(await store.get(oldKey)).toBeNull();
  });

  it('serves bytes stored by one node to another node (own connection, own data directory)', async () => {
    const data = Buffer.from('an attachment received by node A');
    const { key } = await t.deps.blobs.put(data);
    const otherDir = fs.mkdtempSync(path.join(t.dataDir, 'node-b-'));
    // Node B: PostgreSQL through its own pool; SQLite: a second connection to the same file (a second process).
    const nodeB = await openDatabase({ databaseUrl: t.databaseUrl, dataDir: t.databaseUrl ? otherDir : t.dataDir, migrate: false });
    try {
      const back = await createDatabaseBlobStore(nodeB, { legacyDir: path.join(otherDir, 'blobs') }).get(key);
      expect(back?.equals(data)).toBe(true);
    } finally {
      await nodeB.close();
    }
  });

  it.skipIf(!process.env.DATABASE_URL)('keeps the bytes out of pglz compression on PostgreSQL (storage external)', async () => {
    const r = await sql<{ s: string }>`select attstorage as s from pg_attribute where attrelid = 'blobs'::regclass and attname = 'data'`.execute(t.deps.db.kysely);
    expect(r.rows[0]?.s).toBe('e');
  });
});

describe('BLOB_STORE=disk', () => {
  it('keeps one file per blob in <data dir>/blobs and writes no rows', async () => {
    const d = await createTestApp({ env: { BLOB_STORE: 'disk' } });
    try {
      const data = Buffer.from('kept on disk');
      const { key } = await d.deps.blobs.put(data);
      expect(fs.readFileSync(path.join(d.dataDir, 'blobs', key.slice(0, 2), key.slice(2, 4), key)).equals(data)).toBe(true);
      expect(await d.deps.db.kysely.selectFrom('blobs').select('key').execute()).toEqual([]);
    } finally {
      await d.close();
    }
  });
});
