import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { VitePlugin } from '@electron-forge/plugin-vite';
import { build, type InlineConfig } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import forgeConfig from '../../forge.config';
import {
  defaultHelperCommand,
  helperScriptPath,
  startCredentialServer,
  type CredentialRequest,
  type CredentialServer,
  type HelperCommand,
} from '../../electron/runner/git/credential-helper';
import { gitEnvironment, runGit } from '../../electron/runner/git/process';
import { createRunnerLogger } from '../../electron/runner/logger';
import { makeBareRepository, startGitHttpServer, type GitHttpServer } from './support/git-http';
import { listProcesses, readArgvAndEnviron } from './support/procs';

// The per-run credential helper with the real git: git gets the provider's
// token only from the helper, over the runner's socket, and the token is in
// no process's argv or environment, no file of the clone and no log line.
const linux = process.platform === 'linux';

let root: string;
let http: GitHttpServer;
let credentials: CredentialServer;
const logLines: string[] = [];
// The provider's token: a value that must show up nowhere but in the Authorization header git sends.
const canary = `pdk_canary_${randomBytes(16).toString('hex')}`;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'pdk-git-cred-'));
  makeBareRepository(root, 'private', 10, 20_000);
  http = await startGitHttpServer({ root, auth: { username: 'x-access-token', password: canary } });
  credentials = await startCredentialServer({ helper: defaultHelperCommand(), logger: createRunnerLogger({ write: (line: string) => void logLines.push(line) }) });
});

afterAll(async () => {
  await credentials?.close();
  await http?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const origin = () => ({ protocol: 'http' as const, host: new URL(http.url).host });

/** Every file under `dir`, recursively, with its bytes. */
function filesUnder(dir: string): { file: string; bytes: Buffer }[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return { file, bytes: fs.readFileSync(file) };
    });
}

/** Runs `git credential fill` for one request with a run's configuration and environment; returns what git printed. */
function credentialFill(config: readonly { key: string; value: string }[], env: Readonly<Record<string, string>>, input: string): Promise<string> {
  const child = spawn('git', ['credential', 'fill'], { env: gitEnvironment({ config, extra: env }), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stdin.end(input);
  return new Promise((resolve) => child.once('close', () => resolve(out)));
}

describe('the git credential helper', () => {
  it.skipIf(!linux)('clones with the credential from the helper alone, and the token is in no argv, environment, file or log line (reads /proc: Linux only)', async () => {
    const target = path.join(root, 'clone-ok');
    let helperSeen: { cmdline: string; environ: string } | null = null;
    const leaks: string[] = [];
    let processesRead = 0;
    const inspect = () => {
      for (const p of listProcesses()) {
        const read = readArgvAndEnviron(p.pid);
        if (!read) continue;
        processesRead += 1;
        if (read.cmdline.includes(canary) || read.environ.includes(canary)) leaks.push(`${p.comm} (${p.pid})`);
        if (read.cmdline.includes('paddock-credential-helper.cjs') && read.cmdline.includes('get')) helperSeen ??= read;
      }
    };
    const poll = setInterval(inspect, 20);
    const requests: CredentialRequest[] = [];
    const run = credentials.register({
      origin: origin(),
      resolve: async (request) => {
        requests.push(request);
        // Hold the answer until a poll has seen the helper running: git, git-remote-http, the shell and the
        // helper are all alive now, waiting for it.
        for (let i = 0; i < 500 && !helperSeen; i += 1) await new Promise((r) => setTimeout(r, 10));
        inspect();
        return { username: 'x-access-token', password: canary };
      },
    });
    const result = await runGit({ args: ['clone', '--progress', '--', `${http.url}/private.git`, target], cwd: root, config: run.config, env: run.env });
    run.end();
    clearInterval(poll);
    inspect();

    expect(result).toMatchObject({ outcome: 'exited', exitCode: 0 });
    expect(requests).toEqual([{ action: 'get', protocol: 'http', host: origin().host, path: null, username: null, passwordSha256: null }]);
    // The server got the token from git, as Basic credentials.
    expect(http.authorizations).toContain(`Basic ${Buffer.from(`x-access-token:${canary}`).toString('base64')}`);
    // The helper ran with the capability in its environment (so the reads work), never in its argv.
    expect(helperSeen).not.toBeNull();
    expect(helperSeen!.environ).toContain(`PADDOCK_CRED_TOKEN=${run.env.PADDOCK_CRED_TOKEN}`);
    expect(helperSeen!.cmdline).not.toContain(run.env.PADDOCK_CRED_TOKEN);
    expect(processesRead).toBeGreaterThan(10);
    expect(leaks).toEqual([]);
    // Nothing of the clone holds it: .git/config names the plain URL and no helper.
    const files = filesUnder(target);
    expect(files.some((f) => f.file.endsWith(`${path.sep}.git${path.sep}config`))).toBe(true);
    for (const { file, bytes } of files) expect(bytes.includes(canary), file).toBe(false);
    const gitConfig = fs.readFileSync(path.join(target, '.git', 'config'), 'utf8');
    expect(gitConfig).toContain(`url = ${http.url}/private.git`);
    expect(gitConfig).not.toMatch(/credential|x-access-token/);
    expect(result.stderrTail.join('\n')).not.toContain(canary);
    // The log has the request, not the token nor the capability.
    expect(logLines.join('')).toContain('git credential request');
    expect(logLines.join('')).not.toContain(canary);
    expect(logLines.join('')).not.toContain(run.env.PADDOCK_CRED_TOKEN!);
  });

  it('lets git report a refused token: the server’s 401 makes git erase it, which reaches onErase', async () => {
    const erased: CredentialRequest[] = [];
    const run = credentials.register({ origin: origin(), resolve: async () => ({ username: 'x-access-token', password: 'revoked-token' }), onErase: (request) => erased.push(request) });
    const result = await runGit({ args: ['clone', '--', `${http.url}/private.git`, path.join(root, 'clone-refused')], cwd: root, config: run.config, env: run.env });
    run.end();
    expect(result).toMatchObject({ outcome: 'exited', exitCode: 128 });
    expect(result.stderrTail.at(-1)).toMatch(/^fatal: Authentication failed for /);
    // The refused password only as its hash (the runner compares it with the token it gave).
    expect(erased).toEqual([{ action: 'erase', protocol: 'http', host: origin().host, path: null, username: 'x-access-token', passwordSha256: createHash('sha256').update('revoked-token').digest('hex') }]);
    expect(run.erased).toBe(true);
    expect(fs.existsSync(path.join(root, 'clone-refused'))).toBe(false);
  });

  it('gives git nothing for a run that has ended: git fails with its own message, no prompt', async () => {
    let asked = 0;
    const first = credentials.register({ origin: origin(), resolve: async () => (asked += 1, { username: 'x-access-token', password: canary }) });
    first.end();
    const second = credentials.register({ origin: origin(), resolve: async () => (asked += 1, { username: 'x-access-token', password: canary }) });
    const out = await credentialFill(first.config, first.env, `protocol=http\nhost=${origin().host}\n\n`);
    // git credential fill prints nothing it did not get (its prompt is off), and the live run was not asked.
    expect(out).toBe('');
    const result = await runGit({ args: ['clone', '--', `${http.url}/private.git`, path.join(root, 'clone-ended')], cwd: root, config: first.config, env: first.env });
    expect(result).toMatchObject({ outcome: 'exited', exitCode: 128 });
    expect(result.stderrTail.join('\n')).toMatch(/terminal prompts disabled/);
    expect(asked).toBe(0);
    second.end();
  });

  it('runs from paths with spaces and quotes, through git’s shell', async () => {
    const dir = path.join(root, "it's a dir with $pace");
    fs.mkdirSync(path.join(dir, 'node bin'), { recursive: true });
    fs.copyFileSync(helperScriptPath(), path.join(dir, 'helper copy.cjs'));
    fs.symlinkSync(process.execPath, path.join(dir, 'node bin', 'node'));
    const quoted = await startCredentialServer({ helper: { execPath: path.join(dir, 'node bin', 'node'), script: path.join(dir, 'helper copy.cjs'), electronRunAsNode: false } });
    const run = quoted.register({ origin: { protocol: 'https', host: 'git.example.com' }, resolve: async () => ({ username: 'u', password: 'p w=d' }) });
    const out = await credentialFill(run.config, run.env, 'protocol=https\nhost=git.example.com\n\n');
    run.end();
    await quoted.close();
    expect(out).toBe('protocol=https\nhost=git.example.com\nusername=u\npassword=p w=d\n');
  });

  it('sets ELECTRON_RUN_AS_NODE for the helper only, not for git or what else git runs', async () => {
    // A stand-in for Electron's binary: records whether it was asked to be Node, then is Node.
    const fakeElectron = path.join(root, 'fake-electron');
    const record = path.join(root, 'fake-electron.log');
    fs.writeFileSync(fakeElectron, `#!/bin/sh\necho "ELECTRON_RUN_AS_NODE=\${ELECTRON_RUN_AS_NODE-unset}" >> '${record}'\nexec '${process.execPath}' "$@"\n`, { mode: 0o755 });
    const electronHelper: HelperCommand = { execPath: fakeElectron, script: helperScriptPath(), electronRunAsNode: true };
    const server = await startCredentialServer({ helper: electronHelper });
    const run = server.register({ origin: { protocol: 'https', host: 'git.example.com' }, resolve: async () => ({ username: 'u', password: 'p' }) });
    expect(Object.keys(run.env)).not.toContain('ELECTRON_RUN_AS_NODE');
    const out = await credentialFill(run.config, run.env, 'protocol=https\nhost=git.example.com\n\n');
    const envOfGit: string[] = [];
    await runGit({ args: ['-c', 'alias.e=!env', 'e'], cwd: root, config: run.config, env: run.env, onStdoutLine: (l) => envOfGit.push(l) });
    run.end();
    await server.close();
    expect(out).toContain('password=p\n');
    expect(fs.readFileSync(record, 'utf8')).toBe('ELECTRON_RUN_AS_NODE=1\n');
    expect(envOfGit.some((l) => l.startsWith('ELECTRON_RUN_AS_NODE='))).toBe(false);
  });

  it('prints nothing and exits 0 when the runner cannot be reached', async () => {
    const child = spawn(process.execPath, [helperScriptPath(), 'get'], {
      env: { PADDOCK_CRED_SOCKET: path.join(root, 'no-such-socket'), PADDOCK_CRED_TOKEN: 'A'.repeat(43) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stdin.end('protocol=https\nhost=git.example.com\n\n');
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect(code).toBe(0);
    expect(out).toBe('');
  });
});

describe('the helper script where the runner runs', () => {
  it('is found next to the module when the runner runs from source as an ES module (tsx)', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `import { helperScriptPath } from ${JSON.stringify(path.resolve('electron/runner/git/credential-helper.ts'))}; console.log(helperScriptPath());`], {
      encoding: 'utf8',
    });
    expect(out.trim()).toBe(path.resolve('electron/runner/git/paddock-credential-helper.cjs'));
  });

  it('is built next to a CommonJS bundle made with the runner’s build configuration, found there, and works from there', async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pdk-helper-build-'));
    const plugin = forgeConfig.plugins?.find((p): p is InstanceType<typeof VitePlugin> => p instanceof VitePlugin);
    // As scripts/build-app.ts does: the plugin's config generator, production mode.
    const generatorUrl = pathToFileURL(path.resolve('node_modules/@electron-forge/plugin-vite/dist/ViteConfig.js')).href;
    const { default: Generator } = (await import(generatorUrl)) as { default: new (config: unknown, dir: string, prod: boolean) => { getBuildConfigs(): Promise<InlineConfig[]> } };
    const configs = await new Generator(plugin!.config, path.resolve('.'), true).getBuildConfigs();
    const entryOf = (c: InlineConfig) => (c.build?.lib && typeof c.build.lib === 'object' ? c.build.lib.entry : null);
    const runnerConfig = configs.find((c) => entryOf(c) === 'electron/runner/runner.ts')!;
    const helperConfig = configs.find((c) => entryOf(c) === 'electron/runner/git/paddock-credential-helper.cjs')!;
    expect(helperConfig).toBeDefined();
    const warnings: string[] = [];
    const onLog = (level: string, log: { code?: string }, handler: (level: never, log: never) => void) => {
      if (log.code) warnings.push(log.code);
      handler(level as never, log as never);
    };
    const lib = runnerConfig.build!.lib as Exclude<NonNullable<InlineConfig['build']>['lib'], false | undefined>;
    for (const config of [
      // The runner's configuration, with this module as the entry (the runner does not use it yet).
      { ...runnerConfig, build: { ...runnerConfig.build, lib: { ...lib, entry: 'electron/runner/git/credential-helper.ts', fileName: () => 'probe.cjs' } } },
      helperConfig,
    ]) {
      // Vite 8 hands rolldown's warnings to `rolldownOptions.onLog` (an `onLog` in `rollupOptions` is not called for them).
      await build({ ...config, configFile: false, logLevel: 'silent', build: { ...config.build, outDir, emptyOutDir: false, rolldownOptions: { ...config.build?.rollupOptions, onLog } } });
    }
    // scripts/build-app.ts fails the build on these.
    expect(warnings.filter((code) => ['EMPTY_IMPORT_META', 'UNRESOLVED_IMPORT', 'MISSING_EXPORT'].includes(code))).toEqual([]);
    const found = execFileSync(process.execPath, ['-e', `console.log(require(${JSON.stringify(path.join(outDir, 'probe.cjs'))}).defaultHelperCommand().script)`], { encoding: 'utf8' }).trim();
    expect(found).toBe(path.join(outDir, 'paddock-credential-helper.cjs'));
    // The built (minified) helper answers git.
    const server = await startCredentialServer({ helper: { execPath: process.execPath, script: found, electronRunAsNode: false } });
    const run = server.register({ origin: { protocol: 'https', host: 'git.example.com' }, resolve: async () => ({ username: 'u', password: 'built' }) });
    const out = await credentialFill(run.config, run.env, 'protocol=https\nhost=git.example.com\n\n');
    run.end();
    await server.close();
    fs.rmSync(outDir, { recursive: true, force: true });
    expect(out).toContain('password=built\n');
  });
});
