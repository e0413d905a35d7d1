import { DEMO_PASSWORD, demoAccounts } from '@kefalet/write-side';
import { loadConfig } from './config';
import { createServer } from './server';

const config = loadConfig();
const server = await createServer(config);
const address = await server.app.listen({ port: config.port, host: config.host });

if (config.demo) {
  // demo mode only (never with NODE_ENV=production): say how to get in
  const lines = demoAccounts().map(
    (a) => `  ${a.email.padEnd(24)} ${a.role.padEnd(9)} ${a.description}`,
  );
  console.log(
    [
      '',
      `Kefalet Portalı is running at ${address}`,
      `Demo accounts (password: ${DEMO_PASSWORD}):`,
      ...lines,
      '',
    ].join('\n'),
  );
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
