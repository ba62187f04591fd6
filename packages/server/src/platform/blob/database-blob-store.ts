import type { Database } from '../../db/connection.ts';
import { prepared } from '../../db/prepared.ts';
import { systemClock, type Clock } from '../clock.ts';
import { assertBlobKey, blobKeyOf, createDiskBlobStore, type BlobStore } from './blob-store.ts';

// The same bytes stored before or at the same moment (a logo in every email): the first insert wins, the rest do nothing.
// Prepared: every email puts its raw original and attachments.
const insertBlob = prepared((db, key: string, size: number, data: Buffer, now: string) => db.insertInto('blobs')
  .values({ key, size, data, created_at: now }).onConflict((oc) => oc.column('key').doNothing()));

/**
 * Blobs as rows of `blobs` (key = SHA-256 of the bytes); a put is one autocommitted insert and resolves once its row
 * is durable. On SQLite concurrent puts (an email's raw original and its attachments, other messages' blobs) join the
 * same group commit and share one WAL fdatasync instead of paying one fsynced file each. On PostgreSQL every node
 * sees the same bytes (a disk store is local to one node).
 *
 * legacyDir: the disk store's directory from before (`<data dir>/blobs`). A key not in the table is read from
 * there, so existing installs keep their attachments without a migration step.
 */
export const createDatabaseBlobStore = (db: Database, opts: { legacyDir?: string; clock?: Clock } = {}): BlobStore => {
  const legacy = opts.legacyDir ? createDiskBlobStore(opts.legacyDir) : null;
  const clock = opts.clock ?? systemClock;
  return {
    async put(data, knownKey) {
      const key = knownKey ?? blobKeyOf(data);
      await db.autocommit((tx) => insertBlob(tx, key, data.length, data, clock.iso()));
      return { key, size: data.length };
    },
    async get(key) {
      assertBlobKey(key);
      const row = await db.kysely.selectFrom('blobs').select('data').where('key', '=', key).executeTakeFirst();
      if (!row) return legacy ? legacy.get(key) : null;
      const bytes = row.data;
      // pg gives a Buffer, node:sqlite a Uint8Array: wrap its memory, no copy.
      return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    async delete(key) {
      assertBlobKey(key);
      await db.transaction(({ tx }) => tx.deleteFrom('blobs').where('key', '=', key).execute());
      await legacy?.delete(key);
    },
  };
};
