import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

// node:sqlite → Kysely's SqliteDatabase. Also the one place that bridges SQLite's missing types:
// booleans go in as 0/1 and come back as booleans for `is_*` columns.
const toParam = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : v) as SQLInputValue;
const toParams = (ps: ReadonlyArray<unknown>) => ps.map(toParam);

/** The statement's `is_*` result columns, found once when it is prepared (most statements have none). */
const booleanColumns = (stmt: StatementSync) => stmt.columns().map((c) => c.name).filter((name) => name.startsWith('is_'));
const fixRow = (row: Record<string, unknown>, columns: string[]) => {
  for (const key of columns) if (typeof row[key] === 'number') row[key] = row[key] === 1;
  return row;
};

export const wrapSqlite = (db: DatabaseSync): SqliteDatabase => {
  // Kysely prepares every query anew; compiling SQL was a quarter of the write path's CPU, so statements are cached.
  const cache = new Map<string, { stmt: StatementSync; reader: boolean; booleans: string[] }>();
  const prepareCached = (sql: string) => {
    let entry = cache.get(sql);
    if (!entry) {
      if (cache.size >= 2000) cache.clear();
      const stmt = db.prepare(sql);
      entry = { stmt, reader: stmt.columns().length > 0, booleans: booleanColumns(stmt) };
      cache.set(sql, entry);
    }
    return entry;
  };
  return {
  close: () => db.close(),
  prepare(sql: string): SqliteStatement {
    // Writers take the lock up front so two processes never deadlock upgrading a read lock.
    const { stmt, reader, booleans } = prepareCached(sql === 'begin' ? 'begin immediate' : sql);
    return {
      reader,
      all: (ps) => { const rows = stmt.all(...toParams(ps)) as Record<string, unknown>[]; if (booleans.length) for (const r of rows) fixRow(r, booleans); return rows; },
      run: (ps) => stmt.run(...toParams(ps)) as { changes: number | bigint; lastInsertRowid: number | bigint },
      iterate: (ps) => (function* () { for (const r of stmt.iterate(...toParams(ps))) yield fixRow(r as Record<string, unknown>, booleans); })(),
    };
  },
  };
};

/**
 * The server's connection: WAL, so readers never block the writer; synchronous=NORMAL with the WAL fdatasynced
 * off the main thread before a commit is acknowledged (sqlite-durability.ts); checkpoints run in a worker.
 */
export const openSqliteFile = (file: string) => {
  const db = new DatabaseSync(file, { timeout: 10_000 });
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;');
  return db;
};
