import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from './config.ts';

describe('configuration', () => {
  it('has safe defaults: embedded database in ./data on 127.0.0.1:3000', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ engine: 'sqlite', PORT: 3000, HOST: '127.0.0.1', publicUrl: 'http://127.0.0.1:3000' });
    expect(c.dataDir).toBe(path.resolve('data'));
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('switches to PostgreSQL with DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).engine).toBe('postgres');
  });

  it('names every bad value at once', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', REDIS_URL: 'http://x', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      for (const name of ['PORT', 'DATABASE_URL', 'REDIS_URL', 'LOG_LEVEL']) expect(msg).toContain(name);
      expect(msg).toContain('must start with postgres://');
    }
  });

  it('every variable is documented in the README table', () => {
    const readme = fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../README.md'), 'utf8');
    for (const v of describeConfig()) expect(readme, v.name).toContain(`| \`${v.name}\` |`);
  });
});
