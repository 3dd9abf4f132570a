// `npm run dev:web -- [--data-dir DIR] [--port N] [--simulate]`: the web host for UI work.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startWebHost } from './server';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    simulate: { type: 'boolean' },
    'secret-store': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  process.stdout.write(
    'Usage: npm run dev:web -- [--data-dir DIR] [--port N] [--simulate]\n\n' +
      'Serves the built renderer at http://127.0.0.1:N with window.paddock bridged to a real core.\n' +
      '  --data-dir DIR  where the core keeps its store (default: a fresh temporary directory)\n' +
      '  --port N        the port to listen on (default: a free one)\n' +
      '  --simulate      start simulated providers on this machine and point the local runner at them\n' +
      '                  instead of the real services; the page lists what to enter to try each one\n' +
      '  --secret-store file\n' +
      '                  keep the local runner\'s keys in a 0600 file in the data directory instead of the\n' +
      '                  OS keychain (for machines without one; the default with --simulate when no\n' +
      '                  keychain session is running)\n\n' +
      'System notifications the app shows are printed here, numbered. Type, then Enter:\n' +
      '  click N         click notification N (what it opens waits for the page)\n' +
      '  focus on|off    whether the page counts as the focused window (off at start); the app\n' +
      '                  shows no notification for what the user did while it is on\n',
  );
  process.exit(0);
}

const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be a whole number from 0 to 65535, not ${JSON.stringify(values.port)}.\n`);
  process.exit(64);
}

const store = values['secret-store'];
if (store !== undefined && store !== 'file' && store !== 'keychain') {
  process.stderr.write(`--secret-store must be file or keychain, not ${JSON.stringify(store)}.\n`);
  process.exit(64);
}
// Trying Paddock with simulated providers should work on a machine with no keychain (a container, a
// headless server): there the local runner keeps its keys in a file in the (temporary) data directory.
const noKeychain = process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS;
const fileStore = store === 'file' || (store === undefined && values.simulate === true && noKeychain);
const host = await startWebHost({
  port,
  simulate: values.simulate === true,
  ...(fileStore ? { runnerArgs: ['--secret-store', 'file'] } : {}),
  ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
  onNotification: (notification, index) => {
    process.stdout.write(`Notification ${index}: ${notification.title} — ${notification.body}${notification.clickable ? ` (type "click ${index}" to click it)` : ''}\n`);
  },
});
process.stdout.write(`Paddock web host: ${host.url}\nSimulated tray: ${host.url}tray\nData directory: ${host.dataDir}\n`);
if (fileStore) process.stdout.write('The local runner keeps its keys in a file in the data directory (--secret-store file), not in an OS keychain.\n');
if (host.simulators) {
  process.stdout.write('Simulated providers (the local runner reaches these instead of the real services):\n');
  for (const [real, simulator] of Object.entries(host.simulators.endpoints)) process.stdout.write(`  ${real.padEnd(34)} → ${simulator}\n`);
  process.stdout.write('The page lists the host, account and personal access token to try for each.\n');
}
// The desktop's part a browser tab cannot play: clicking a notification, the window's focus.
if (process.stdin.isTTY) {
  process.stdout.write('Type "click N" to click notification N, "focus on" or "focus off" for the window\'s focus (off now).\n');
  createInterface({ input: process.stdin, terminal: false }).on('line', (line) => {
    const [command, argument] = line.trim().split(/\s+/);
    try {
      if (command === 'click' && argument !== undefined && /^\d+$/.test(argument)) host.clickNotification(Number(argument));
      else if (command === 'focus' && (argument === 'on' || argument === 'off')) host.setWindowFocused(argument === 'on');
      else if (command) process.stdout.write('Type "click N", "focus on" or "focus off".\n');
    } catch (error) {
      process.stdout.write(`${error instanceof Error ? error.message : String(error)}\n`);
    }
  });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void host.close().then(() => process.exit(0));
  });
}
