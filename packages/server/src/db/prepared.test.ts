import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { prepared } from './prepared.ts';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

describe('prepared queries', () => {
  const counter = prepared((db, name: string) => db.selectFrom('counters').select(['name', 'value']).where('name', '=', name).limit(1));
  const bump = prepared((db, name: string, by: number) => db.insertInto('counters').values({ name, value: by })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', by) }))));

  it('binds each call to its own values, constants included, inside and outside transactions', async () => {
    await t.deps.db.transaction(async ({ tx }) => { await bump(tx, 'p-a', 2); await bump(tx, 'p-b', 5); await bump(tx, 'p-a', 3); });
    expect((await counter(t.deps.db.kysely, 'p-a')).rows).toEqual([{ name: 'p-a', value: 5 }]);
    expect((await counter(t.deps.db.kysely, 'p-b')).rows).toEqual([{ name: 'p-b', value: 5 }]);
    expect((await counter(t.deps.db.kysely, 'p-none')).rows).toEqual([]);
  });

  it('reports affected rows like the builder does', async () => {
    const claim = prepared((db, name: string) => db.insertInto('counters').values({ name, value: 1 }).onConflict((oc) => oc.column('name').doNothing()));
    let first = 0n; let again = 0n;
    await t.deps.db.transaction(async ({ tx }) => {
      first = (await claim(tx, 'p-claim')).numAffectedRows ?? 0n;
      again = (await claim(tx, 'p-claim')).numAffectedRows ?? 0n;
    });
    expect([Number(first), Number(again)]).toEqual([1, 0]);
  });
});
