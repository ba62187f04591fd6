import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The agent app. Served by the server from packages/web/dist (see serveWebApp in packages/server/src/app.ts).
// Admin and settings pages are separate chunks (React.lazy), so the first screen loads only the inbox.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 400 },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true } } },
});
