// `npm run dev:web -- [--data-dir DIR] [--port N]`: the web host for UI work.
import { parseArgs } from 'node:util';
import { startWebHost } from './server';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  process.stdout.write(
    'Usage: npm run dev:web -- [--data-dir DIR] [--port N]\n\n' +
      'Serves the built renderer at http://127.0.0.1:N with window.paddock bridged to a real core.\n' +
      '  --data-dir DIR  where the core keeps its store (default: a fresh temporary directory)\n' +
      '  --port N        the port to listen on (default: a free one)\n',
  );
  process.exit(0);
}

const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be a whole number from 0 to 65535, not ${JSON.stringify(values.port)}.\n`);
  process.exit(64);
}

const host = await startWebHost({ port, ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}) });
process.stdout.write(`Paddock web host: ${host.url}\nData directory: ${host.dataDir}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void host.close().then(() => process.exit(0));
  });
}
