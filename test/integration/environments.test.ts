// Environments (issue 10 points 3–5) through a real runner on a server: a
// workstation's PAT for a GitHub Enterprise Server simulator, repositories on
// the fake git server (test/fakes/git-server.ts) that checks the credential
// git sends, and the runner API's environment routes. The token is a canary:
// it reaches git only through the runner's credential helper.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealPat } from '../../electron/common/pat';
import type { EnvironmentView, JobView } from '../../electron/common/runner-api';
import { SAMPLE, SAMPLE_PATHS, largeRepository, removeBuiltRepositories, sampleRepository, forkRepository, type SampleRepository } from '../fakes/git-repos';
import { GitTokens, providerAuthorizer, startGitServer, type GitServer } from '../fakes/git-server';
import { startGitHubSimulator, type GitHubSimulator } from '../fakes/github';
import type { SimulatedUser } from '../fakes/simulator';
import { runnerCall, startRemoteRunner, type RemoteRunnerHandle } from '../helpers/remote-runner';
import { listProcesses, readArgvAndEnviron } from './support/procs';

const GHES = 'https://ghe.example.test';
const user: SimulatedUser = { username: 'sam', displayName: 'Sam Example', email: 'sam@example.test' };
const canary = `ghp_canary_${randomUUID().replaceAll('-', '')}`;

let ghes: GitHubSimulator;
let git: GitServer;
let tokens: GitTokens;
let runner: RemoteRunnerHandle;
let sample: SampleRepository;
let alice: { clientId: string; apiToken: string };
let admin: { clientId: string; apiToken: string };
let root: string;

let runnerId: string;
const call = (method: string, route: string, body?: unknown) => runnerCall(runner, alice.apiToken, method, route, body);
const connectPat = () => call('PUT', '/v1/tokens/pat', { host: GHES, organization: null, sealed: sealPat({ runnerId, host: GHES, organization: null }, canary, runner.publicKey) });

async function create(url: string, depth: 'full' | 'shallow' | 'blobless' = 'full'): Promise<{ environment: EnvironmentView; job: JobView; status: number; body: Record<string, unknown> }> {
  const answer = await call('POST', '/v1/environments', { url, tokenId: null, depth });
  return { ...(answer.body as { environment: EnvironmentView; job: JobView }), status: answer.status, body: answer.body };
}

async function ended(jobId: string): Promise<JobView> {
  for (let i = 0; i < 600; i++) {
    const { job } = (await call('GET', `/v1/jobs/${jobId}`)).body as { job: JobView };
    if (job.state !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the job did not end in 30 s');
}

const environment = async (id: string) => ((await call('GET', '/v1/environments')).body.environments as EnvironmentView[]).find((e) => e.id === id);
const headOf = (dir: string) => fs.readFileSync(path.join(dir, '.git', 'HEAD'), 'utf8').trim();
function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).isFile());
}

beforeAll(async () => {
  ghes = await startGitHubSimulator({ layout: 'enterprise-server', account: { user, personalAccessToken: canary } });
  sample = await sampleRepository('github');
  const fork = await forkRepository();
  const large = await largeRepository({ bytes: 8 * 1024 * 1024, commits: 20 });
  tokens = new GitTokens();
  tokens.add(canary, { kind: 'pat', access: 'write' });
  git = await startGitServer({
    repositories: { [SAMPLE_PATHS.github.repository]: sample.dir, [SAMPLE_PATHS.github.fork]: fork.dir, '/octo/large.git': large.dir },
    authorize: providerAuthorizer({ kind: 'github', username: user.username, tokens }),
  });
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-envs-'));
  const caDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-envs-ca-'));
  fs.writeFileSync(path.join(caDir, 'ca.pem'), ghes.ca);
  runner = await startRemoteRunner({
    extraArgs: ['--ca-file', path.join(caDir, 'ca.pem'), '--environments-dir', root],
    env: { ...process.env, PADDOCK_DEV_PROVIDER_ENDPOINTS: JSON.stringify({ [GHES]: ghes.origin }), PADDOCK_DEV_GIT_ENDPOINTS: JSON.stringify({ [GHES]: git.origin }) },
  });
  const register = async (role: 'admin' | 'user', name: string) =>
    (await runnerCall(runner, null, 'POST', '/v1/registration', { token: await runner.createToken('1h', role), name })).body as unknown as { clientId: string; apiToken: string };
  admin = await register('admin', 'admin-ws');
  alice = await register('user', 'alice-ws');
  const saved = await runnerCall(runner, admin.apiToken, 'PUT', '/v1/providers', {
    provider: { kind: 'github', host: GHES, organizations: [], collections: [], oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } }, pat: { enabled: true } },
    previousHost: null,
    confirmWarnings: true,
  });
  expect(saved.body.saved, JSON.stringify(saved.body)).toBe(true);
  runnerId = ((await runnerCall(runner, alice.apiToken, 'GET', '/v1/status')).body as { runnerId: string }).runnerId;
  const connected = await connectPat();
  expect(connected.status, JSON.stringify(connected.body)).toBe(200);
}, 90_000);

afterAll(async () => {
  await Promise.all([runner?.stop(), ghes?.close(), git?.close()]);
  fs.rmSync(root, { recursive: true, force: true });
  removeBuiltRepositories();
});

describe('creating an environment', () => {
  it('clones the default branch into a folder named for the repository, with progress, and says it is ready', async () => {
    const { environment: created, job, status } = await create(`${GHES}/octo/hello`);
    expect(status).toBe(201);
    expect(created).toMatchObject({ state: 'creating', repository: 'octo/hello', host: GHES, path: path.join(root, alice.clientId, 'hello'), jobId: job.id });
    const done = await ended(job.id);
    expect(done.outcome, JSON.stringify(done.outcome)).toMatchObject({ state: 'succeeded' });
    const ready = await environment(created.id);
    expect(ready).toMatchObject({ state: 'ready', resolved: { type: 'branch', name: 'main', commit: sample.commits.main }, error: null });
    expect(fs.existsSync(path.join(created.path, 'docs'))).toBe(true);
    const phases = done.progress.map((p) => (p.progress.kind === 'environment-clone' ? p.progress.phase : null));
    expect(phases).toContain('receiving');
    const overall = done.progress.map((p) => (p.progress.kind === 'environment-clone' ? p.progress.overall : 0));
    expect(overall.at(-1)).toBe(1);
    expect(overall.every((value, i) => i === 0 || value >= overall[i - 1]!)).toBe(true);
    // git sent the token with a user name GitHub takes, and it went nowhere else.
    expect(git.requests.some((r) => r.user === user.username && r.status === 200)).toBe(true);
    const gitFiles = filesUnder(path.join(created.path, '.git')).map((f) => fs.readFileSync(f).toString('latin1'));
    expect(gitFiles.some((text) => text.includes(canary))).toBe(false);
    expect(fs.readFileSync(path.join(created.path, '.git', 'config'), 'utf8')).toContain(`url = ${GHES}/octo/hello.git`);
    expect(fs.readFileSync(path.join(runner.dataDir, 'environments.json'), 'utf8')).not.toContain(canary);
    expect(runner.output()).not.toContain(canary);
  });

  it('reads a branch with slashes from a tree URL against the remote’s branches, and opens the folder it names', async () => {
    const { environment: created, job } = await create(`${GHES}/octo/hello/tree/release/2026.12/docs`);
    expect((await ended(job.id)).outcome?.state).toBe('succeeded');
    const ready = await environment(created.id);
    expect(ready).toMatchObject({ state: 'ready', resolved: { type: 'branch', name: 'release/2026.12', commit: sample.commits.release }, subPath: 'docs' });
    expect(path.basename(created.path)).toBe('hello-2');
    expect(fs.existsSync(path.join(created.path, SAMPLE.releaseFile))).toBe(true);
  });

  it('checks out a pull request from the ref GitHub keeps, fork included', async () => {
    const { environment: created, job } = await create(`${GHES}/octo/hello/pull/${SAMPLE.pullRequests.fromFork}`);
    expect((await ended(job.id)).outcome?.state).toBe('succeeded');
    const ready = await environment(created.id);
    const pull = sample.pullRequests.find((p) => p.number === SAMPLE.pullRequests.fromFork)!;
    expect(ready?.resolved).toMatchObject({ type: 'pull', number: SAMPLE.pullRequests.fromFork, commit: pull.head });
    expect(headOf(created.path)).toBe(`ref: refs/heads/pr/${SAMPLE.pullRequests.fromFork}`);
    expect(fs.existsSync(path.join(created.path, SAMPLE.forkFile))).toBe(true);
  });

  it('clones shallow and blobless when asked', async () => {
    const shallow = await create(`${GHES}/octo/hello/tree/main`, 'shallow');
    const blobless = await create(`${GHES}/octo/hello/tree/main`, 'blobless');
    expect((await ended(shallow.job.id)).outcome?.state).toBe('succeeded');
    expect((await ended(blobless.job.id)).outcome?.state).toBe('succeeded');
    expect(fs.existsSync(path.join(shallow.environment.path, '.git', 'shallow'))).toBe(true);
    expect(fs.readFileSync(path.join(blobless.environment.path, '.git', 'config'), 'utf8')).toContain('partialclonefilter = blob:none');
  });

  it('refuses a URL for a host the runner has no access to, naming the admin setting, and records nothing', async () => {
    const before = ((await call('GET', '/v1/environments')).body.environments as unknown[]).length;
    const answer = await call('POST', '/v1/environments', { url: 'https://gitlab.com/group/repo', tokenId: null, depth: 'full' });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ error: { code: 'forbidden', detail: { setting: 'Runners → Repository access' } } });
    expect(String((answer.body.error as { message: string }).message)).toContain('An admin adds it in Runners → this runner → Repository access.');
    const bad = await call('POST', '/v1/environments', { url: 'not a url', tokenId: null, depth: 'full' });
    expect(bad.status).toBe(400);
    expect(((await call('GET', '/v1/environments')).body.environments as unknown[]).length).toBe(before);
  });
});

describe('cancel, failure and retry', () => {
  it('a cancelled clone stops git, leaves no folder, and can be retried to ready', async () => {
    git.setThrottle(256 * 1024);
    const { environment: created, job } = await create(`${GHES}/octo/large`);
    for (let i = 0; i < 200 && !fs.existsSync(created.path); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    // git is at work: its processes name the folder; their argv and environment carry no token.
    const gitProcesses = () =>
      listProcesses()
        .filter((p) => p.comm.startsWith('git'))
        .map((p) => ({ pid: p.pid, seen: readArgvAndEnviron(p.pid) }))
        // A zombie has no argv left: it is no longer running.
        .filter((p) => p.seen !== null && p.seen.cmdline.includes(created.path) || (p.seen?.cmdline.includes(`${git.origin}/octo/large`) ?? false));
    for (let i = 0; i < 200 && gitProcesses().length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    const running = gitProcesses();
    expect(running.length).toBeGreaterThan(0);
    for (const process of running) expect(JSON.stringify(process.seen)).not.toContain(canary);
    const cancelled = (await call('DELETE', `/v1/jobs/${job.id}`)).body.job as JobView;
    expect(cancelled.state).toBe('cancelled');
    expect(fs.existsSync(created.path)).toBe(false);
    // Nothing of git is left running.
    expect(gitProcesses()).toEqual([]);
    expect(await environment(created.id)).toMatchObject({ state: 'cancelled' });
    git.setThrottle(null);
    const retried = await call('POST', `/v1/environments/${created.id}/retry`);
    expect(retried.status).toBe(202);
    expect((await ended((retried.body.job as JobView).id)).outcome?.state).toBe('succeeded');
    expect(await environment(created.id)).toMatchObject({ state: 'ready' });
  });

  it('a token the server refuses leaves the environment failed with reconnect-needed and the token marked', async () => {
    tokens.revoke(canary);
    try {
      const { environment: created, job } = await create(`${GHES}/octo/hello`);
      const done = await ended(job.id);
      expect(done.outcome).toMatchObject({ state: 'failed', error: { code: 'reconnect-needed', detail: { host: GHES } } });
      expect(await environment(created.id)).toMatchObject({ state: 'failed', error: { code: 'reconnect-needed' } });
      expect(fs.existsSync(created.path)).toBe(false);
      const listed = (await call('GET', '/v1/tokens')).body.tokens as { state: string }[];
      expect(listed[0]?.state).toBe('reconnect-needed');
      expect(JSON.stringify(done)).not.toContain(canary);
    } finally {
      tokens.add(canary, { kind: 'pat', access: 'write' });
    }
    // Providing the token again is the way back.
    expect((await connectPat()).status).toBe(200);
  });
});

describe('deleting', () => {
  it('counts what would be lost, then deletes the working copy and the record', async () => {
    const { environment: created, job } = await create(`${GHES}/octo/hello`);
    expect((await ended(job.id)).outcome?.state).toBe('succeeded');
    fs.writeFileSync(path.join(created.path, 'notes.txt'), 'unsaved work\n');
    const changes = await call('GET', `/v1/environments/${created.id}/changes`);
    expect(changes.body).toEqual({ uncommitted: 1, unpushed: 0, stashes: 0 });
    expect((await call('DELETE', `/v1/environments/${created.id}`)).body).toEqual({ ok: true });
    expect(fs.existsSync(created.path)).toBe(false);
    expect(await environment(created.id)).toBeUndefined();
  });

  it('keeps each workstation’s environments to itself', async () => {
    const mine = (await call('GET', '/v1/environments')).body.environments as EnvironmentView[];
    expect(mine.length).toBeGreaterThan(0);
    const theirs = (await runnerCall(runner, admin.apiToken, 'GET', '/v1/environments')).body.environments as EnvironmentView[];
    expect(theirs).toEqual([]);
    const other = await runnerCall(runner, admin.apiToken, 'DELETE', `/v1/environments/${mine[0]!.id}`);
    expect(other.status).toBe(404);
  });
});

describe('a workstation’s first environment', () => {
  it('from a tree URL (resolved with ls-remote before anything is cloned) becomes ready, though its folder did not exist yet', async () => {
    const adminCall = (method: string, route: string, body?: unknown) => runnerCall(runner, admin.apiToken, method, route, body);
    expect(fs.existsSync(path.join(root, admin.clientId))).toBe(false);
    const connected = await adminCall('PUT', '/v1/tokens/pat', { host: GHES, organization: null, sealed: sealPat({ runnerId, host: GHES, organization: null }, canary, runner.publicKey) });
    expect(connected.status, JSON.stringify(connected.body)).toBe(200);
    const answer = await adminCall('POST', '/v1/environments', { url: `${GHES}/octo/hello/tree/release/2026.12/docs`, tokenId: null, depth: 'full' });
    const { environment: created, job } = answer.body as { environment: EnvironmentView; job: JobView };
    let done: JobView = job;
    for (let i = 0; i < 600 && done.state === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      done = ((await adminCall('GET', `/v1/jobs/${job.id}`)).body as { job: JobView }).job;
    }
    expect(done.outcome, JSON.stringify(done.outcome)).toMatchObject({ state: 'succeeded' });
    const ready = ((await adminCall('GET', '/v1/environments')).body.environments as EnvironmentView[]).find((e) => e.id === created.id);
    expect(ready).toMatchObject({ state: 'ready', subPath: 'docs', path: path.join(root, admin.clientId, 'hello') });
  });
});
