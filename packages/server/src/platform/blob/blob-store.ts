import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';

/** Attachment bytes live behind this interface (local disk by default; S3-style stores can implement it). */
export type BlobStore = {
  /** Durable (fsynced) before it resolves. Content-addressed, so storing the same bytes twice is free. */
  put(data: Buffer): Promise<{ key: string; size: number }>;
  get(key: string): Promise<Buffer | null>;
  delete(key: string): Promise<void>;
};

export const createDiskBlobStore = (root: string): BlobStore => {
  const fileOf = (key: string) => {
    if (!/^[a-f0-9]{64}$/.test(key)) throw new Error('bad blob key');
    return path.join(root, key.slice(0, 2), key.slice(2, 4), key);
  };
  return {
    async put(data) {
      const key = createHash('sha256').update(data).digest('hex');
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
