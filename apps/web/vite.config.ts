import { defineConfig } from 'vite';

// The status page: Preact through Vite's built-in JSX transform (oxc), built to dist/, which the
// API serves at `/`. `npm run dev` proxies /api to a running `myelin api` (MYELIN_API_URL).
export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 400 },
  server: {
    proxy: { '/api': { target: process.env.MYELIN_API_URL ?? 'http://127.0.0.1:7070', changeOrigin: true } },
  },
});
