// The native git credential helper (the trampoline, for the packaged app,
// whose Electron cannot run the Node helper): compiled here with `cc`, given
// to a real server runner with PADDOCK_GIT_HELPER, then a clone through the
// per-run helper and a `git push` from the environment's folder through the
// environment's helper — against the GitHub Enterprise Server simulator and
// the fake git server. The token is a canary found nowhere but on the wire.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealPat } from '../../electron/common/pat';
import type { EnvironmentView, JobView } from '../../electron/common/runner-api';
import { buildHelper, TRAMPOLINE_SOURCE } from '../../scripts/build-helper';
import { copyRepository, removeBuiltRepositories, sampleRepository, SAMPLE_PATHS, type SampleRepository } from '../fakes/git-repos';
import { GitTokens, providerAuthorizer, startGitServer, type GitServer } from '../fakes/git-server';
import { startGitHubSimulator, type GitHubSimulator } from '../fakes/github';
import { runnerCall, startRemoteRunner, type RemoteRunnerHandle } from '../helpers/remote-runner';

const compiler = process.env.CC || 'cc';
const noCompiler = (() => {
  try {
    execFileSync(compiler, ['--version'], { stdio: 'ignore' });
    return null;
  } catch {
    return `no C compiler (${compiler}) on this machine, so the native git credential helper cannot be built: install gcc and libc6-dev (.ci/run does)`;
  }
})();
if (noCompiler) console.warn(`git-trampoline.test.ts skipped: ${noCompiler}`);
const mingw = 'x86_64-w64-mingw32-gcc';
const noMingw = (() => {
  try {
    execFileSync(mingw, ['--version'], { stdio: 'ignore' });
    return null;
  } catch {
    return `no MinGW (${mingw}) on this machine, so the trampoline's Windows code is not compiled here (Windows builds compile it on their CI)`;
  }
})();
if (noMingw) console.warn(`git-trampoline.test.ts, Windows compile check skipped: ${noMingw}`);

const GHES = 'https://ghe.example.test';
const canary = `ghp_canary_${randomUUID().replaceAll('-', '')}`;

let ghes: GitHubSimulator;
let git: GitServer;
let runner: RemoteRunnerHandle;
let sample: SampleRepository;
let alice: { clientId: string; apiToken: string };
let work: string;
let dataDir: string;
let trampoline: string;
let wrapper: string;
/** Every start of the trampoline as git made it: its argv and environment. */
let callLog: string;
/** The password git sent with each request, by service. */
const sentWith: { service: string; password: string }[] = [];

const call = (method: string, route: string, body?: unknown) => runnerCall(runner, alice.apiToken, method, route, body);

async function ready(url: string): Promise<EnvironmentView> {
  const answer = await call('POST', '/v1/environments', { url, tokenId: null, depth: 'full' });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  const { environment, job } = answer.body as { environment: EnvironmentView; job: JobView };
  for (let i = 0; i < 600; i++) {
    const { job: now } = (await call('GET', `/v1/jobs/${job.id}`)).body as { job: JobView };
    if (now.state !== 'running') {
      expect(now.outcome, JSON.stringify(now.outcome)).toMatchObject({ state: 'succeeded' });
      return environment;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the clone did not end in 30 s');
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A program run asynchronously (the git server is in this process). */
function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<Ran & { trace?: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** git as a user's terminal would start it: no user config, prompts off, GIT_TRACE on. */
async function gitIn(cwd: string, args: string[]): Promise<Ran & { trace: string }> {
  const traceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-tramp-trace-'));
  const ran = await run('git', args, {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-tramp-home-')),
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_NOSYSTEM: '1',
      LC_ALL: 'C',
      GIT_TRACE: path.join(traceDir, 'trace'),
      GIT_AUTHOR_NAME: 'Sam',
      GIT_AUTHOR_EMAIL: 'sam@example.test',
      GIT_COMMITTER_NAME: 'Sam',
      GIT_COMMITTER_EMAIL: 'sam@example.test',
    },
  });
  const traceFile = path.join(traceDir, 'trace');
  return { ...ran, trace: fs.existsSync(traceFile) ? fs.readFileSync(traceFile, 'utf8') : '' };
}

function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => path.join(dir, f)).filter((f) => fs.lstatSync(f).isFile());
}

const repoUrl = () => `${git.origin}${SAMPLE_PATHS.github.repository}`;
const calls = () => (fs.existsSync(callLog) ? fs.readFileSync(callLog, 'utf8') : '');

beforeAll(async () => {
  if (noCompiler) return;
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-tramp-'));
  trampoline = buildHelper(path.join(work, 'bin', 'paddock-git-helper'), compiler);
  // What git starts is a wrapper that notes its argv and environment, then becomes the trampoline.
  callLog = path.join(work, 'calls.log');
  wrapper = path.join(work, 'bin', 'helper wrapper');
  fs.writeFileSync(wrapper, `#!/bin/sh\n{ echo "ARGV $*"; env | sed 's/^/ENV /'; } >> '${callLog}'\nexec '${trampoline}' "$@"\n`, { mode: 0o755 });

  const user = { username: 'sam', displayName: 'Sam Example', email: 'sam@example.test' };
  ghes = await startGitHubSimulator({ layout: 'enterprise-server', account: { user, personalAccessToken: canary } });
  sample = await copyRepository(await sampleRepository('github'));
  const tokens = new GitTokens();
  tokens.add(canary, { kind: 'pat', access: 'write' });
  const authorize = providerAuthorizer({ kind: 'github', username: user.username, tokens });
  git = await startGitServer({
    repositories: { [SAMPLE_PATHS.github.repository]: sample.dir },
    authorize: (request) => {
      sentWith.push({ service: request.service, password: request.password });
      return authorize(request);
    },
  });
  dataDir = path.join(work, 'data');
  const caFile = path.join(work, 'ca.pem');
  fs.writeFileSync(caFile, ghes.ca);
  runner = await startRemoteRunner({
    dataDir,
    // A server runner serves working copies' pushes only with --push-helper.
    extraArgs: ['--ca-file', caFile, '--environments-dir', path.join(work, 'environments'), '--push-helper'],
    env: {
      ...process.env,
      PADDOCK_GIT_HELPER: wrapper,
      PADDOCK_DEV_PROVIDER_ENDPOINTS: JSON.stringify({ [GHES]: ghes.origin }),
      PADDOCK_DEV_GIT_ENDPOINTS: JSON.stringify({ [GHES]: git.origin }),
    },
  });
  const register = async (role: 'admin' | 'user', name: string) =>
    (await runnerCall(runner, null, 'POST', '/v1/registration', { token: await runner.createToken('1h', role), name })).body as unknown as { clientId: string; apiToken: string };
  const admin = await register('admin', 'admin-ws');
  alice = await register('user', 'alice-ws');
  const saved = await runnerCall(runner, admin.apiToken, 'PUT', '/v1/providers', {
    provider: { kind: 'github', host: GHES, organizations: [], collections: [], oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } }, pat: { enabled: true } },
    previousHost: null,
    confirmWarnings: true,
  });
  expect(saved.body.saved, JSON.stringify(saved.body)).toBe(true);
  const runnerId = ((await call('GET', '/v1/status')).body as { runnerId: string }).runnerId;
  const sealed = sealPat({ runnerId, host: GHES, organization: null }, canary, runner.publicKey);
  expect((await call('PUT', '/v1/tokens/pat', { host: GHES, organization: null, sealed })).status).toBe(200);
}, 120_000);

afterAll(async () => {
  if (noCompiler) return;
  await Promise.all([runner?.stop(), ghes?.close(), git?.close()]);
  if (work) fs.rmSync(work, { recursive: true, force: true });
  removeBuiltRepositories();
});

describe.skipIf(noCompiler !== null)('the native git credential helper (trampoline)', () => {
  let environment: EnvironmentView;

  it('gives a runner’s clone the token: git ran the trampoline, and the token is in no argv, environment, file or log', async () => {
    const before = sentWith.length;
    environment = await ready(`${GHES}/octo/hello`);
    // The server got the connected token with the clone, through the trampoline (per-run: no --environment).
    expect(sentWith.slice(before)).toContainEqual({ service: 'upload-pack', password: canary });
    expect(calls()).toMatch(/^ARGV get$/m);
    expect(calls()).toContain('ENV PADDOCK_CRED_SOCKET=');
    expect(calls()).not.toContain(canary);
    for (const file of filesUnder(path.join(environment.path, '.git'))) expect(fs.readFileSync(file).toString('latin1').includes(canary), file).toBe(false);
    for (const file of filesUnder(dataDir)) expect(fs.readFileSync(file).toString('latin1').includes(canary), file).toBe(false);
    expect(runner.output()).not.toContain(canary);
  });

  it('gives a `git push` from the environment’s folder the token, through the trampoline the working copy’s config names', async () => {
    const config = fs.readFileSync(path.join(environment.path, '.git', 'config'), 'utf8');
    expect(config).toContain(`[credential "${repoUrl()}"]`);
    expect(config).toContain(`'${wrapper}' '--environment' '${environment.id}'`);
    expect(config).not.toContain('paddock-credential-helper.cjs');
    expect(config).not.toContain(canary);
    const secret = fs.readFileSync(path.join(dataDir, 'git-credentials', 'secrets', environment.id), 'utf8').trim();

    fs.writeFileSync(path.join(environment.path, 'from-terminal.txt'), 'pushed through the trampoline\n');
    expect((await gitIn(environment.path, ['add', '.'])).code).toBe(0);
    expect((await gitIn(environment.path, ['commit', '-q', '-m', 'from the terminal'])).code).toBe(0);
    const before = sentWith.length;
    const pushed = await gitIn(environment.path, ['push', 'origin', 'HEAD:refs/heads/through-trampoline']);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(sentWith.slice(before)).toContainEqual({ service: 'receive-pack', password: canary });
    const head = (await gitIn(environment.path, ['rev-parse', 'HEAD'])).stdout.trim();
    expect((await gitIn(sample.dir, ['rev-parse', 'refs/heads/through-trampoline'])).stdout.trim()).toBe(head);
    expect(calls()).toMatch(new RegExp(`^ARGV --environment ${environment.id} --endpoint .+ --secret-file .+ get$`, 'm'));
    // Neither the token nor the environment's secret in any command line git ran, nor in the trampoline's environment.
    expect(pushed.trace).toContain('helper wrapper');
    for (const text of [pushed.trace, calls(), pushed.stderr]) {
      expect(text).not.toContain(canary);
      expect(text).not.toContain(secret);
    }
    for (const file of filesUnder(path.join(environment.path, '.git'))) expect(fs.readFileSync(file).toString('latin1').includes(canary), file).toBe(false);
    expect(runner.output()).not.toContain(canary);
    expect(runner.output()).not.toContain(secret);
  });

  it('says what to do, as the Node helper does, when the runner is not running or the environment is gone', async () => {
    const secretFile = path.join(dataDir, 'git-credentials', 'secrets', environment.id);
    const request = `protocol=http\nhost=${new URL(git.origin).host}\n\n`;
    const notRunning = await run(trampoline, ['--environment', environment.id, '--endpoint', path.join(work, 'no-runner', 's'), '--secret-file', secretFile, 'get'], { input: request });
    expect(notRunning).toEqual({ code: 0, stdout: 'quit=1\n', stderr: 'Paddock is not running: start Paddock, then push again\n' });
    const endpoint = calls().match(/--endpoint (\S+)/)![1]!;
    const gone = await run(trampoline, ['--environment', environment.id, '--endpoint', endpoint, '--secret-file', path.join(work, 'deleted'), 'get'], { input: request });
    expect(gone).toEqual({ code: 0, stdout: 'quit=1\n', stderr: 'Paddock no longer has this environment, so it gives no credentials for it. Create the environment again in Paddock.\n' });
    // Asked directly with the secret: the token for the repository's host, nothing for another.
    const right = await run(trampoline, ['--environment', environment.id, '--endpoint', endpoint, '--secret-file', secretFile, 'get'], { input: request });
    expect(right).toEqual({ code: 0, stdout: `username=sam\npassword=${canary}\n`, stderr: '' });
    const elsewhere = await run(trampoline, ['--environment', environment.id, '--endpoint', endpoint, '--secret-file', secretFile, 'get'], { input: 'protocol=https\nhost=elsewhere.example\n\n' });
    expect(elsewhere.stdout).not.toContain('password=');
    // An endpoint whose folder others can use (one another user may have made first) is not asked.
    const folder = path.dirname(endpoint);
    fs.chmodSync(folder, 0o755);
    try {
      const open = await run(trampoline, ['--environment', environment.id, '--endpoint', endpoint, '--secret-file', secretFile, 'get'], { input: request });
      expect(open).toEqual({ code: 0, stdout: 'quit=1\n', stderr: 'Paddock: its credential endpoint is not in a folder only you can use, so git gets no credentials from it. Restart Paddock.\n' });
    } finally {
      fs.chmodSync(folder, 0o700);
    }
  });

  it('refuses quietly, with no output, what it cannot forward safely', async () => {
    const endpoint = calls().match(/--endpoint (\S+)/)![1]!;
    const secretFile = path.join(dataDir, 'git-credentials', 'secrets', environment.id);
    const args = ['--environment', environment.id, '--endpoint', endpoint, '--secret-file', secretFile];
    const host = new URL(git.origin).host;
    const refused = [
      await run(trampoline, [...args, 'get'], { input: `protocol=http\nhost=${host}\n${'wwwauth[]=x\n'.repeat(6000)}` }), // over 60 000 bytes
      await run(trampoline, [...args, 'get'], { input: `protocol=http\nhost=${host}\0\n\n` }), // a NUL
      await run(trampoline, [...args, 'fill'], { input: `protocol=http\nhost=${host}\n\n` }), // not an action
      await run(trampoline, ['--environment', environment.id, 'get'], { input: `protocol=http\nhost=${host}\n\n` }), // no endpoint
      await run(trampoline, ['get'], { input: `protocol=http\nhost=${host}\n\n`, env: { PATH: process.env.PATH } }), // per-run, no socket or capability
    ];
    for (const result of refused) expect(result).toEqual({ code: 1, stdout: '', stderr: '' });
  });
});

describe.skipIf(noMingw !== null)('the trampoline’s Windows code (named pipe)', () => {
  it('compiles with MinGW, warnings as errors (it is not run here)', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-tramp-win-')), 'paddock-git-helper.exe');
    execFileSync(mingw, ['-std=c99', '-municode', '-O2', '-Wall', '-Wextra', '-Werror', '-pedantic', '-o', out, TRAMPOLINE_SOURCE], { stdio: ['ignore', 'inherit', 'inherit'] });
    // A PE executable.
    expect(fs.readFileSync(out).subarray(0, 2).toString('latin1')).toBe('MZ');
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });
});
