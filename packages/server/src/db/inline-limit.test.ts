import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { prepared } from './prepared.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.deps.db.transaction(async ({ tx }) => {
    for (const name of ['il-a', 'il-b', 'il-c']) await tx.insertInto('counters').values({ name, value: 1 }).execute();
  });
});
afterAll(async () => { await t.close(); });

describe('inlined limits', () => {
  const byPrefix = (limit: number) => t.deps.db.kysely.selectFrom('counters').select('name').where('name', 'like', 'il-%').orderBy('name').limit(limit);

  it('writes a whole-number limit into the SQL and still limits the rows', async () => {
    const compiled = byPrefix(2).compile();
    expect(compiled.sql).toMatch(/limit 2$/);
    expect(compiled.parameters).toEqual(['il-%']);
    expect((await byPrefix(2).execute()).map((r) => r.name)).toEqual(['il-a', 'il-b']);
    expect((await byPrefix(0).execute())).toEqual([]);
  });

  it('keeps a limit that a prepared statement leaves open as a bound parameter', async () => {
    const firstN = prepared((db, n: number) => db.selectFrom('counters').select('name').where('name', 'like', 'il-%').orderBy('name').limit(n));
    expect((await firstN(t.deps.db.kysely, 1)).rows.map((r) => r.name)).toEqual(['il-a']);
    expect((await firstN(t.deps.db.kysely, 3)).rows.map((r) => r.name)).toEqual(['il-a', 'il-b', 'il-c']);
  });

  it('binds anything that is not a whole number, as before', () => {
    const compiled = t.deps.db.kysely.selectFrom('counters').select('name').limit(2.5).compile();
    expect(compiled.sql).toMatch(/limit [?$]/);
  });
});
