// A `git push` the user runs in a terminal in an environment (issue 10
// point 5): the working copy's `.git/config` names Paddock's credential
// helper for its repository URL, which gets a token from the runner's
// long-lived endpoint with the environment's secret file — through a real
// server runner, the GitHub Enterprise Server simulator and the fake git
// server, with git started as a user would (no askpass, no user config,
// prompts off). The token is a canary found nowhere but on the wire.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealPat } from '../../electron/common/pat';
import type { EnvironmentView, JobView } from '../../electron/common/runner-api';
import { helperScriptPath } from '../../electron/runner/git/credential-helper';
import { copyRepository, removeBuiltRepositories, sampleRepository, SAMPLE_PATHS, type SampleRepository } from '../fakes/git-repos';
import { GitTokens, providerAuthorizer, startGitServer, type GitServer } from '../fakes/git-server';
import { startGitHubSimulator, type GitHubSimulator } from '../fakes/github';
import type { SimulatedUser } from '../fakes/simulator';
import { runnerCall, startRemoteRunner, type RemoteRunnerHandle } from '../helpers/remote-runner';

const GHES = 'https://ghe.example.test';
const user: SimulatedUser = { username: 'sam', displayName: 'Sam Example', email: 'sam@example.test' };
const canary = `ghp_canary_${randomUUID().replaceAll('-', '')}`;

let ghes: GitHubSimulator;
let git: GitServer;
let tokens: GitTokens;
let runner: RemoteRunnerHandle;
let sample: SampleRepository;
let alice: { clientId: string; apiToken: string };
let runnerId: string;
let root: string;
let dataDir: string;
let caFile: string;
const outputs: string[] = [];
/** The password git sent with each push (receive-pack) request the server saw. */
const pushedWith: string[] = [];

const call = (method: string, route: string, body?: unknown) => runnerCall(runner, alice.apiToken, method, route, body);
const connectPat = () => call('PUT', '/v1/tokens/pat', { host: GHES, organization: null, sealed: sealPat({ runnerId, host: GHES, organization: null }, canary, runner.publicKey) });

async function startRunner(extraArgs: string[] = ['--push-helper']): Promise<void> {
  runner = await startRemoteRunner({
    dataDir,
    // A server runner serves working copies' pushes only with --push-helper (the local runner always does).
    extraArgs: ['--ca-file', caFile, '--environments-dir', root, ...extraArgs],
    env: { ...process.env, PADDOCK_DEV_PROVIDER_ENDPOINTS: JSON.stringify({ [GHES]: ghes.origin }), PADDOCK_DEV_GIT_ENDPOINTS: JSON.stringify({ [GHES]: git.origin }) },
  });
}

async function stopRunner(): Promise<void> {
  outputs.push(runner.output());
  await runner.stop();
}

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

/** A home folder with no git configuration of the user's (or the one given). */
function home(gitconfig?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-push-home-'));
  if (gitconfig !== undefined) fs.writeFileSync(path.join(dir, '.gitconfig'), gitconfig);
  return dir;
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  /** GIT_TRACE: every command git ran (the helper's command line included). */
  trace: string;
  env: Record<string, string>;
}

/** git as a user's terminal would start it: asynchronously (the git server is in this process), prompts off, no askpass. */
function gitIn(cwd: string, args: string[], options: { home?: string } = {}): Promise<Ran> {
  const traceFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-push-trace-')), 'trace');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: options.home ?? home(),
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    LC_ALL: 'C',
    GIT_TRACE: traceFile,
    GIT_AUTHOR_NAME: 'Sam',
    GIT_AUTHOR_EMAIL: 'sam@example.test',
    GIT_COMMITTER_NAME: 'Sam',
    GIT_COMMITTER_EMAIL: 'sam@example.test',
  };
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const trace = fs.existsSync(traceFile) ? fs.readFileSync(traceFile, 'utf8') : '';
      resolve({ code, stdout, stderr, trace, env });
    });
  });
}

/** The helper as the working copy's config runs it, asked directly (what any program of this user could do). */
function askHelper(argv: string[], input: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [helperScriptPath(path.resolve('electron/runner/git')), ...argv], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.stdin.on('error', () => undefined); // the helper may answer before reading everything
    child.stdin.end(input);
    child.on('close', () => resolve({ stdout, stderr }));
  });
}

const secretFileOf = (id: string) => path.join(dataDir, 'git-credentials', 'secrets', id);
const configOf = (environment: EnvironmentView) => fs.readFileSync(path.join(environment.path, '.git', 'config'), 'utf8');
const repoUrl = () => `${git.origin}${SAMPLE_PATHS.github.repository}`;
/** The helper's arguments (before the action) as the working copy's config names them. */
async function helperArgs(environment: EnvironmentView): Promise<string[]> {
  const value = (await gitIn(environment.path, ['config', '--get-all', `credential.${repoUrl()}.helper`])).stdout.trim().split('\n').at(-1)!;
  const quoted = [...value.matchAll(/'([^']*)'/g)].map((m) => m[1]!);
  // node, script, then --environment id --endpoint path --secret-file path.
  return quoted.slice(2);
}

async function commitIn(environment: EnvironmentView, name: string): Promise<void> {
  fs.writeFileSync(path.join(environment.path, `${name}.txt`), `${name}\n`);
  expect((await gitIn(environment.path, ['add', '.'])).code).toBe(0);
  expect((await gitIn(environment.path, ['commit', '-q', '-m', name])).code).toBe(0);
}

beforeAll(async () => {
  ghes = await startGitHubSimulator({ layout: 'enterprise-server', account: { user, personalAccessToken: canary } });
  sample = await copyRepository(await sampleRepository('github'));
  tokens = new GitTokens();
  tokens.add(canary, { kind: 'pat', access: 'write' });
  const authorize = providerAuthorizer({ kind: 'github', username: user.username, tokens });
  git = await startGitServer({
    repositories: { [SAMPLE_PATHS.github.repository]: sample.dir },
    authorize: (request) => {
      if (request.service === 'receive-pack') pushedWith.push(request.password);
      return authorize(request);
    },
  });
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-push-'));
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-push-data-'));
  caFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-push-ca-')), 'ca.pem');
  fs.writeFileSync(caFile, ghes.ca);
  await startRunner();
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
  runnerId = ((await call('GET', '/v1/status')).body as { runnerId: string }).runnerId;
  expect((await connectPat()).status).toBe(200);
}, 90_000);

afterAll(async () => {
  await Promise.all([runner?.stop(), ghes?.close(), git?.close()]);
  for (const dir of [root, dataDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  removeBuiltRepositories();
});

describe('git push from a terminal in an environment', () => {
  it('goes through the runner’s helper with the token, which is in no file, argv, environment or log', async () => {
    const environment = await ready(`${GHES}/octo/hello`);
    const config = configOf(environment);
    // Only the helper, scoped to the repository's URL, after a reset of the list for that URL.
    expect(config).toContain(`[credential "${repoUrl()}"]`);
    expect(config).toMatch(/helper = \n\s*helper = "?!f\(\)/);
    expect(config).toContain(`'--environment' '${environment.id}'`);
    expect(config).not.toContain(canary);
    const secretFile = secretFileOf(environment.id);
    expect(fs.statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(secretFile)).mode & 0o777).toBe(0o700);
    expect(secretFile.startsWith(environment.path)).toBe(false);
    const secret = fs.readFileSync(secretFile, 'utf8').trim();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(config).not.toContain(secret);
    expect(secret).not.toContain(canary);

    await commitIn(environment, 'from-terminal');
    const before = pushedWith.length;
    const pushed = await gitIn(environment.path, ['push', 'origin', 'HEAD:refs/heads/from-terminal']);
    expect(pushed.code, pushed.stderr).toBe(0);
    // The server got the connected token with the push.
    expect(pushedWith.slice(before)).toContain(canary);
    const head = (await gitIn(environment.path, ['rev-parse', 'HEAD'])).stdout.trim();
    const remote = (await gitIn(sample.dir, ['rev-parse', 'refs/heads/from-terminal'])).stdout.trim();
    expect(remote).toBe(head);
    // Not in git's argv or environment, nor the helper's command line (GIT_TRACE shows every command git ran).
    expect(pushed.trace).toContain('paddock-credential-helper.cjs');
    expect(pushed.trace).not.toContain(canary);
    expect(pushed.trace).not.toContain(secret);
    expect(JSON.stringify(pushed.env)).not.toContain(canary);
    for (const file of (fs.readdirSync(path.join(environment.path, '.git'), { recursive: true }) as string[]).map((f) => path.join(environment.path, '.git', f))) {
      if (fs.statSync(file).isFile()) expect(fs.readFileSync(file).toString('latin1').includes(canary), file).toBe(false);
    }
    for (const file of (fs.readdirSync(dataDir, { recursive: true }) as string[]).map((f) => path.join(dataDir, f))) {
      if (fs.statSync(file).isFile()) expect(fs.readFileSync(file).toString('latin1').includes(canary), file).toBe(false);
    }
    expect(runner.output()).not.toContain(canary);
    expect(runner.output()).not.toContain(secret);
    expect(fs.readFileSync(path.join(dataDir, 'environments.json'), 'utf8')).not.toContain(secret);
  });

  it('resets the user’s own helpers for the repository: a `store` helper in ~/.gitconfig is neither asked nor given the token', async () => {
    const environment = await ready(`${GHES}/octo/hello`);
    const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-push-store-'));
    const storeFile = path.join(storeDir, 'credentials');
    fs.writeFileSync(storeFile, `http://someone:wrong-password@${new URL(git.origin).host}\n`);
    await commitIn(environment, 'with-user-helper');
    const before = pushedWith.length;
    const pushed = await gitIn(environment.path, ['push', 'origin', 'HEAD:refs/heads/with-user-helper'], { home: home(`[credential]\n\thelper = store --file ${storeFile}\n`) });
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushedWith.slice(before)).not.toContain('wrong-password');
    expect(fs.readFileSync(storeFile, 'utf8')).not.toContain(canary);
  });

  it('gives nothing for another host, even with the environment’s secret', async () => {
    const environment = await ready(`${GHES}/octo/hello`);
    const asked = await askHelper([...(await helperArgs(environment)), 'get'], 'protocol=https\nhost=elsewhere.example\n\n');
    expect(asked.stdout).not.toContain('password=');
    const right = await askHelper([...(await helperArgs(environment)), 'get'], `protocol=http\nhost=${new URL(git.origin).host}\n\n`);
    expect(right.stdout).toContain(`password=${canary}`);
  });

  it('a password of the user’s own that the server refuses (in the URL) does not mark the environment’s token', async () => {
    const environment = await ready(`${GHES}/octo/hello`);
    await commitIn(environment, 'own-password');
    const url = new URL(repoUrl());
    url.username = 'someone';
    url.password = 'not-the-token';
    const pushed = await gitIn(environment.path, ['push', url.href, 'HEAD:refs/heads/own-password']);
    expect(pushed.code).not.toBe(0);
    const listed = (await call('GET', '/v1/tokens')).body.tokens as { state: string }[];
    expect(listed.map((t) => t.state)).toEqual(['connected']);
    // The token still works for the next push.
    const again = await gitIn(environment.path, ['push', 'origin', 'HEAD:refs/heads/own-password']);
    expect(again.code, again.stderr).toBe(0);
  });

  it('fails at once with a sentence while the runner is stopped, and works again once it runs', async () => {
    const environment = await ready(`${GHES}/octo/hello`);
    await commitIn(environment, 'while-stopped');
    await stopRunner();
    try {
      const pushed = await gitIn(environment.path, ['push', 'origin', 'HEAD:refs/heads/while-stopped']);
      expect(pushed.code).not.toBe(0);
      expect(pushed.stderr).toContain('Paddock is not running: start Paddock, then push again');
      expect(pushed.stderr).not.toContain(canary);
      // A working copy made before environments had a helper: the runner writes it at its next start.
      expect((await gitIn(environment.path, ['config', '--remove-section', `credential.${repoUrl()}`])).code).toBe(0);
      expect(configOf(environment)).not.toContain('paddock-credential-helper');
    } finally {
      await startRunner();
    }
    for (let i = 0; i < 200 && !configOf(environment).includes('paddock-credential-helper'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(configOf(environment)).toContain(`'--environment' '${environment.id}'`);
    const again = await gitIn(environment.path, ['push', 'origin', 'HEAD:refs/heads/while-stopped']);
    expect(again.code, again.stderr).toBe(0);
  });

  it('a server runner without --push-helper writes no helper into working copies and serves no endpoint', async () => {
    await stopRunner();
    try {
      await startRunner([]);
      const environment = await ready(`${GHES}/octo/hello`);
      expect(configOf(environment)).not.toContain('credential.');
      expect(fs.existsSync(secretFileOf(environment.id))).toBe(false);
      expect((await call('DELETE', `/v1/environments/${environment.id}`)).body).toEqual({ ok: true });
    } finally {
      await stopRunner();
      await startRunner();
    }
  });

  it('revokes the helper’s access when the environment is deleted', async () => {
    const environment = await ready(`${GHES}/octo/hello`);
    const args = await helperArgs(environment);
    // Someone kept a copy of the secret.
    const kept = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-push-kept-')), 'secret');
    fs.copyFileSync(secretFileOf(environment.id), kept);
    const withKept = args.map((arg) => (arg === secretFileOf(environment.id) ? kept : arg));
    const request = `protocol=http\nhost=${new URL(git.origin).host}\n\n`;
    expect((await askHelper([...withKept, 'get'], request)).stdout).toContain(`password=${canary}`);
    expect((await call('DELETE', `/v1/environments/${environment.id}`)).body).toEqual({ ok: true });
    expect(fs.existsSync(secretFileOf(environment.id))).toBe(false);
    const after = await askHelper([...withKept, 'get'], request);
    expect(after.stdout).not.toContain('password=');
    expect(after.stdout).toContain('quit=1');
    expect(after.stderr).toContain('Paddock no longer has this environment');
  });

  it('a token revoked on the server fails the push and marks the token reconnect-needed', async () => {
    const environment = await ready(`${GHES}/octo/hello`);
    await commitIn(environment, 'revoked');
    tokens.revoke(canary);
    try {
      const pushed = await gitIn(environment.path, ['push', 'origin', 'HEAD:refs/heads/revoked']);
      expect(pushed.code).not.toBe(0);
      expect(pushed.stderr).not.toContain(canary);
      const listed = (await call('GET', '/v1/tokens')).body.tokens as { state: string }[];
      expect(listed[0]?.state).toBe('reconnect-needed');
      // The next push is told what to do, and git stops without sending anything.
      const before = pushedWith.length;
      const next = await gitIn(environment.path, ['push', 'origin', 'HEAD:refs/heads/revoked']);
      expect(next.code).not.toBe(0);
      expect(next.stderr).toMatch(/Paddock: .*Reconnect/);
      expect(pushedWith.slice(before)).toEqual([]);
    } finally {
      tokens.add(canary, { kind: 'pat', access: 'write' });
    }
    expect((await connectPat()).status).toBe(200);
    const fixed = await gitIn(environment.path, ['push', 'origin', 'HEAD:refs/heads/revoked']);
    expect(fixed.code, fixed.stderr).toBe(0);
  });

  it('left nothing of the token in the runner’s logs', () => {
    for (const output of [...outputs, runner.output()]) expect(output).not.toContain(canary);
  });
});
