// Knowledge search benchmark: p50/p95 of the search and the suggestion query over 10k and 50k
// published articles in English, Vietnamese and Polish (bodies built from real sentences of the test
// corpora in ../shared/corpora). Runs on SQLite, or on PostgreSQL when DATABASE_URL is set. Prints figures.
// Articles go in through the real write path (insertArticle: sanitise, revision, index, vocabulary).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { foldText, type Language } from '../packages/shared/src/index.ts';
import { loadConfig } from '../packages/server/src/config.ts';
import { createDeps, closeDeps } from '../packages/server/src/platform/runtime.ts';
import { createTestDatabase } from '../packages/server/src/testing/test-app.ts';
import { systemCtx } from '../packages/server/src/platform/context.ts';
import { insertArticle } from '../packages/server/src/modules/knowledge/articles.ts';
import { searchArticles } from '../packages/server/src/modules/knowledge/search/search.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpora = process.env.CORPORA_DIR ?? path.resolve(here, '../../shared/corpora/data');
const sizes = (process.env.BENCH_SIZES ?? '10000,50000').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 400);
const engine = process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite';
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!; };
const ms = (x: number) => `${x.toFixed(2)} ms`;

// Deterministic pseudo-random numbers (mulberry32), so every run builds the same articles and queries;
// article i has its own stream, so a kept database (BENCH_KEEP) holds the same articles as a fresh one.
const mulberry32 = (a: number) => () => {
  a = (a + 0x6d2b79f5) | 0;
  let t = Math.imul(a ^ (a >>> 15), 1 | a);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
let rnd = mulberry32(42);
const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;

const jsonl = (file: string, field: string) => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => String(JSON.parse(l)[field]));
const csvFirstColumn = (file: string) => {
  const out: string[] = []; const text = fs.readFileSync(file, 'utf8');
  let i = text.indexOf('\n') + 1;
  while (i < text.length) {
    let cell = '';
    if (text[i] === '"') { i++; while (i < text.length && !(text[i] === '"' && text[i + 1] !== '"')) { cell += text[i] === '"' ? '"' : text[i]; i += text[i] === '"' ? 2 : 1; } i++; }
    else while (i < text.length && text[i] !== ',') cell += text[i++];
    out.push(cell.trim());
    i = text.indexOf('\n', i); if (i < 0) break; i++;
  }
  return out;
};

const sentences: Record<Language, string[]> = {
  en: [...csvFirstColumn(path.join(corpora, 'banking77_train/train.csv')), ...jsonl(path.join(corpora, 'clinc150_train/train.jsonl'), 'text')],
  vi: jsonl(path.join(corpora, 'uit_vsfc_vi_train/train.jsonl'), 'text'),
  pl: jsonl(path.join(corpora, 'polemo2_pl_train/train.jsonl'), 'text'),
};
const LANGS: Language[] = ['en', 'vi', 'pl'];

const article = (i: number) => {
  rnd = mulberry32(1_000_003 * (i + 1));
  const language = LANGS[i % 3]!;
  const title = pick(sentences[language]).replace(/\s+([,.!?])/g, '$1').slice(0, 120);
  const body = Array.from({ length: 6 + Math.floor(rnd() * 10) }, () => `<p>${pick(sentences[language]).replace(/[<>&]/g, ' ')}</p>`).join('');
  return { language, title, body };
};

/** Queries as customers type them: 1–3 words from real sentences, half without diacritics, some with a typo. */
export const makeQueries = (size: number) => { rnd = mulberry32(size); return Array.from({ length: QUERIES }, () => {
  const language = pick(LANGS);
  const words = (pick(sentences[language]).match(/[\p{L}]{4,}/gu) ?? ['help']);
  const n = 1 + Math.floor(rnd() * 3);
  const start = Math.floor(rnd() * Math.max(1, words.length - n));
  let q = words.slice(start, start + n).join(' ');
  if (rnd() < 0.5) q = foldText(q);
  if (rnd() < 0.15 && q.length > 5) { const k = 1 + Math.floor(rnd() * (q.length - 2)); q = q.slice(0, k) + q.slice(k + 1); }
  return { language, q };
}); };
export const makeTexts = (size: number) => { rnd = mulberry32(size + 1); return Array.from({ length: QUERIES }, () => {
  const language = pick(LANGS);
  return { language, q: `${pick(sentences[language])} ${pick(sentences[language])}` };
}); };

// BENCH_KEEP=<name>: keep the loaded database (PostgreSQL database cl_bench_<name>, or a data directory
// in the temp folder) and reuse it on the next run, to measure query changes without reloading.
const keep = process.env.BENCH_KEEP?.replace(/[^a-z0-9_]/gi, '') || null;
const keptDatabase = async (name: string) => {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  const dbName = `cl_bench_${name}`.toLowerCase();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [dbName])).rowCount;
  if (!exists) await admin.query(`create database ${dbName}`);
  await admin.end();
  const url = new URL(process.env.DATABASE_URL!); url.pathname = `/${dbName}`;
  return { url: url.toString(), async drop() {} };
};

const main = async () => {
  const dir = keep ? path.join(os.tmpdir(), `careline-kb-bench-${keep}`) : fs.mkdtempSync(path.join(os.tmpdir(), 'careline-kb-bench-'));
  fs.mkdirSync(dir, { recursive: true });
  const pgdb = keep && process.env.DATABASE_URL ? await keptDatabase(keep) : await createTestDatabase();
  const deps = await createDeps(loadConfig({ CARELINE_DATA_DIR: dir, DATABASE_URL: pgdb?.url, LOG_LEVEL: 'error', CARELINE_DEMO: 'off' }));
  const ctx = systemCtx(deps);
  const db = deps.db;
  try {
    let have = Number((await db.kysely.selectFrom('kb_articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    for (const size of sizes) {
      const t0 = performance.now(); const before = have;
      while (have < size) {
        const batch = Math.min(500, size - have);
        await db.transaction(async (w) => {
          for (let k = 0; k < batch; k++) {
            const a = article(have + k);
            await insertArticle(w, ctx, { categoryId: null, isInternal: (have + k) % 20 === 0, tags: [], position: 0, defaultLanguage: a.language,
              translation: { language: a.language, title: a.title, bodyHtml: a.body, status: (have + k) % 10 === 0 ? 'draft' : 'published' } });
          }
        });
        have += batch;
      }
      const loadSeconds = (performance.now() - t0) / 1000;
      if (engine === 'PostgreSQL') { const { sql } = await import('kysely'); await sql`analyze`.execute(db.kysely); }

      for (const [label, mode, list] of [['search (1-3 words)', 'search', makeQueries(size)], ['suggest (free text)', 'suggest', makeTexts(size)]] as const) {
        for (const x of list.slice(0, 30)) await searchArticles(db.kysely, db.engine, { q: x.q, languages: [x.language, 'en'], includeInternal: false, limit: 10, mode }); // warm-up
        const times: number[] = []; const cpu: number[] = []; let empty = 0;
        for (const x of list) {
          const s = performance.now(); const c = process.cpuUsage();
          const r = await searchArticles(db.kysely, db.engine, { q: x.q, languages: [x.language, 'en'], includeInternal: false, limit: 10, mode });
          times.push(performance.now() - s);
          const used = process.cpuUsage(c); cpu.push((used.user + used.system) / 1000);
          if (!r.hits.length) empty++;
        }
        console.log(`[${engine}] ${size.toLocaleString('en')} articles, ${label}: p50 ${ms(pct(times, 50))}, p95 ${ms(pct(times, 95))}, p99 ${ms(pct(times, 99))} over ${times.length} queries (${empty} without results); CPU of this process per search (SQLite runs in it; steadier on a busy machine): p50 ${ms(pct(cpu, 50))}, p95 ${ms(pct(cpu, 95))}${size > before ? `; loaded through the write path at ${((size - before) / loadSeconds).toFixed(0)} articles/s` : ''}; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
      }
    }
  } finally {
    await closeDeps(deps);
    if (!keep) { await pgdb?.drop(); fs.rmSync(dir, { recursive: true, force: true }); }
  }
};

// Runs when started as a script (the profiler imports the query generators).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
