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
        // Vendor code changes far less often than ours; separate chunks keep it cached across deploys.
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          if (id.includes('echarts') || id.includes('zrender')) return 'echarts';
          if (/node_modules\/(antd|@ant-design|rc-|@rc-component|@emotion)/.test(id)) return 'antd';
          if (/node_modules\/(react|react-dom|react-router|scheduler)\//.test(id)) return 'react';
          return 'vendor';
        },
      },
    },
  },
});
