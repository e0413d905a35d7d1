// `npm start` serves the built UI: build it when there is no build yet or a source is newer than it.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const output = 'web/build/handler.js';
const sources = [
  'web/src',
  'web/static',
  'web/svelte.config.js',
  'web/vite.config.ts',
  'events/src',
];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), 0);
}

if (!existsSync(output) || sources.some((source) => newest(source) > statSync(output).mtimeMs)) {
  console.log('Building the web UI (web/build)...');
  execFileSync('npm', ['run', 'build', '-w', '@kefalet/web'], { stdio: 'inherit' });
}
