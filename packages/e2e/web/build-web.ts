import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const WEB_DIR = path.join(root, 'packages/web');
const DIST_INDEX = path.join(WEB_DIR, 'dist/index.html');

const newest = (p: string): number => {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((f) => newest(path.join(p, f))));
};

/** Builds packages/web once when dist is missing or older than its sources (a lock keeps parallel test files from building twice). */
export const ensureWebBuilt = () => {
  const sources = Math.max(newest(path.join(WEB_DIR, 'src')), newest(path.join(WEB_DIR, 'public')), newest(path.join(WEB_DIR, 'index.html')), newest(path.join(root, 'packages/shared/src')));
  if (fs.existsSync(DIST_INDEX) && fs.statSync(DIST_INDEX).mtimeMs >= sources) return;
  const lock = path.join(WEB_DIR, '.build-lock');
  for (let i = 0; ; i++) {
    try { fs.mkdirSync(lock); break; } catch {
      if (i > 600) throw new Error('timed out waiting for another web build');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (fs.existsSync(DIST_INDEX) && fs.statSync(DIST_INDEX).mtimeMs >= sources) return;
    execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: WEB_DIR, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' } });
  } finally { fs.rmSync(lock, { recursive: true, force: true }); }
};

export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
};
export const hasChromium = fs.existsSync(CHROMIUM.executablePath);
export const SCREENSHOTS = path.join(root, 'docs/screenshots');
