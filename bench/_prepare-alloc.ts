// Where the parse worker allocates (the GC's work): V8's sampling heap profiler, including objects already
// collected, over a few passes of the corpus. `npx node bench/_prepare-alloc.ts` prints the top allocating functions.
import fs from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { prepareEmail } from '../packages/server/src/modules/channels/email/parse/prepare.ts';
const corpusDir = path.resolve(import.meta.dirname, '../../shared/corpora/mail');
const files: Buffer[] = [];
for (const sub of ['chatwoot', 'zammad', 'stalwart_mail_parser/rfc', 'mailparser']) {
  const dir = path.join(corpusDir, sub);
  if (!fs.existsSync(dir)) continue;
  for (const f of fs.readdirSync(dir).filter((x) => /\.(eml|box)$/.test(x) && !/large_text|outofmemory/.test(x))) files.push(fs.readFileSync(path.join(dir, f)));
}
for (const f of files) await prepareEmail(f); // warm
const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
const passes = 3;
for (let p = 0; p < passes; p++) for (const f of files) await prepareEmail(f);
const { profile } = await session.post('HeapProfiler.stopSampling');
type Node = { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: Node[] };
const self = new Map<string, number>(); const byPkg = new Map<string, number>();
let total = 0;
const walk = (n: Node) => {
  const url = n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*packages\//, '');
  const key = `${n.callFrame.functionName || '(anon)'} ${url}:${n.callFrame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + n.selfSize);
  const pkg = url.split('/')[0] || '(native)';
  byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + n.selfSize);
  total += n.selfSize;
  n.children.forEach(walk);
};
walk(profile.head as Node);
const n = passes * files.length;
const kb = (b: number) => `${(b / n / 1024).toFixed(1)} KB`;
console.log(`${files.length} messages × ${passes}: allocated ${kb(total)} per message (raw mean ${(files.reduce((a, f) => a + f.length, 0) / files.length / 1024).toFixed(1)} KB)`);
console.log('by package:', [...byPkg].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${kb(v)}`).join(', '));
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(kb(v).padStart(10), k);
