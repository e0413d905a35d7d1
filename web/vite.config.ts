import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// In development the API server runs on its own port; the proxy keeps the browser on one origin,
// as in embedded mode, so session cookies and Socket.IO work the same way.
const api = process.env.KEFALET_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [sveltekit()],
  ssr: {
    // SvelteKit needs cookie 0.6 (nested under @sveltejs/kit); the workspace root hoists cookie 2
    // for the API server, whose exports differ. Bundling it resolves it from SvelteKit's own files.
    noExternal: ['cookie'],
  },
  server: {
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/socket.io': { target: api, ws: true, changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/socket.io': { target: api, ws: true, changeOrigin: false },
    },
  },
});
