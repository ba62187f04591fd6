import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const WIDGET_DIR = path.join(root, 'packages/widget');
export const WIDGET_BUNDLE = path.join(WIDGET_DIR, 'dist/careline.js');
export const SCREENSHOTS = path.join(root, 'docs/screenshots');

const newest = (p: string): number => {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((f) => newest(path.join(p, f))));
};

/** Builds packages/widget when dist is missing or older than its sources (a lock keeps parallel builds apart). */
export const ensureWidgetBuilt = () => {
  const sources = Math.max(newest(path.join(WIDGET_DIR, 'src')), newest(path.join(WIDGET_DIR, 'vite.config.ts')), newest(path.join(root, 'packages/shared/src/chat.ts')));
  const fresh = () => fs.existsSync(WIDGET_BUNDLE) && fs.statSync(WIDGET_BUNDLE).mtimeMs >= sources;
  if (fresh()) return;
  const lock = path.join(WIDGET_DIR, '.build-lock');
  for (let i = 0; ; i++) {
    try { fs.mkdirSync(lock); break; } catch {
      if (i > 600) throw new Error('timed out waiting for another widget build');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (!fresh()) execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: WIDGET_DIR, stdio: 'pipe' });
  } finally { fs.rmSync(lock, { recursive: true, force: true }); }
};

export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
};
export const hasChromium = fs.existsSync(CHROMIUM.executablePath);
