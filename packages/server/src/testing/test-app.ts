import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../config.ts';
import { createApp, registerModules, type App } from '../app.ts';
import { closeDeps, createDeps } from '../platform/runtime.ts';
import type { Clock } from '../platform/clock.ts';
import type { Deps } from '../platform/context.ts';
import { hashPassword } from '../platform/auth/passwords.ts';

/**
 * A real app on a real, freshly migrated database: SQLite in a temp dir, or — when DATABASE_URL is
 * set (CI) — a new PostgreSQL database created for this test file and dropped afterwards.
 */
export type TestApp = { app: App; deps: Deps; dataDir: string; databaseUrl?: string; close(): Promise<void> };

export const ENV_DATABASE_URL = process.env.DATABASE_URL;
export const ENV_REDIS_URL = process.env.REDIS_URL;

export const createTestDatabase = async (): Promise<{ url: string; drop(): Promise<void> } | undefined> => {
  if (!ENV_DATABASE_URL) return undefined;
  const name = `cl_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: ENV_DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ENV_DATABASE_URL); url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: ENV_DATABASE_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`).catch(() => {});
      await c.end();
    },
  };
};

export const createTestApp = async (opts: { clock?: Clock; env?: Record<string, string> } = {}): Promise<TestApp> => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'careline-test-'));
  const pgdb = await createTestDatabase();
  const config = loadConfig({
    CARELINE_DATA_DIR: dataDir, LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '100000', WEBHOOK_ALLOW_PRIVATE: 'true',
    CARELINE_DEMO: 'off', DATABASE_URL: pgdb?.url, ...opts.env,
  });
  const deps = await createDeps(config, { clock: opts.clock });
  registerModules(deps);
  const app = await createApp(deps);
  await app.ready();
  return {
    app, deps, dataDir, databaseUrl: pgdb?.url,
    async close() {
      await app.close();
      await closeDeps(deps);
      await pgdb?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

// scrypt is deliberately slow; tests hash one password once.
let cachedHash: Promise<string> | null = null;
export const TEST_PASSWORD = 'correct horse battery';
export const testPasswordHash = () => (cachedHash ??= hashPassword(TEST_PASSWORD));
