import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startChildServer } from './testing/child-server.ts';
import { createTestDatabase } from './testing/test-app.ts';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'cli.ts');

describe('admin CLI', () => {
  it('resets a password while the server is running on the same data', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'careline-cli-'));
    const db = await createTestDatabase();
    const server = await startChildServer({ CARELINE_DATA_DIR: dir, DATABASE_URL: db?.url });
    try {
      const env = { PATH: process.env.PATH, CARELINE_DATA_DIR: dir, DATABASE_URL: db?.url ?? '' };
      const run = spawnSync(process.execPath, [cli, 'reset-password', 'admin@careline.local'], { env, encoding: 'utf8', timeout: 30_000 });
      expect(run.status, run.stderr).toBe(0);
      const password = /New password for admin@careline\.local: (\S+)/.exec(run.stdout)![1]!;
      const res = await fetch(`${server.url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@careline.local', password }) });
      expect(res.status).toBe(200);
      const unknown = spawnSync(process.execPath, [cli, 'reset-password', 'nobody@x.y'], { env, encoding: 'utf8', timeout: 30_000 });
      expect(unknown.status).toBe(1);
    } finally {
      await server.kill();
      await db?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
