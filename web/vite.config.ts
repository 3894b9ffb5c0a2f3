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
      '/api': API,
      '/ws': { target: API, ws: true },
      '/health': API,
      '/ready': API,
      '/docs': API,
    },
  },
});
