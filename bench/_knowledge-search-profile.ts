// Profiles knowledge search on a database kept by `BENCH_KEEP=<name> node bench/knowledge-search.ts`:
// runs the benchmark's queries, times every SQL statement, and prints EXPLAIN (ANALYZE, BUFFERS) of the slowest.
// Usage: DATABASE_URL=… BENCH_KEEP=<name> [PROFILE_MODE=search|suggest] [PROFILE_TOP=5] node bench/_knowledge-search-profile.ts
import os from 'node:os';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import type { DB } from '../packages/server/src/db/schema.ts';
import { searchArticles } from '../packages/server/src/modules/knowledge/search/search.ts';
import { makeQueries, makeTexts } from './knowledge-search.ts';

const keep = process.env.BENCH_KEEP ?? 'x';
const mode = (process.env.PROFILE_MODE ?? 'search') as 'search' | 'suggest';
const size = Number(process.env.PROFILE_SIZE ?? 50000);
const stmts: { sql: string; params: readonly unknown[]; ms: number }[] = [];
const log = (e: { level: string; query: CompiledQuery; queryDurationMillis: number }) => { stmts.push({ sql: e.query.sql, params: e.query.parameters, ms: e.queryDurationMillis }); };
let db: Kysely<DB>; let engine: 'postgres' | 'sqlite';
if (process.env.DATABASE_URL) {
  const url = new URL(process.env.DATABASE_URL); url.pathname = `/cl_bench_${keep}`.toLowerCase();
  db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.toString(), max: 1 }) }), log });
  engine = 'postgres';
} else {
  const { DatabaseSync } = await import('node:sqlite');
  const { wrapSqlite } = await import('../packages/server/src/db/sqlite-adapter.ts');
  db = new Kysely<DB>({ dialect: new SqliteDialect({ database: wrapSqlite(new DatabaseSync(path.join(os.tmpdir(), `careline-kb-bench-${keep}`, 'careline.db'))) }), log });
  engine = 'sqlite';
}
const list = mode === 'search' ? makeQueries(size) : makeTexts(size);
const perQuery: { q: string; ms: number; n: number }[] = [];
for (const x of list) {
  const from = stmts.length; const s = performance.now();
  await searchArticles(db, engine, { q: x.q, languages: [x.language, 'en'], includeInternal: false, limit: 10, mode });
  perQuery.push({ q: x.q, ms: performance.now() - s, n: stmts.length - from });
}
// Server-side time per search (planning + execution of its statements, from EXPLAIN ANALYZE): steadier than
// wall time on a loaded machine, where waiting for a CPU dominates.
if (engine === 'postgres') {
  const server: number[] = [];
  const serverByShape = new Map<string, { plan: number; exec: number; n: number }>();
  const logged = stmts.length;
  let at = 0;
  for (const p of perQuery) {
    let total = 0;
    for (const s of stmts.slice(at, at + p.n)) {
      const r = await sql.raw<{ 'QUERY PLAN': unknown }>(`explain (analyze, format json) ${s.sql.replace(/\$(\d+)/g, (_, i) => lit(s.params[Number(i) - 1]))}`).execute(db);
      const raw = r.rows[0]!['QUERY PLAN'] as unknown; // a string when the project's pg type parsers leave json alone
      const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw)[0] as { 'Planning Time': number; 'Execution Time': number };
      total += plan['Planning Time'] + plan['Execution Time'];
      const shape = s.sql.replace(/\s+/g, ' ').slice(0, 60);
      const v = serverByShape.get(shape) ?? { plan: 0, exec: 0, n: 0 };
      v.plan += plan['Planning Time']; v.exec += plan['Execution Time']; v.n++; serverByShape.set(shape, v);
    }
    at += p.n; server.push(total);
  }
  stmts.length = logged; // forget the EXPLAIN statements
  for (const [k, v] of serverByShape) console.log(`  server: n ${v.n}, planning ${(v.plan / v.n).toFixed(2)} ms, execution ${(v.exec / v.n).toFixed(2)} ms on average: ${k}`);
  const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
  console.log(`server time per search: p50 ${pct(server, 0.5).toFixed(2)} ms, p95 ${pct(server, 0.95).toFixed(2)} ms, p99 ${pct(server, 0.99).toFixed(2)} ms; statements per search: p50 ${pct(perQuery.map((p) => p.n), 0.5)}, p95 ${pct(perQuery.map((p) => p.n), 0.95)}`);
}
perQuery.sort((a, b) => b.ms - a.ms);
console.log('slowest queries:'); for (const p of perQuery.slice(0, 10)) console.log(`  ${p.ms.toFixed(1)} ms, ${p.n} statements: ${p.q.slice(0, 100)}`);
const byShape = new Map<string, { n: number; ms: number; max: number }>();
for (const s of stmts) { const k = s.sql.replace(/\$\d+/g, '?').replace(/\s+/g, ' ').slice(0, 140); const v = byShape.get(k) ?? { n: 0, ms: 0, max: 0 }; v.n++; v.ms += s.ms; v.max = Math.max(v.max, s.ms); byShape.set(k, v); }
console.log('statement shapes by total time:');
for (const [k, v] of [...byShape].sort((a, b) => b[1].ms - a[1].ms).slice(0, 8)) console.log(`  total ${v.ms.toFixed(0)} ms, n ${v.n}, max ${v.max.toFixed(1)} ms: ${k}`);
const top = [...stmts].sort((a, b) => b.ms - a.ms).slice(0, Number(process.env.PROFILE_TOP ?? 3));
for (const s of top) {
  console.log(`\n--- ${s.ms.toFixed(1)} ms: ${s.sql}\n    params: ${JSON.stringify(s.params).slice(0, 400)}`);
  const plan = engine === 'postgres'
    ? await sql.raw<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${s.sql.replace(/\$(\d+)/g, (_, i) => lit(s.params[Number(i) - 1]))}`).execute(db)
    : await sql.raw<Record<string, unknown>>(`explain query plan ${s.sql.replace(/\?/g, () => lit(s.params[0]))}`).execute(db);
  for (const r of plan.rows) console.log('   ', Object.values(r).join(' '));
}
function lit(v: unknown): string {
  if (Array.isArray(v)) return `array[${v.map(lit).join(',')}]::text[]`;
  if (typeof v === 'number') return String(v);
  return `'${String(v).replace(/'/g, "''")}'`;
}
await db.destroy();
