import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// What every browser test needs: Debian's Chromium, where screenshots go, and a fresh build of the bundle under test.
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOTS = path.join(ROOT, 'docs/screenshots');
export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
};
export const hasChromium = fs.existsSync(CHROMIUM.executablePath);

const newest = (p: string): number => {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((f) => newest(path.join(p, f))));
};

/**
 * Runs `vite build` in a package when its output is missing or older than its sources. A lock directory
 * keeps parallel test files from building twice.
 */
export const ensureBuilt = (dir: string, output: string, sources: string[], env: Record<string, string> = {}) => {
  const newestSource = Math.max(...sources.map(newest));
  const fresh = () => fs.existsSync(output) && fs.statSync(output).mtimeMs >= newestSource;
  if (fresh()) return;
  const lock = path.join(dir, '.build-lock');
  for (let i = 0; ; i++) {
    try { fs.mkdirSync(lock); break; } catch {
      if (i > 600) throw new Error(`timed out waiting for another build of ${dir}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (!fresh()) execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: dir, stdio: 'pipe', env: { ...process.env, ...env } });
  } finally { fs.rmSync(lock, { recursive: true, force: true }); }
};
