import { defineConfig } from 'vite';

// The chat widget: one self-contained script (dist/careline.js) that the server serves at
// /widget/careline.js. No framework, no CSS outside its Shadow DOM; budget < 30 KB gzip (tested).
export default defineConfig({
  build: {
    outDir: 'dist', emptyOutDir: true, target: 'es2020', sourcemap: false, minify: true,
    lib: { entry: 'src/main.ts', formats: ['iife'], name: 'CarelineWidget', fileName: () => 'careline.js' },
  },
});
