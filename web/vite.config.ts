import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** `npm run dev:web`: hot reload on :5173, the API (and its live feed) proxied to `npm start` on :8000. */
const API = process.env['TODO_API'] ?? 'http://localhost:8000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false },
  server: {
    proxy: {
      // The accounts accept a cookie-carrying request only from their own origin (BETTER_AUTH_URL): the
      // proxy presents the API's, as the page would when served by the API itself.
      '/api': { target: API, headers: { origin: new URL(API).origin } },
      '/ws': { target: API, ws: true },
      '/health': API,
      '/ready': API,
      '/docs': API,
    },
  },
});
