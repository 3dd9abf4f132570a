import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import Conf from 'conf';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type PaddockCore } from '../../../electron/core/app-core';
import { memoryCredentialStore } from '../../../electron/core/credentials';
import type { DesktopIntegration } from '../../../electron/core/desktop';
import { silentLogger } from '../../../electron/core/logger';
import { checkNetworkPreferences, effectiveNetwork, policyNetworkView, runnerNetworkLaunch } from '../../../electron/core/network-settings';
import type { LoadedPolicy } from '../../../electron/core/policy/load';
import type { RunnerLauncher } from '../../../electron/core/runners/local-runner';
import { openStore } from '../../../electron/core/store/store';

const made: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-settings-'));
  made.push(dir);
  return dir;
};
const cores: PaddockCore[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose();
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A desktop that keeps start at login as an OS would, and knows a few editors and terminals. */
function fakeDesktop(options: { refuse?: string } = {}) {
  const opened: { target: string; choice: string | undefined }[] = [];
  let atLogin = false;
  const desktop: DesktopIntegration = {
    openExternal: async () => undefined,
    notify: () => undefined,
    windowFocused: () => false,
    showWindow: () => undefined,
    customSchemeHandled: () => false,
    openFolder: async () => undefined,
    openInEditor: async (_folder, choice) => void opened.push({ target: 'editor', choice }),
    openTerminal: async (_folder, choice) => void opened.push({ target: 'terminal', choice }),
    editor: async (choice) => ({ name: choice === 'vscodium' ? 'VSCodium' : 'Visual Studio Code' }),
    tools: async () => ({
      editors: [
        { id: 'vscode', name: 'Visual Studio Code', installed: true },
        { id: 'vscodium', name: 'VSCodium', installed: true },
        { id: 'cursor', name: 'Cursor', installed: false },
      ],
      terminals: [{ id: 'xterm', name: 'xterm', installed: true }],
      automaticEditor: 'Visual Studio Code',
      automaticTerminal: 'xterm',
    }),
    setStartAtLogin: async (enabled) => {
      if (options.refuse) throw new Error(options.refuse);
      atLogin = enabled;
    },
    startAtLogin: async () => atLogin,
    trayAvailable: () => null,
  };
  return { desktop, opened, atLogin: () => atLogin };
}

/** A local runner that never gets ready: what it was started with is all these tests look at. */
function recordingLauncher() {
  const launches: { args: string[]; messages: unknown[] }[] = [];
  const launch: RunnerLauncher = (args) => {
    const record = { args, messages: [] as unknown[] };
    launches.push(record);
    let exit: ((code: number | null) => void) | undefined;
    return {
      postMessage: (message) => {
        record.messages.push(message);
        if (message.type === 'shutdown') setImmediate(() => exit?.(0));
      },
      onMessage: () => undefined,
      onExit: (listener) => (exit = listener),
      kill: () => exit?.(null),
    };
  };
  return { launch, launches };
}

function makeCore(options: { desktop?: DesktopIntegration; policy?: LoadedPolicy; launch?: RunnerLauncher } = {}) {
  const directory = tmp();
  const store = openStore({ directory, createBackend: (storeOptions) => new Conf(storeOptions) as never });
  const core = createCore({
    store,
    appInfo: { name: 'Paddock', version: '0.0.0-test', shell: 'web', platform: process.platform },
    logger: silentLogger,
    credentials: memoryCredentialStore(),
    localRunner: options.launch ? { dataDir: path.join(directory, 'runner'), launch: options.launch, args: ['--environments-dir', '/e'] } : null,
    ...(options.desktop ? { desktop: options.desktop } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
  });
  cores.push(core);
  return { core, store };
}

const policyWith = (network: LoadedPolicy['network']): LoadedPolicy => ({ path: '/etc/paddock/policy.json', found: true, runners: [], providers: [], network, problems: [] });

const caFile = () => {
  const file = path.join(tmp(), 'company-ca.pem');
  fs.writeFileSync(file, `${tls.rootCertificates[0]}\n${tls.rootCertificates[1]}\n`);
  return file;
};

describe('the network settings, checked before they are saved', () => {
  it('keeps a proxy as scheme://host:port (the port written out), a tidy no-proxy list and an existing CA file of PEM certificates', () => {
    const ca = caFile();
    expect(checkNetworkPreferences({ proxy: ' http://proxy.corp.example ', noProxy: 'localhost, .corp.example  10.0.0.0/8', caFile: ca })).toEqual({
      proxy: 'http://proxy.corp.example:80',
      noProxy: 'localhost,.corp.example,10.0.0.0/8',
      caFile: ca,
    });
    expect(checkNetworkPreferences({ proxy: 'https://proxy.example.com:8443/', noProxy: '', caFile: '  ' })).toEqual({ proxy: 'https://proxy.example.com:8443', noProxy: null, caFile: null });
  });

  it('names each wrong field, and never repeats a password it refuses', () => {
    const error = (() => {
      try {
        checkNetworkPreferences({ proxy: 'http://alice:canary-Pr0xy-Secret@proxy.example.com:3128', noProxy: 'good.example, bad host!', caFile: '/nowhere/ca.pem' });
      } catch (e) {
        return e as { code: string; message: string; issues: { path: string; message: string }[] };
      }
      throw new Error('accepted');
    })();
    expect(error.code).toBe('invalid-input');
    expect(error.issues.map((i) => i.path)).toEqual(['network.proxy', 'network.noProxy', 'network.caFile']);
    expect(error.issues[0]!.message).toMatch(/^Leave the user name and password out of the proxy address/);
    expect(error.issues[1]!.message).toContain('“host!”');
    expect(error.issues[2]!.message).toBe('There is no file at /nowhere/ca.pem.');
    expect(JSON.stringify(error)).not.toContain('canary-Pr0xy-Secret');
    expect(error.message).not.toContain('canary-Pr0xy-Secret');
  });

  it('refuses other schemes, paths, relative CA paths, folders and files without certificates', () => {
    const issue = (network: Parameters<typeof checkNetworkPreferences>[0]) => {
      try {
        checkNetworkPreferences(network);
        return null;
      } catch (e) {
        return (e as { issues: { message: string }[] }).issues[0]!.message;
      }
    };
    const none = { proxy: null, noProxy: null, caFile: null };
    expect(issue({ ...none, proxy: 'socks5://proxy:1080' })).toBe('The proxy must start with http:// or https://, not socks5://.');
    expect(issue({ ...none, proxy: 'proxy.example.com:3128' })).toMatch(/http:\/\/ or https:\/\//);
    expect(issue({ ...none, proxy: 'http://proxy.example.com:3128/path' })).toMatch(/without a path/);
    expect(issue({ ...none, proxy: 'not a url' })).toMatch(/^Enter the proxy as an address/);
    expect(issue({ ...none, caFile: 'ca.pem' })).toMatch(/full path/);
    const dir = tmp();
    expect(issue({ ...none, caFile: dir })).toBe(`${dir} is a folder; choose the PEM file in it.`);
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'hello');
    expect(issue({ ...none, caFile: text })).toMatch(/holds no PEM certificate/);
    const broken = path.join(dir, 'broken.pem');
    fs.writeFileSync(broken, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    expect(issue({ ...none, caFile: broken })).toMatch(/cannot be read/);
  });

  it('lets the admin policy’s proxy (with its no-proxy list) and CA file win, and shows its proxy without credentials', () => {
    const user = { proxy: 'http://mine:3128', noProxy: 'mine.example', caFile: '/home/a/ca.pem' };
    expect(effectiveNetwork(user, null)).toEqual(user);
    expect(effectiveNetwork(user, { proxy: 'http://u:p@corp:8080' })).toEqual({ proxy: 'http://u:p@corp:8080', noProxy: null, caFile: '/home/a/ca.pem' });
    expect(effectiveNetwork(user, { caFile: '/etc/corp.pem' })).toEqual({ ...user, caFile: '/etc/corp.pem' });
    expect(runnerNetworkLaunch(effectiveNetwork(user, null))).toEqual({ args: ['--ca-file', '/home/a/ca.pem', '--no-proxy', 'mine.example'], proxy: 'http://mine:3128' });
    expect(policyNetworkView({ proxy: 'http://u:canary-pw@corp:8080', noProxy: 'a.corp' }, '/etc/paddock/policy.json')).toEqual({
      source: '/etc/paddock/policy.json',
      proxy: 'http://corp:8080',
      noProxy: 'a.corp',
      caFile: null,
    });
    expect(policyNetworkView({}, '/p')).toBeNull();
    expect(policyNetworkView({ noProxy: 'a.corp' }, '/p')).toBeNull();
  });
});

describe('updatePreferences for the desktop settings', () => {
  it('turns start at login on through the desktop, and keeps it off when the OS refused', async () => {
    const ok = fakeDesktop();
    const { core } = makeCore({ desktop: ok.desktop });
    expect((await core.updatePreferences({ startAtLogin: true })).startAtLogin).toBe(true);
    expect(ok.atLogin()).toBe(true);
    expect((await core.getDesktopSettings()).startAtLogin).toEqual({ supported: true, enabled: true });

    const refusing = fakeDesktop({ refuse: 'Your computer did not let Paddock start at login: the system did not take the change.' });
    const second = makeCore({ desktop: refusing.desktop });
    await expect(second.core.updatePreferences({ startAtLogin: true, notifications: false })).rejects.toMatchObject({
      code: 'internal',
      message: 'Your computer did not let Paddock start at login: the system did not take the change.',
      issues: [{ path: 'startAtLogin', message: expect.stringContaining('did not let') }],
    });
    const kept = await second.core.getPreferences();
    expect(kept.startAtLogin).toBe(false);
    // Nothing of the refused change was saved.
    expect(kept.notifications).toBe(true);
  });

  it('cannot turn start at login on without a desktop', async () => {
    const { core } = makeCore();
    await expect(core.updatePreferences({ startAtLogin: true })).rejects.toMatchObject({ issues: [{ path: 'startAtLogin' }] });
    expect((await core.getDesktopSettings()).startAtLogin.supported).toBe(false);
  });

  it('saves an editor and terminal the desktop lists, refuses others, and names the chosen editor', async () => {
    const fake = fakeDesktop();
    const { core } = makeCore({ desktop: fake.desktop });
    await core.updatePreferences({ editor: 'vscodium', terminal: 'xterm' });
    expect(await core.desktopEditor()).toEqual({ name: 'VSCodium' });
    // A listed one that is not installed may be chosen (it was, before it was removed); an unknown one may not.
    await core.updatePreferences({ editor: 'cursor' });
    await expect(core.updatePreferences({ terminal: 'hyper' })).rejects.toMatchObject({ code: 'invalid-input', issues: [{ path: 'terminal' }] });
    expect((await core.getPreferences()).terminal).toBe('xterm');
    const settings = await core.getDesktopSettings();
    expect(settings.editors.map((e) => e.id)).toEqual(['vscode', 'vscodium', 'cursor']);
    expect(settings.automaticTerminal).toBe('xterm');
    expect(settings.networkPolicy).toBeNull();
  });

  it('saves checked network settings, saves nothing when one is wrong, and refuses to change what the policy sets', async () => {
    const { core } = makeCore({ policy: policyWith({ caFile: '/etc/corp.pem' }) });
    const saved = await core.updatePreferences({ network: { proxy: 'http://proxy.example.com:3128', noProxy: 'localhost', caFile: null } });
    expect(saved.network).toEqual({ proxy: 'http://proxy.example.com:3128', noProxy: 'localhost', caFile: null });
    await expect(core.updatePreferences({ theme: 'dark', network: { proxy: 'ftp://x', noProxy: null, caFile: null } })).rejects.toMatchObject({
      code: 'invalid-input',
      issues: [{ path: 'network.proxy' }],
    });
    const after = await core.getPreferences();
    expect(after.theme).toBe('system');
    expect(after.network.proxy).toBe('http://proxy.example.com:3128');
    await expect(core.updatePreferences({ network: { proxy: null, noProxy: null, caFile: caFile() } })).rejects.toMatchObject({
      code: 'forbidden',
      issues: [{ path: 'network.caFile' }],
    });
    expect((await core.getDesktopSettings()).networkPolicy).toEqual({ source: '/etc/paddock/policy.json', proxy: null, noProxy: null, caFile: '/etc/corp.pem' });
  });

  it('starts the local runner with the network settings, and again with new ones when they change', async () => {
    const { launch, launches } = recordingLauncher();
    const { core } = makeCore({ launch, policy: policyWith({ caFile: '/etc/corp.pem' }) });
    await expect.poll(() => launches.length).toBe(1);
    expect(launches[0]!.args).toEqual(['serve', '--data-dir', expect.any(String), '--environments-dir', '/e', '--ca-file', '/etc/corp.pem']);
    expect(launches[0]!.messages[0]).toEqual({ type: 'token', token: expect.any(String) });

    await core.updatePreferences({ network: { proxy: 'http://proxy.example.com:3128', noProxy: '.corp.example', caFile: null } });
    await expect.poll(() => launches.length).toBe(2);
    expect(launches[0]!.messages.at(-1)).toEqual({ type: 'shutdown' });
    expect(launches[1]!.args.slice(5)).toEqual(['--ca-file', '/etc/corp.pem', '--no-proxy', '.corp.example']);
    // The proxy URL goes with the token, never argv.
    expect(launches[1]!.messages[0]).toEqual({ type: 'token', token: expect.any(String), proxy: 'http://proxy.example.com:3128' });

    // Other preferences do not restart it.
    await core.updatePreferences({ theme: 'dark' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(launches).toHaveLength(2);
  });
});
