import { sql, type Kysely } from 'kysely';

// Column types and the few statements where SQLite and PostgreSQL differ, side by side.
export type Engine = 'sqlite' | 'postgres';

export const engineOf = (db: Kysely<any>): Engine =>
  db.getExecutor().adapter.constructor.name.startsWith('Postgres') ? 'postgres' : 'sqlite';

export const columnTypes = (engine: Engine) => ({
  id: engine === 'postgres' ? 'uuid' : 'text',
  ts: engine === 'postgres' ? 'timestamptz' : 'text',
  json: engine === 'postgres' ? 'jsonb' : 'text',
  bool: 'boolean',
  bigint: engine === 'postgres' ? 'bigint' : 'integer',
  /** Bytes: Buffer in; node:sqlite reads back a Uint8Array, pg a Buffer. */
  blob: engine === 'postgres' ? 'bytea' : 'blob',
} as const);

/**
 * Next value of a named counter (human conversation numbers). On PostgreSQL a counter with a sequence
 * (`counter_<name>`, created by a migration) takes no lock; others use the counters row, serialised by
 * its row lock (SQLite: by the single writer).
 */
const sequenceExists = new Map<string, boolean>();

export const nextCounter = async (db: Kysely<any>, name: string): Promise<number> => {
  if (engineOf(db) === 'postgres' && /^[a-z_]+$/.test(name)) {
    const seq = `counter_${name}`;
    if (!sequenceExists.has(name)) {
      const found = await sql<{ r: string | null }>`select to_regclass(${seq})::text as r`.execute(db);
      sequenceExists.set(name, found.rows[0]?.r != null);
    }
    if (sequenceExists.get(name)) return Number((await sql<{ v: string }>`select nextval(${seq}::regclass) as v`.execute(db)).rows[0]!.v);
  }
  const r = await sql<{ value: number | string }>`insert into counters (name, value) values (${name}, 1)
    on conflict (name) do update set value = counters.value + 1 returning value`.execute(db);
  return Number(r.rows[0]!.value);
};

/** JSON columns come back as text on both engines (pg parser set in connection.ts). */
export const toJson = (v: unknown) => JSON.stringify(v ?? null);
export const fromJson = <T>(v: unknown, fallback: T): T => {
  if (v === null || v === undefined) return fallback;
  if (typeof v !== 'string') return v as T;
  try { return JSON.parse(v) as T; } catch { return fallback; }
};

/** `column LIKE %text%`, case-insensitive on both engines, with LIKE wildcards in text escaped. */
export const containsText = (column: string, text: string) =>
  sql<boolean>`lower(${sql.ref(column)}) like ${`%${text.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`} escape '\\'`;
