import path from 'node:path';
import { ROOT, ensureBuilt } from '../build.ts';

export { CHROMIUM, SCREENSHOTS, hasChromium } from '../build.ts';
export const WEB_DIR = path.join(ROOT, 'packages/web');

/** Builds packages/web once when dist is missing or older than its sources. */
export const ensureWebBuilt = () => ensureBuilt(WEB_DIR, path.join(WEB_DIR, 'dist/index.html'),
  [path.join(WEB_DIR, 'src'), path.join(WEB_DIR, 'public'), path.join(WEB_DIR, 'index.html'), path.join(ROOT, 'packages/shared/src')], { NODE_ENV: 'production' });
