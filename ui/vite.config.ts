import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.SEGSTREAM_API_URL ?? 'http://127.0.0.1:8080';

// In development Vite serves the UI and proxies the API; in production the API serves ui/dist.
export default defineConfig({
  root,
  plugins: [svelte()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: {
      '/v1': { target: api, ws: true },
      '/health': api,
      '/ready': api,
    },
  },
});
