import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const repo = fileURLToPath(new URL('.', import.meta.url));

/**
 * The web app lives in src/web (index.html included) and builds into dist/web, which the API
 * server serves at /. In development the API runs separately on :8080 and /api is proxied to it,
 * so the session cookie stays same-origin in both setups.
 */
export default defineConfig({
  root: `${repo}src/web`,
  plugins: [react()],
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://localhost:8080', changeOrigin: false } },
  },
  build: {
    outDir: `${repo}dist/web`,
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        // React changes far less often than our code: its own chunk stays cached across deploys.
        // Ant Design and ECharts are left to Rollup's import graph, so each route's chunk carries
        // only the components it uses and the first screens (login, 我的目标) skip the rest:
        // forcing all of antd into one chunk put 1.1 MB in front of the login page.
        manualChunks(id) {
          if (/node_modules\/(react|react-dom|react-router|scheduler)\//.test(id)) return 'react';
          return undefined;
        },
      },
    },
  },
});
