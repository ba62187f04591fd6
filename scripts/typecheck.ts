// Typechecks every TypeScript project of the repository (server+shared, e2e, web, widget), each with
// its own libraries (DOM for browser code, Node for the server).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const projects = ['tsconfig.json', 'packages/e2e/tsconfig.json', 'packages/web/tsconfig.json', 'packages/widget/tsconfig.json'].filter((p) => fs.existsSync(p));
let failed = false;
for (const project of projects) {
  const res = spawnSync('npx', ['tsc', '-p', project, '--noEmit'], { stdio: 'inherit' });
  if (res.status !== 0) { failed = true; console.error(`typecheck failed: ${project}`); }
}
process.exit(failed ? 1 : 0);
