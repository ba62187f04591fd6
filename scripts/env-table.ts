// Rewrites the configuration table in README.md (between the env-table markers) from config.ts.
import fs from 'node:fs';
import { describeConfig, loadConfig } from '../packages/server/src/config.ts';

const defaults = loadConfig({}) as unknown as Record<string, unknown>;
const rows = describeConfig().map((v) => {
  const d = defaults[v.name];
  return `| \`${v.name}\` | ${d === undefined ? '—' : `\`${String(d)}\``} | ${v.describe}${v.sensitive ? ' (secret)' : ''} |`;
});
const table = ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
const readme = fs.readFileSync('README.md', 'utf8');
const next = readme.replace(/<!-- env-table -->[\s\S]*<!-- \/env-table -->/, `<!-- env-table -->\n${table}\n<!-- /env-table -->`);
fs.writeFileSync('README.md', next);
console.log(next === readme ? 'README env table unchanged' : 'README env table updated');
