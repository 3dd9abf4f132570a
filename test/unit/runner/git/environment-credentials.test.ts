import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { helperScriptPath, type CredentialRequest } from '../../../../electron/runner/git/credential-helper';
import {
  environmentEndpoint,
  startEnvironmentCredentials,
  type EnvironmentCredentialHandler,
  type EnvironmentCredentials,
} from '../../../../electron/runner/git/environment-credentials';

const helper = { execPath: process.execPath, script: helperScriptPath(path.resolve('electron/runner/git')), electronRunAsNode: false };
const ID = 'e_AAAAAAAAAAAAAAAAAAAAAA';
const OTHER = 'e_BBBBBBBBBBBBBBBBBBBBBB';

function talk(endpoint: string, message: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ path: endpoint });
    let answer = '';
    socket.on('error', reject);
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('end', () => resolve(JSON.parse(answer || '{}') as Record<string, unknown>));
    socket.write(`${JSON.stringify(message)}\n`);
  });
}

/** The helper script in environment mode, as the working copy's config starts it. */
function runHelper(args: string[], input: string): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(helper.execPath, [helper.script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
  });
}

describe('the environments’ credential endpoint', () => {
  let dataDir: string;
  let server: EnvironmentCredentials | null;
  let handler: EnvironmentCredentialHandler & { get: ReturnType<typeof vi.fn>; erase: ReturnType<typeof vi.fn> };
  const secretOf = (id: string) => fs.readFileSync(path.join(dataDir, 'git-credentials', 'secrets', id), 'utf8').trim();
  const message = (over: Record<string, unknown> = {}) => ({ v: 1, environment: ID, secret: secretOf(ID), action: 'get', protocol: 'https', host: 'git.example.test', ...over });

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pdk-envcred-'));
    handler = {
      get: vi.fn(async (_id: string, _request: CredentialRequest) => ({ credential: { username: 'sam', password: 'the-token' } })),
      erase: vi.fn(async () => undefined),
    };
    server = await startEnvironmentCredentials({ dataDir, helper, handler, platform: 'linux' });
  });

  afterEach(async () => {
    await server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('listens in a 0700 folder of the data directory, the same path on every start', async () => {
    expect(server!.endpoint).toBe(path.join(dataDir, 'git-credentials', 's'));
    expect(fs.statSync(path.dirname(server!.endpoint)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(server!.endpoint).mode & 0o777).toBe(0o600);
    await server!.close();
    server = await startEnvironmentCredentials({ dataDir, helper, handler, platform: 'linux' });
    expect(server.endpoint).toBe(path.join(dataDir, 'git-credentials', 's'));
  });

  it('moves to a folder of the temp directory named for the user and data directory when the socket path would be too long', () => {
    const long = path.join(os.tmpdir(), 'x'.repeat(120));
    const { endpoint, dir } = environmentEndpoint(long, 'linux');
    expect(Buffer.byteLength(endpoint)).toBeLessThanOrEqual(100);
    expect(dir).toBe(path.dirname(endpoint));
    expect(environmentEndpoint(long, 'linux')).toEqual({ endpoint, dir });
    expect(environmentEndpoint(`${long}-other`, 'linux').endpoint).not.toBe(endpoint);
    expect(environmentEndpoint(long, 'win32').endpoint).toMatch(/^\\\\\.\\pipe\\paddock-git-[0-9a-f]{16}$/);
  });

  it('installs a 0600 secret and config entries scoped to the repository URL that name the helper, never the secret', () => {
    const entries = server!.install(ID, 'https://dev.azure.com/contoso/Fabrikam/_git/hello', { useHttpPath: true });
    const secret = secretOf(ID);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fs.statSync(path.join(dataDir, 'git-credentials', 'secrets', ID)).mode & 0o777).toBe(0o600);
    expect(entries.map((e) => e.key)).toEqual([
      'credential.https://dev.azure.com/contoso/Fabrikam/_git/hello.helper',
      'credential.https://dev.azure.com/contoso/Fabrikam/_git/hello.helper',
      'credential.https://dev.azure.com/contoso/Fabrikam/_git/hello.useHttpPath',
    ]);
    expect(entries[0]!.value).toBe('');
    expect(entries[1]!.value).toContain(`'--environment' '${ID}'`);
    expect(JSON.stringify(entries)).not.toContain(secret);
    expect(server!.helperValues(ID)).toEqual([entries[0]!.value, entries[1]!.value]);
    // Installing again keeps the secret (a working copy made earlier still works).
    server!.install(ID, 'https://dev.azure.com/contoso/Fabrikam/_git/hello');
    expect(secretOf(ID)).toBe(secret);
  });

  it('answers get through the handler only with the environment’s own secret', async () => {
    server!.install(ID, 'https://git.example.test/o/r.git');
    server!.install(OTHER, 'https://git.example.test/o/s.git');
    expect(await talk(server!.endpoint, message())).toEqual({ username: 'sam', password: 'the-token' });
    expect(handler.get).toHaveBeenCalledWith(ID, { action: 'get', protocol: 'https', host: 'git.example.test', path: null, username: null, passwordSha256: null });
    handler.get.mockClear();
    const wrong = await talk(server!.endpoint, message({ environment: OTHER }));
    expect(wrong).not.toHaveProperty('password');
    expect(String(wrong.message)).toContain('no longer has this environment');
    expect(handler.get).not.toHaveBeenCalled();
    // Not a valid message: nothing, and the handler is not asked.
    expect(await talk(server!.endpoint, { ...message(), environment: '../../etc/passwd' })).toEqual({});
    expect(await talk(server!.endpoint, { ...message(), extra: 1 })).toEqual({});
    expect(handler.get).not.toHaveBeenCalled();
  });

  it('passes erase to the handler, answers store with nothing, and relays the handler’s sentence', async () => {
    server!.install(ID, 'https://git.example.test/o/r.git');
    expect(await talk(server!.endpoint, message({ action: 'erase' }))).toEqual({});
    expect(handler.erase).toHaveBeenCalledTimes(1);
    expect(await talk(server!.endpoint, message({ action: 'store' }))).toEqual({});
    expect(handler.get).not.toHaveBeenCalled();
    handler.get.mockResolvedValueOnce({ message: 'Reconnect to go on.' });
    expect(await talk(server!.endpoint, message())).toEqual({ message: 'Reconnect to go on.' });
    handler.get.mockResolvedValueOnce(null);
    expect(await talk(server!.endpoint, message())).toEqual({});
  });

  it('revoke deletes the secret: the same secret gets nothing afterwards', async () => {
    server!.install(ID, 'https://git.example.test/o/r.git');
    const kept = message();
    server!.revoke(ID);
    expect(fs.existsSync(path.join(dataDir, 'git-credentials', 'secrets', ID))).toBe(false);
    expect(await talk(server!.endpoint, kept)).not.toHaveProperty('password');
  });

  describe('the helper script in environment mode', () => {
    const args = () => ['--environment', ID, '--endpoint', path.join(dataDir, 'git-credentials', 's'), '--secret-file', path.join(dataDir, 'git-credentials', 'secrets', ID)];

    it('sends erase with the refused password’s SHA-256 only, never the password', async () => {
      server!.install(ID, 'https://git.example.test/o/r.git');
      const ran = await runHelper([...args(), 'erase'], 'protocol=https\nhost=git.example.test\nusername=sam\npassword=refused-canary\n\n');
      expect(ran).toEqual({ stdout: '', stderr: '', code: 0 });
      expect(handler.erase).toHaveBeenCalledWith(ID, expect.objectContaining({ action: 'erase', passwordSha256: createHash('sha256').update('refused-canary').digest('hex') }));
      expect(JSON.stringify(handler.erase.mock.calls)).not.toContain('refused-canary');
    });

    it('prints the credential for git', async () => {
      server!.install(ID, 'https://git.example.test/o/r.git');
      const ran = await runHelper([...args(), 'get'], 'protocol=https\nhost=git.example.test\n\n');
      expect(ran).toEqual({ stdout: 'username=sam\npassword=the-token\n', stderr: '', code: 0 });
    });

    it('tells git to stop, with one line for the user, when the runner is not running', async () => {
      server!.install(ID, 'https://git.example.test/o/r.git');
      await server!.close();
      server = null;
      const ran = await runHelper([...args(), 'get'], 'protocol=https\nhost=git.example.test\n\n');
      expect(ran).toEqual({ stdout: 'quit=1\n', stderr: 'Paddock is not running: start Paddock, then push again\n', code: 0 });
      // A socket a stopped runner left behind says the same.
      fs.writeFileSync(path.join(dataDir, 'git-credentials', 's'), '');
      expect((await runHelper([...args(), 'get'], 'protocol=https\nhost=git.example.test\n\n')).stderr).toContain('Paddock is not running');
    });

    it('shows the runner’s sentence without control, invisible or direction-changing characters', async () => {
      server!.install(ID, 'https://git.example.test/o/r.git');
      handler.get.mockResolvedValueOnce({ message: 'Reconnect\u001b[2J\u001b]0;owned\u0007 to go on.\u202e\u200b' });
      const ran = await runHelper([...args(), 'get'], 'protocol=https\nhost=git.example.test\n\n');
      expect(ran.stderr).toBe('Paddock: Reconnect[2J]0;owned to go on.\n');
    });

    it.runIf(typeof process.getuid === 'function')('sends nothing to an endpoint in a folder others can use (one another user may have made first)', async () => {
      server!.install(ID, 'https://git.example.test/o/r.git');
      const folder = path.join(dataDir, 'git-credentials');
      fs.chmodSync(folder, 0o755);
      try {
        const ran = await runHelper([...args(), 'get'], 'protocol=https\nhost=git.example.test\n\n');
        expect(ran.stdout).toBe('quit=1\n');
        expect(ran.stderr).toContain('not in a folder only you can use');
        expect(handler.get).not.toHaveBeenCalled();
      } finally {
        fs.chmodSync(folder, 0o700);
      }
      expect((await runHelper([...args(), 'get'], 'protocol=https\nhost=git.example.test\n\n')).stdout).toBe('username=sam\npassword=the-token\n');
    });

    it('tells git to stop with the runner’s sentence, and when its secret file is gone', async () => {
      server!.install(ID, 'https://git.example.test/o/r.git');
      handler.get.mockResolvedValueOnce({ message: 'GitHub no longer accepts your token. Reconnect to go on.' });
      const refused = await runHelper([...args(), 'get'], 'protocol=https\nhost=git.example.test\n\n');
      expect(refused).toEqual({ stdout: 'quit=1\n', stderr: 'Paddock: GitHub no longer accepts your token. Reconnect to go on.\n', code: 0 });
      server!.revoke(ID);
      const gone = await runHelper([...args(), 'get'], 'protocol=https\nhost=git.example.test\n\n');
      expect(gone.stdout).toBe('quit=1\n');
      expect(gone.stderr).toContain('Paddock no longer has this environment');
    });
  });
});
