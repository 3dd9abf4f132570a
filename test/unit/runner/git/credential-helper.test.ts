import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  credentialConfig,
  helperConfigValue,
  helperScriptPath,
  HELPER_SCRIPT_NAME,
  MAX_MESSAGE_BYTES,
  startCredentialServer,
  type CredentialRequest,
  type CredentialRunOptions,
  type CredentialServer,
} from '../../../../electron/runner/git/credential-helper';
import type { RunnerLogger } from '../../../../electron/runner/logger';

const helper = { execPath: '/usr/bin/node', script: '/opt/paddock/paddock-credential-helper.cjs', electronRunAsNode: false };

describe('the credential.helper value git is given', () => {
  it('starts with ! (run through the shell), each path single-quoted', () => {
    expect(helperConfigValue({ execPath: "/Users/o'brien/My Apps/node", script: '/a $b/`c`.cjs', electronRunAsNode: false }, 'darwin')).toBe(
      "!f() { test \"$1\" = store && exit 0; '/Users/o'\\''brien/My Apps/node' '/a $b/`c`.cjs' \"$@\"; }; f",
    );
  });

  it('sets ELECTRON_RUN_AS_NODE for the helper alone, inside the command', () => {
    expect(helperConfigValue({ ...helper, electronRunAsNode: true }, 'linux')).toBe(
      "!f() { test \"$1\" = store && exit 0; ELECTRON_RUN_AS_NODE=1 '/usr/bin/node' '/opt/paddock/paddock-credential-helper.cjs' \"$@\"; }; f",
    );
  });

  it('uses forward slashes on Windows (git runs it with its bundled sh)', () => {
    expect(helperConfigValue({ execPath: 'C:\\Program Files\\Paddock\\Paddock.exe', script: 'C:\\Program Files\\Paddock\\resources\\h.cjs', electronRunAsNode: true }, 'win32')).toBe(
      "!f() { test \"$1\" = store && exit 0; ELECTRON_RUN_AS_NODE=1 'C:/Program Files/Paddock/Paddock.exe' 'C:/Program Files/Paddock/resources/h.cjs' \"$@\"; }; f",
    );
  });

  it('resets the helper list first, then names this helper, then asks for the path on Azure DevOps', () => {
    expect(credentialConfig(helper, undefined, 'linux')).toEqual([
      { key: 'credential.helper', value: '' },
      { key: 'credential.helper', value: helperConfigValue(helper, 'linux') },
      { key: 'credential.https://dev.azure.com.useHttpPath', value: 'true' },
    ]);
  });
});

describe('finding the helper script', () => {
  it('finds it next to this module from source', () => {
    expect(helperScriptPath()).toBe(path.resolve('electron/runner/git', HELPER_SCRIPT_NAME));
  });

  it('is a second output of the runner’s build, named as the runner looks for it next to runner.cjs', async () => {
    const { VitePlugin } = await import('@electron-forge/plugin-vite');
    const { default: forgeConfig } = await import('../../../../forge.config');
    const plugin = forgeConfig.plugins?.find((p): p is InstanceType<typeof VitePlugin> => p instanceof VitePlugin);
    const entries = plugin!.config.build.map((b) => b.entry);
    expect(entries).toContain('electron/runner/runner.ts');
    // Forge's main target names each output [name].cjs after its entry, in the same folder.
    expect(entries).toContain(`electron/runner/git/${HELPER_SCRIPT_NAME}`);
  });

  it('prefers the unpacked copy next to an asar archive, and says plainly when it is missing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pdk-helper-path-'));
    const inAsar = path.join(dir, 'app.asar', 'build');
    fs.mkdirSync(path.join(dir, 'app.asar.unpacked', 'build'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'app.asar.unpacked', 'build', HELPER_SCRIPT_NAME), '');
    expect(helperScriptPath(inAsar)).toBe(path.join(dir, 'app.asar.unpacked', 'build', HELPER_SCRIPT_NAME));
    expect(() => helperScriptPath(path.join(dir, 'elsewhere'))).toThrow(/credential helper paddock-credential-helper\.cjs is missing next to the runner/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

/** Sends raw bytes to the server as a helper would, and reads what it answers until it closes. */
function talk(endpoint: string, data: string | Buffer): Promise<{ answer: string; destroyed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect({ path: endpoint });
    let answer = '';
    let destroyed = false;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => (destroyed = true));
    socket.on('close', () => resolve({ answer, destroyed: destroyed || answer === '' }));
    socket.write(data);
  });
}

const message = (capability: string, fields: Record<string, unknown> = {}) =>
  `${JSON.stringify({ v: 1, capability, action: 'get', protocol: 'https', host: 'git.example.com', path: 'org/repo.git', ...fields })}\n`;

describe('the credential server', () => {
  let server: CredentialServer;
  let lines: { level: string; message: string; fields?: Record<string, unknown> }[];
  let parent: string;

  beforeEach(async () => {
    lines = [];
    const logger: RunnerLogger = {
      info: (m, f) => lines.push({ level: 'info', message: m, fields: f }),
      warn: (m, f) => lines.push({ level: 'warn', message: m, fields: f }),
      error: (m, f) => lines.push({ level: 'error', message: m, fields: f }),
    };
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'pdk-cs-'));
    server = await startCredentialServer({ helper, logger, parentDir: parent });
  });

  afterEach(async () => {
    await server.close();
    fs.rmSync(parent, { recursive: true, force: true });
  });

  function register(overrides: Partial<CredentialRunOptions> = {}) {
    const resolve = vi.fn(async (_request: CredentialRequest) => ({ username: 'x-access-token', password: 'provider-token' }));
    const onErase = vi.fn();
    const onStore = vi.fn();
    const run = server.register({ origin: { protocol: 'https', host: 'Git.Example.com' }, resolve, onErase, onStore, ...overrides });
    return { run, resolve, onErase, onStore, capability: run.env.PADDOCK_CRED_TOKEN! };
  }

  it('listens on a socket in a fresh 0700 directory and removes it on close', async () => {
    expect(path.dirname(path.dirname(server.endpoint))).toBe(parent);
    expect(fs.statSync(path.dirname(server.endpoint)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(server.endpoint).isSocket()).toBe(true);
    await server.close();
    expect(fs.existsSync(path.dirname(server.endpoint))).toBe(false);
    server = await startCredentialServer({ helper, parentDir: parent });
  });

  it('gives a registered run its socket, a 32-byte capability and the helper configuration', () => {
    const { run, capability } = register();
    expect(run.env.PADDOCK_CRED_SOCKET).toBe(server.endpoint);
    expect(Buffer.from(capability, 'base64url')).toHaveLength(32);
    expect(register().capability).not.toBe(capability);
    expect(run.config[0]).toEqual({ key: 'credential.helper', value: '' });
  });

  it('answers a valid get with the resolver’s credential, passing what git asked', async () => {
    const { resolve, capability, run } = register();
    const { answer } = await talk(server.endpoint, message(capability, { username: 'someone' }));
    expect(JSON.parse(answer)).toEqual({ username: 'x-access-token', password: 'provider-token' });
    expect(resolve).toHaveBeenCalledWith({ action: 'get', protocol: 'https', host: 'git.example.com', path: 'org/repo.git', username: 'someone', passwordSha256: null });
    expect(lines).toContainEqual({ level: 'info', message: 'git credential request', fields: { run: run.id, action: 'get', host: 'git.example.com' } });
    expect(JSON.stringify(lines)).not.toContain('provider-token');
    expect(JSON.stringify(lines)).not.toContain(capability);
  });

  it('gives nothing for messages that fail validation, and never asks the resolver', async () => {
    const { resolve, capability } = register();
    const bad = [
      'not json\n',
      `${JSON.stringify([1, 2])}\n`,
      message(capability, { v: 2 }),
      message(capability, { action: 'fill' }),
      message(capability, { protocol: 'HTTPS' }),
      message(capability, { host: '' }),
      message(capability, { host: 'a\nhost=evil' }),
      message(capability, { username: 'a\0b' }),
      message(capability, { password: 'sent back by git' }),
      message(capability.slice(1)),
      message(capability, { path: 'x'.repeat(5000) }),
    ];
    for (const data of bad) expect((await talk(server.endpoint, data)).answer, data).toBe('{}\n');
    expect(resolve).not.toHaveBeenCalled();
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(bad.length);
    expect(JSON.stringify(lines)).not.toContain(capability);
  });

  it('closes the connection of a message over the size limit without answering', async () => {
    const { resolve, capability } = register();
    const result = await talk(server.endpoint, Buffer.concat([Buffer.from(message(capability).slice(0, -2)), Buffer.alloc(MAX_MESSAGE_BYTES, 0x61)]));
    expect(result.answer).toBe('');
    expect(resolve).not.toHaveBeenCalled();
  });

  it('answers nothing to an unknown capability or a run that has ended, and keeps runs apart', async () => {
    const first = register();
    const second = register();
    expect((await talk(server.endpoint, message('A'.repeat(43)))).answer).toBe('{}\n');
    first.run.end();
    expect((await talk(server.endpoint, message(first.capability))).answer).toBe('{}\n');
    expect(first.resolve).not.toHaveBeenCalled();
    expect(second.resolve).not.toHaveBeenCalled();
    expect(JSON.parse((await talk(server.endpoint, message(second.capability))).answer)).toMatchObject({ password: 'provider-token' });
  });

  it('gives nothing for another host or protocol than the run’s origin (a redirect, an insteadOf)', async () => {
    const { resolve, capability } = register();
    expect((await talk(server.endpoint, message(capability, { host: 'evil.example.com' }))).answer).toBe('{}\n');
    expect((await talk(server.endpoint, message(capability, { protocol: 'http' }))).answer).toBe('{}\n');
    expect((await talk(server.endpoint, message(capability, { host: 'git.example.com:8443' }))).answer).toBe('{}\n');
    expect(resolve).not.toHaveBeenCalled();
  });

  it('reports erase and store to the run, and answers them with nothing', async () => {
    const { run, onErase, onStore, resolve, capability } = register();
    expect(run.erased).toBe(false);
    expect((await talk(server.endpoint, message(capability, { action: 'store', username: 'x-access-token' }))).answer).toBe('{}\n');
    expect(onStore).toHaveBeenCalledWith(expect.objectContaining({ action: 'store', host: 'git.example.com' }));
    expect((await talk(server.endpoint, message(capability, { action: 'erase', username: 'x-access-token' }))).answer).toBe('{}\n');
    expect(onErase).toHaveBeenCalledWith({ action: 'erase', protocol: 'https', host: 'git.example.com', path: 'org/repo.git', username: 'x-access-token', passwordSha256: null });
    expect(run.erased).toBe(true);
    expect(resolve).not.toHaveBeenCalled();
  });

  it('gives nothing when the resolver has nothing, fails, or answers what git could not read safely', async () => {
    for (const resolver of [async () => null, async () => Promise.reject(new Error('vault locked')), async () => ({ username: 'u', password: 'a\nhost=evil' }), async () => ({ username: '', password: 'p' })]) {
      const { capability } = register({ resolve: resolver });
      expect((await talk(server.endpoint, message(capability))).answer).toBe('{}\n');
    }
    expect(lines.some((l) => l.level === 'error' && l.message === 'git credential request failed')).toBe(true);
    expect(JSON.stringify(lines)).not.toContain('host=evil');
  });

  it('gives nothing once the run ended while its resolver was working', async () => {
    let release!: () => void;
    const { run, capability } = register({
      resolve: () => new Promise((resolve) => (release = () => resolve({ username: 'u', password: 'late' }))),
    });
    const answer = talk(server.endpoint, message(capability));
    await vi.waitFor(() => expect(release).toBeTypeOf('function'));
    run.end();
    release();
    expect((await answer).answer).toBe('{}\n');
  });

  it('refuses a parent folder whose socket path would be too long', async () => {
    const deep = path.join(parent, 'x'.repeat(120));
    fs.mkdirSync(deep);
    await expect(startCredentialServer({ helper, parentDir: deep })).rejects.toThrow(/too long a path/);
    expect(fs.readdirSync(deep)).toEqual([]);
  });
});
