import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';

/**
 * Attachment and raw-mail bytes live behind this interface: the database by default (database-blob-store.ts),
 * local disk with BLOB_STORE=disk; S3-style stores can implement it.
 */
export type BlobStore = {
  /**
   * Durable (fsynced) before it resolves. Content-addressed, so storing the same bytes twice is free.
   * Call it before the transaction that records the key, never inside one: the database store commits its own.
   * `knownKey`: the bytes' SHA-256 when the caller has already computed it (a raw email is hashed for dedupe).
   */
  put(data: Buffer, knownKey?: string): Promise<{ key: string; size: number }>;
  get(key: string): Promise<Buffer | null>;
  delete(key: string): Promise<void>;
};

/** A blob's key: the SHA-256 of its bytes, 64 lowercase hex digits. */
export const blobKeyOf = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Keys come from rows, but a store never lets one name anything but a blob. */
export const assertBlobKey = (key: string) => {
  if (!/^[a-f0-9]{64}$/.test(key)) throw new Error('bad blob key');
};

/** One file per blob under root/ab/cd/<key>, written to a temp file, fsynced and renamed into place. */
export const createDiskBlobStore = (root: string): BlobStore => {
  const fileOf = (key: string) => {
    assertBlobKey(key);
    return path.join(root, key.slice(0, 2), key.slice(2, 4), key);
  };
  return {
    async put(data, knownKey) {
      const key = knownKey ?? blobKeyOf(data);
      const file = fileOf(key);
      if (!fs.existsSync(file)) {
        await fs.promises.mkdir(path.dirname(file), { recursive: true });
        // A unique temp name: two writers of the same bytes at once each write their own file, and either rename wins.
        const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
        const fh = await fs.promises.open(tmp, 'w');
        try { await fh.writeFile(data); await fh.sync(); } finally { await fh.close(); }
        await fs.promises.rename(tmp, file);
      }
      return { key, size: data.length };
    },
    async get(key) {
      try { return await fs.promises.readFile(fileOf(key)); } catch (e) { if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null; throw e; }
    },
    async delete(key) { await fs.promises.rm(fileOf(key), { force: true }); },
  };
};
