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

describe('prepared queries with lists and records', () => {
  const values = prepared((db, names: string[]) => db.selectFrom('counters').select(['name', 'value']).where('name', 'in', names).orderBy('name'));
  const setFields = prepared((db, name: string, fields: { value?: number; name?: string }) => db.updateTable('counters').set(fields).where('name', '=', name));

  it('compiles one statement per list length and binds every element', async () => {
    await t.deps.db.transaction(async ({ tx }) => { for (const n of ['l-a', 'l-b', 'l-c']) await tx.insertInto('counters').values({ name: n, value: n.charCodeAt(2) }).execute(); });
    const names = async (list: string[]) => (await values(t.deps.db.kysely, list)).rows.map((r) => `${r.name}=${r.value}`);
    expect(await names(['l-a'])).toEqual(['l-a=97']);
    expect(await names(['l-c'])).toEqual(['l-c=99']);
    expect(await names(['l-c', 'l-a'])).toEqual(['l-a=97', 'l-c=99']);
    expect(await names(['l-b', 'l-none', 'l-c'])).toEqual(['l-b=98', 'l-c=99']);
    expect(await names(['l-a'])).toEqual(['l-a=97']);
  });

  it('compiles one statement per set of fields and binds each field by name', async () => {
    await t.deps.db.transaction(async ({ tx }) => { await tx.insertInto('counters').values([{ name: 'r-a', value: 1 }, { name: 'r-b', value: 1 }]).execute(); });
    await setFields(t.deps.db.kysely, 'r-a', { value: 7 });
    await setFields(t.deps.db.kysely, 'r-b', { value: 8 });
    await setFields(t.deps.db.kysely, 'r-b', { name: 'r-c', value: 9 });
    await setFields(t.deps.db.kysely, 'r-c', { value: 10, name: 'r-d' }); // same fields, other order: its own shape
    const rows = await t.deps.db.kysely.selectFrom('counters').select(['name', 'value']).where('name', 'like', 'r-%').orderBy('name').execute();
    expect(rows).toEqual([{ name: 'r-a', value: 7 }, { name: 'r-d', value: 10 }]);
  });
});

describe('prepared queries beyond their shape budget', () => {
  const values = prepared((db, names: string[]) => db.selectFrom('counters').select('name').where('name', 'in', names).orderBy('name'));

  it('still binds every call correctly once more list lengths came than it keeps compiled', async () => {
    const names = Array.from({ length: 45 }, (_, i) => `b-${String(i).padStart(2, '0')}`);
    await t.deps.db.transaction(async ({ tx }) => { for (const name of names) await tx.insertInto('counters').values({ name, value: 1 }).execute(); });
    // Lengths 1…45: the first 32 are kept, the rest compiled per call.
    for (let n = 1; n <= names.length; n++) {
      const picked = names.slice(names.length - n);
      expect((await values(t.deps.db.kysely, picked)).rows.map((r) => r.name)).toEqual(picked);
    }
    expect((await values(t.deps.db.kysely, [names[3]!])).rows.map((r) => r.name)).toEqual([names[3]]);
  });
});
