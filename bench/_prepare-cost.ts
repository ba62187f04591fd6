// Where parse time goes per corpus message (one thread, no pool): `npx node bench/_prepare-cost.ts` prints the slowest.
import fs from 'node:fs';
import path from 'node:path';
import { prepareEmail } from '../packages/server/src/modules/channels/email/parse/prepare.ts';
const corpusDir = path.resolve(import.meta.dirname, '../../shared/corpora/mail');
const files: { name: string; raw: Buffer }[] = [];
for (const sub of ['chatwoot', 'zammad', 'stalwart_mail_parser/rfc', 'mailparser']) {
  const dir = path.join(corpusDir, sub);
  if (!fs.existsSync(dir)) continue;
  for (const f of fs.readdirSync(dir).filter((x) => /\.(eml|box)$/.test(x) && !/large_text|outofmemory/.test(x))) files.push({ name: `${sub}/${f}`, raw: fs.readFileSync(path.join(dir, f)) });
}
for (const f of files) await prepareEmail(f.raw); // warm
const times: { name: string; ms: number; size: number }[] = [];
let total = 0;
for (const f of files) { const t0 = performance.now(); await prepareEmail(f.raw); const ms = performance.now() - t0; total += ms; times.push({ name: f.name, ms, size: f.raw.length }); }
times.sort((a, b) => b.ms - a.ms);
console.log(`${files.length} messages, total ${total.toFixed(0)} ms, mean ${(total / files.length).toFixed(2)} ms`);
for (const t of times.slice(0, 12)) console.log(t.ms.toFixed(1).padStart(7), 'ms', String(t.size).padStart(8), t.name);
