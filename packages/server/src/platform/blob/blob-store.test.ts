import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDiskBlobStore } from './blob-store.ts';

describe('disk blob store', () => {
  it('stores content-addressed bytes and survives concurrent writes of the same bytes', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'careline-blobs-'));
    const store = createDiskBlobStore(root);
    const data = Buffer.from('the same company logo in every email');
    const results = await Promise.all(Array.from({ length: 20 }, () => store.put(data)));
    expect(new Set(results.map((r) => r.key)).size).toBe(1);
    expect(await store.get(results[0]!.key)).toEqual(data);
    expect(fs.readdirSync(path.dirname(path.join(root, results[0]!.key.slice(0, 2), results[0]!.key.slice(2, 4), 'x'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(await store.get('0'.repeat(64))).toBeNull();
    await expect(store.get('../../etc/passwd')).rejects.toThrow();
    fs.rmSync(root, { recursive: true, force: true });
  });
});
