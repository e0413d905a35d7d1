import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // build/handler.js is mounted by the root server in embedded mode (one origin for API and UI)
    adapter: adapter({ out: 'build' }),
  },
};

export default config;
