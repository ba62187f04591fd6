import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { DB } from './schema.ts';
import type { Tx } from './connection.ts';
import { engineOf } from './dialect.ts';

// A hole in a query built once; each call fills it with its own value (argument `arg`, or its element/field `key`).
class Slot { readonly arg: number; readonly key: string | number | undefined; constructor(arg: number, key?: string | number) { this.arg = arg; this.key = key; } }

type Shape = { sql: string; query: CompiledQuery['query']; params: (Slot | unknown)[] };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** What decides the SQL: the engine, each list argument's length and each record argument's fields. */
const shapeKey = (engine: string, args: unknown[]) => {
  let key = `${engine}${args.length}`; // only scalars (the common case): the engine and the arity
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (Array.isArray(a)) key += `|${i}[${a.length}`;
    else if (isRecord(a)) key += `|${i}{${Object.keys(a).join(',')}`;
  }
  return key;
};
const placeholders = (args: unknown[]) => args.map((a, i) => Array.isArray(a) ? a.map((_, j) => new Slot(i, j))
  : isRecord(a) ? Object.fromEntries(Object.keys(a).map((k) => [k, new Slot(i, k)])) : new Slot(i));

/** Enough for the list lengths and field sets one hot query meets; beyond it, queries are compiled as usual. */
const MAX_SHAPES = 32;

/**
 * A query that runs on every chat message or reply, built and compiled once per shape, then only bound to
 * new values. Kysely's builder and compiler cost about as much as SQLite executing a simple statement; on
 * the hot paths that doubles the work. A list argument (`where id in …`) or a record argument (the fields
 * of an update) is part of the shape: each length / field set is compiled once. The builder must not
 * branch on the values themselves (it receives placeholders), only pass them to Kysely.
 */
export const prepared = <A extends unknown[], R>(build: (db: Kysely<DB>, ...args: A) => Compilable<R>) => {
  const shapes = new Map<string, Shape>();
  const shapeFor = (db: Tx, args: unknown[]): Shape => {
    const key = shapeKey(engineOf(db), args);
    let shape = shapes.get(key);
    if (!shape) {
      const compiled = build(db as Kysely<DB>, ...(placeholders(args) as A)).compile();
      shape = { sql: compiled.sql, query: compiled.query, params: [...compiled.parameters] };
      if (shapes.size < MAX_SHAPES) shapes.set(key, shape);
    }
    return shape;
  };
  return (db: Tx, ...args: A): Promise<QueryResult<R>> => {
    const shape = shapeFor(db, args);
    const parameters = shape.params.map((p) => (p instanceof Slot ? (p.key === undefined ? args[p.arg] : (args[p.arg] as Record<string | number, unknown>)[p.key]) : p));
    return db.executeQuery<R>({ sql: shape.sql, query: shape.query, parameters, queryId: { queryId: '' } } as CompiledQuery<R>);
  };
};
