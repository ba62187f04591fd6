import path from 'node:path';
import { ROOT, ensureBuilt } from '../build.ts';

export { CHROMIUM, SCREENSHOTS, hasChromium } from '../build.ts';
export const WIDGET_DIR = path.join(ROOT, 'packages/widget');
export const WIDGET_BUNDLE = path.join(WIDGET_DIR, 'dist/careline.js');

/** Builds packages/widget when its bundle is missing or older than its sources. */
export const ensureWidgetBuilt = () => ensureBuilt(WIDGET_DIR, WIDGET_BUNDLE,
  [path.join(WIDGET_DIR, 'src'), path.join(WIDGET_DIR, 'vite.config.ts'), path.join(ROOT, 'packages/shared/src/chat.ts')]);
