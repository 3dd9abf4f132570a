import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desktopFileName, setupAppImageDesktopEntry } from '../../electron/main/linux-desktop-entry';
import {
  detectTraySupport,
  probeStatusNotifierWatcher,
  runProgram,
  sessionBusNameHasOwner,
  statusNotifierWatcher,
  type RunProgram,
} from '../../electron/main/tray-support';

// Linux's desktop plumbing with the real programs (Debian's dbus, GLib's
// gdbus and gio, xdg-utils' xdg-mime; .ci/run installs them): the tray probe
// against a private session bus, and the AppImage's .desktop file
// registered and opened as the desktop would open a paddock:// link.

const run = promisify(execFile);
const linux = process.platform === 'linux';
const missing = linux ? ['dbus-daemon', 'gdbus', 'dbus-send', 'xdg-mime', 'gio'].filter((tool) => !fs.existsSync(`/usr/bin/${tool}`)) : [];
const skipReason = !linux ? 'skipped: Linux desktop integration runs on Linux only' : `skipped: ${missing.join(', ')} missing (install dbus, libglib2.0-bin and xdg-utils: bash .ci/run does)`;

describe.skipIf(!linux || missing.length > 0)('Linux desktop integration', () => {
  if (!linux || missing.length > 0) console.log(skipReason);

  let bus: ChildProcess;
  let address = '';
  const made: string[] = [];

  beforeAll(async () => {
    // A private session bus: nothing owns the StatusNotifierWatcher name there (as on vanilla GNOME).
    bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'ignore'] });
    address = await new Promise<string>((resolve, reject) => {
      let out = '';
      bus.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      bus.once('error', reject);
      bus.once('exit', (code) => reject(new Error(`dbus-daemon exited with ${code}`)));
    });
  });

  afterAll(() => {
    bus?.kill();
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The real programs, on the private bus. */
  const onBus: RunProgram = (command, args, timeoutMs) => runProgram(command, args, timeoutMs, { ...process.env, DBUS_SESSION_BUS_ADDRESS: address });

  it('finds no StatusNotifierWatcher on a session bus without one, with gdbus and with dbus-send', async () => {
    expect(await probeStatusNotifierWatcher(onBus)).toBe(false);
    const withoutGdbus: RunProgram = (command, args, timeoutMs) => (command === 'gdbus' ? Promise.resolve(null) : onBus(command, args, timeoutMs));
    expect(await sessionBusNameHasOwner(statusNotifierWatcher, withoutGdbus)).toBe(false);
    expect(await detectTraySupport('linux', { XDG_CURRENT_DESKTOP: 'GNOME', XDG_SESSION_TYPE: 'wayland' }, onBus)).toEqual({ available: false, reason: 'gnome-without-extension' });
  });

  it('reads an owned name as owned, with both programs (the bus owns its own name)', async () => {
    expect(await sessionBusNameHasOwner('org.freedesktop.DBus', onBus)).toBe(true);
    const withoutGdbus: RunProgram = (command, args, timeoutMs) => (command === 'gdbus' ? Promise.resolve(null) : onBus(command, args, timeoutMs));
    expect(await sessionBusNameHasOwner('org.freedesktop.DBus', withoutGdbus)).toBe(true);
  });

  it('cannot ask without a bus: no answer rather than a guess', async () => {
    const noBus: RunProgram = (command, args, timeoutMs) =>
      runProgram(command, args, timeoutMs, { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(os.tmpdir(), 'paddock-no-bus-here')}` });
    expect(await probeStatusNotifierWatcher(noBus)).toBeNull();
  });

  it('registers an AppImage’s .desktop file with xdg-mime, and the desktop then opens paddock:// links with it, the path quoted as the spec says', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-xdg-'));
    made.push(home);
    // An "AppImage" whose path has a space, a $ and a double quote: it writes down the arguments it was started with.
    const folder = path.join(home, 'My $Apps');
    fs.mkdirSync(folder);
    const appImage = path.join(folder, 'Pad"dock.AppImage');
    const argsFile = path.join(home, 'args.txt');
    fs.writeFileSync(appImage, `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\n`, { mode: 0o755 });
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      XDG_DATA_HOME: path.join(home, 'data'),
      XDG_CONFIG_HOME: path.join(home, 'config'),
      // Only this test's applications: not the machine's.
      XDG_DATA_DIRS: path.join(home, 'none'),
      APPIMAGE: appImage,
    };
    const result = await setupAppImageDesktopEntry(env);
    expect(result).toEqual({ status: 'registered', file: path.join(home, 'data', 'applications', desktopFileName) });

    const { stdout } = await run('xdg-mime', ['query', 'default', 'x-scheme-handler/paddock'], { env });
    expect(stdout.trim()).toBe(desktopFileName);

    // GLib (GNOME, and Electron's own registration) opens the link with the default handler.
    const link = 'paddock://oauth/callback?code=canary-code-Q3&state=canary-state-R8';
    await run('gio', ['open', link], { env });
    await expect.poll(() => (fs.existsSync(argsFile) ? fs.readFileSync(argsFile, 'utf8') : null), { timeout: 10_000 }).toBe(`${link}\n`);
  });
});
