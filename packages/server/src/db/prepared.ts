import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { DB } from './schema.ts';
import type { Tx } from './connection.ts';
import { engineOf } from './dialect.ts';

// A hole in a query built once; each call fills it with its own value.
class Slot { readonly index: number; constructor(index: number) { this.index = index; } }

type Shape = { sql: string; query: CompiledQuery['query']; params: (Slot | unknown)[] };

/**
 * A query that runs on every chat message or reply, built and compiled once per engine, then only bound to
 * new values. Kysely's builder and compiler cost about as much as SQLite executing a simple statement; on
 * the hot paths that doubles the work. Only for queries whose shape never depends on the values (no `in`
 * lists, no optional clauses): the builder receives placeholders, whatever it does with them is fixed.
 */
export const prepared = <A extends unknown[], R>(build: (db: Kysely<DB>, ...args: A) => Compilable<R>) => {
  const shapes = new Map<string, Shape>(); // per engine: the SQL differs
  const shapeFor = (db: Tx, arity: number) => {
    const engine = engineOf(db);
    let shape = shapes.get(engine);
    if (!shape) {
      const slots = Array.from({ length: arity }, (_, i) => new Slot(i)) as unknown as A;
      const compiled = build(db as Kysely<DB>, ...slots).compile();
      shape = { sql: compiled.sql, query: compiled.query, params: [...compiled.parameters] };
      shapes.set(engine, shape);
    }
    return shape;
  };
  return (db: Tx, ...args: A): Promise<QueryResult<R>> => {
    const shape = shapeFor(db, args.length);
    const parameters = shape.params.map((p) => (p instanceof Slot ? args[p.index] : p));
    return db.executeQuery<R>({ sql: shape.sql, query: shape.query, parameters, queryId: { queryId: '' } } as CompiledQuery<R>);
  };
};
