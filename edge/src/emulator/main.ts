/**
 * `npm start`: runs the emulator on local folders until interrupted. Bad flags print the
 * usage and exit with code 2.
 */
import { DEV_SIGNING_KEYS, readCliOptions, USAGE, UsageError } from './options.js';
import { createEmulator } from './server.js';

async function main(): Promise<void> {
  let options: ReturnType<typeof readCliOptions>;
  try {
    options = readCliOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`vetrina emulator: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }

  const emulator = createEmulator({
    originals: options.originals,
    renditions: options.renditions,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    config: options.config,
    host: options.host,
    port: options.port,
  });
  // Print the URL as soon as the port is open; the start-up scan of the originals may take a while.
  emulator.app.addHook('onListen', async () => {
    const address = emulator.app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    process.stderr.write(
      `vetrina emulator: open http://${host}:${port}/ (originals: ${options.originals}, renditions: ${options.renditions})\n` +
        (options.config.signing.keys.dev === DEV_SIGNING_KEYS.dev
          ? 'vetrina emulator: signing with the development key "dev" (never use it in production)\n'
          : ''),
    );
  });
  // A wrong endpoint, missing credentials or a missing bucket should stop here, with the reason,
  // rather than leave a server up that answers every request with 502.
  for (const [role, store] of Object.entries(emulator.stores)) {
    try {
      await store.list('', { limit: 1 });
    } catch (error) {
      const reason =
        error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      process.stderr.write(`vetrina emulator: the ${role} store ${store.location} cannot be listed: ${reason}\n`);
      process.exit(3);
    }
  }
  await emulator.start();
  process.stderr.write('vetrina emulator: eager renditions of the originals are up to date; watching for changes\n');

  const shutdown = () => {
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`vetrina emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
