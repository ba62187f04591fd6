// `npm run bench`: runs every benchmark under bench/ in turn and prints their figures.
// With DATABASE_URL set the database benchmarks run on PostgreSQL, otherwise on the embedded SQLite.
// Pass names to run only some: `npm run bench -- foundation email-ingest`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const scripts = fs.readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_') && !f.endsWith('.test.ts'))
  .filter((f) => !only.length || only.includes(f.replace(/\.ts$/, '')))
  .sort();
let failed = 0;
for (const script of scripts) {
  console.log(`\n== bench/${script} (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`);
  const res = spawnSync(process.execPath, [path.join(dir, script)], { stdio: 'inherit', env: process.env });
  if (res.status !== 0) { failed++; console.log(`bench/${script} exited with ${res.status}`); }
}
process.exit(failed ? 1 : 0);
