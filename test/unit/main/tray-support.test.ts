import { describe, expect, it } from 'vitest';
import {
  decideTraySupport,
  detectTraySupport,
  probeStatusNotifierWatcher,
  runProgram,
  statusNotifierWatcher,
  type RunProgram,
  type TrayFacts,
} from '../../../electron/main/tray-support';

const linux = (facts: Partial<TrayFacts>): TrayFacts => ({ platform: 'linux', statusNotifierWatcher: false, currentDesktop: undefined, sessionType: undefined, ...facts });

describe('decideTraySupport', () => {
  it('always has a tray on Windows and macOS, whatever Linux facts come along', () => {
    for (const platform of ['win32', 'darwin'] as const) {
      expect(decideTraySupport({ platform, statusNotifierWatcher: false, currentDesktop: 'GNOME', sessionType: 'wayland' })).toEqual({ available: true, via: 'system' });
    }
  });

  it.each<[string, Partial<TrayFacts>, ReturnType<typeof decideTraySupport>]>([
    ['KDE Plasma (a watcher on the bus)', { statusNotifierWatcher: true, currentDesktop: 'KDE', sessionType: 'wayland' }, { available: true, via: 'status-notifier' }],
    ['Ubuntu GNOME with its AppIndicator extension', { statusNotifierWatcher: true, currentDesktop: 'ubuntu:GNOME', sessionType: 'wayland' }, { available: true, via: 'status-notifier' }],
    ['vanilla GNOME on Wayland', { currentDesktop: 'GNOME', sessionType: 'wayland' }, { available: false, reason: 'gnome-without-extension' }],
    ['vanilla GNOME on X11 (no legacy tray since 3.26)', { currentDesktop: 'GNOME', sessionType: 'x11' }, { available: false, reason: 'gnome-without-extension' }],
    ['GNOME Classic', { currentDesktop: 'GNOME-Classic:GNOME', sessionType: 'x11' }, { available: false, reason: 'gnome-without-extension' }],
    ['Xfce on X11 (its panel has a system tray)', { currentDesktop: 'XFCE', sessionType: 'x11' }, { available: true, via: 'x11-tray' }],
    ['Cinnamon on X11', { currentDesktop: 'X-Cinnamon', sessionType: 'x11' }, { available: true, via: 'x11-tray' }],
    ['MATE on X11, lower case', { currentDesktop: 'mate', sessionType: 'X11' }, { available: true, via: 'x11-tray' }],
    ['Xfce on Wayland without a watcher (no XEmbed tray)', { currentDesktop: 'XFCE', sessionType: 'wayland' }, { available: false, reason: 'wayland-without-watcher' }],
    ['a bare window manager on X11', { currentDesktop: 'i3', sessionType: 'x11' }, { available: false, reason: 'no-status-notifier-watcher' }],
    ['no desktop said at all', {}, { available: false, reason: 'unknown-desktop' }],
    ['the bus could not be asked, on KDE', { statusNotifierWatcher: null, currentDesktop: 'KDE', sessionType: 'wayland' }, { available: false, reason: 'wayland-without-watcher' }],
  ])('Linux: %s', (_name, facts, expected) => {
    expect(decideTraySupport(linux(facts))).toEqual(expected);
  });
});

/** A fake machine: what each program answers (null: not there, or failed). */
function programs(answers: Record<string, string | null>) {
  const calls: { command: string; args: readonly string[]; timeoutMs: number }[] = [];
  const run: RunProgram = async (command, args, timeoutMs) => {
    calls.push({ command, args, timeoutMs });
    return answers[command] ?? null;
  };
  return { run, calls };
}

describe('probeStatusNotifierWatcher', () => {
  it('asks the session bus with gdbus whether the watcher’s name has an owner, with a timeout', async () => {
    const { run, calls } = programs({ gdbus: '(true,)\n' });
    expect(await probeStatusNotifierWatcher(run, 1500)).toBe(true);
    expect(calls).toEqual([
      {
        command: 'gdbus',
        args: ['call', '--session', '--dest', 'org.freedesktop.DBus', '--object-path', '/org/freedesktop/DBus', '--method', 'org.freedesktop.DBus.NameHasOwner', statusNotifierWatcher],
        timeoutMs: 1500,
      },
    ]);
    expect(await probeStatusNotifierWatcher(programs({ gdbus: '(false,)\n' }).run)).toBe(false);
  });

  it('falls back to dbus-send where gdbus is missing', async () => {
    const { run, calls } = programs({ gdbus: null, 'dbus-send': '   boolean true\n' });
    expect(await probeStatusNotifierWatcher(run)).toBe(true);
    expect(calls.map((call) => call.command)).toEqual(['gdbus', 'dbus-send']);
    expect(calls[1]?.args).toContain(`string:${statusNotifierWatcher}`);
    expect(await probeStatusNotifierWatcher(programs({ 'dbus-send': '   boolean false\n' }).run)).toBe(false);
  });

  it('answers null when neither could ask, or the answer is not one it knows', async () => {
    expect(await probeStatusNotifierWatcher(programs({}).run)).toBeNull();
    expect(await probeStatusNotifierWatcher(programs({ gdbus: 'Error connecting: Could not connect', 'dbus-send': '' }).run)).toBeNull();
  });
});

describe('detectTraySupport', () => {
  it('asks the bus on Linux only, and decides with the session’s desktop', async () => {
    const { run, calls } = programs({ gdbus: '(false,)' });
    expect(await detectTraySupport('linux', { XDG_CURRENT_DESKTOP: 'GNOME', XDG_SESSION_TYPE: 'wayland' }, run)).toEqual({ available: false, reason: 'gnome-without-extension' });
    expect(calls).toHaveLength(1);
    const windows = programs({});
    expect(await detectTraySupport('win32', {}, windows.run)).toEqual({ available: true, via: 'system' });
    expect(windows.calls).toEqual([]);
  });
});

describe('runProgram', () => {
  it('answers a program’s output, and null for a missing program, a failure or one that takes too long', async () => {
    expect(await runProgram(process.execPath, ['-e', 'process.stdout.write("(true,)")'], 10_000)).toBe('(true,)');
    expect(await runProgram('/nonexistent/paddock-no-such-program', [], 10_000)).toBeNull();
    expect(await runProgram(process.execPath, ['-e', 'process.exit(3)'], 10_000)).toBeNull();
    expect(await runProgram(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], 200)).toBeNull();
  });

  it('passes arguments to the program as they are, without a shell', async () => {
    const odd = '$(echo hi) `x` ; | & "quoted"';
    expect(await runProgram(process.execPath, ['-e', 'process.stdout.write(process.argv[1])', odd], 10_000)).toBe(odd);
  });
});

