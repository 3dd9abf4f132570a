// git through the runner's proxy and CA file (--proxy, --ca-file): a real
// runner on a server clones from the fake git server over https, through an
// HTTP proxy that wants a user name and password. The proxy's password is a
// canary: git gets it only through its environment's configuration, never
// argv; it appears in no log line, error message or working copy. The git
// server's certificate is trusted only through --ca-file, which git gets as
// a combined bundle (its own sslCAInfo would replace the system's roots).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealPat } from '../../electron/common/pat';
import type { EnvironmentView, JobView } from '../../electron/common/runner-api';
import { GIT_CA_BUNDLE_FILE } from '../../electron/runner/git/network';
import { SAMPLE_PATHS, removeBuiltRepositories, sampleRepository, type SampleRepository } from '../fakes/git-repos';
import { GitTokens, providerAuthorizer, startGitServer, type GitServer } from '../fakes/git-server';
import { startGitHubSimulator, type GitHubSimulator } from '../fakes/github';
import { startHttpProxy, type HttpProxy } from '../fakes/http-proxy';
import type { SimulatedUser } from '../fakes/simulator';
import { runnerCall, startRemoteRunner, type RemoteRunnerHandle } from '../helpers/remote-runner';
import { listProcesses, readArgvAndEnviron } from './support/procs';

const GHES = 'https://ghe.example.test';
const user: SimulatedUser = { username: 'sam', displayName: 'Sam Example', email: 'sam@example.test' };
const token = `ghp_canary_${randomUUID().replaceAll('-', '')}`;
const proxyUser = `pxu-${randomUUID().slice(0, 8)}`;
const proxyPassword = `proxy-canary-${randomUUID().replaceAll('-', '')}`;

let ghes: GitHubSimulator;
let git: GitServer;
let proxy: HttpProxy;
let runner: RemoteRunnerHandle;
let sample: SampleRepository;
let alice: { clientId: string; apiToken: string };
let root: string;
let gitTarget: string;
/** What the git processes talking to the proxy held, read while they talked to it. */
const seen: { pid: number; cmdline: string; environ: string }[] = [];

const call = (method: string, route: string, body?: unknown) => runnerCall(runner, alice.apiToken, method, route, body);
let caFile: string;

/** A runner on a server with the proxy (and more flags), a GitHub Enterprise entry, and alice's token connected. */
async function connectedRunner(extraArgs: string[]): Promise<{ runner: RemoteRunnerHandle; alice: { clientId: string; apiToken: string } }> {
  // Nothing of the test's own environment decides where git goes or what it trusts.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(GIT_SSL_CAINFO|https?_proxy|all_proxy|no_proxy)$/i.test(name)));
  const started = await startRemoteRunner({
    extraArgs: ['--ca-file', caFile, '--proxy', `http://${proxyUser}:${proxyPassword}@127.0.0.1:${proxy.port}`, '--environments-dir', root, ...extraArgs],
    env: { ...env, PADDOCK_DEV_PROVIDER_ENDPOINTS: JSON.stringify({ [GHES]: ghes.origin }), PADDOCK_DEV_GIT_ENDPOINTS: JSON.stringify({ [GHES]: git.origin }) },
  });
  const registration = await started.createToken('1h', 'admin');
  const client = (await runnerCall(started, null, 'POST', '/v1/registration', { token: registration, name: 'alice-ws' })).body as unknown as { clientId: string; apiToken: string };
  const as = (method: string, route: string, body?: unknown) => runnerCall(started, client.apiToken, method, route, body);
  const saved = await as('PUT', '/v1/providers', {
    provider: { kind: 'github', host: GHES, organizations: [], collections: [], oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } }, pat: { enabled: true } },
    previousHost: null,
    confirmWarnings: true,
  });
  expect(saved.body.saved, JSON.stringify(saved.body)).toBe(true);
  const { runnerId } = (await as('GET', '/v1/status')).body as { runnerId: string };
  const connected = await as('PUT', '/v1/tokens/pat', { host: GHES, organization: null, sealed: sealPat({ runnerId, host: GHES, organization: null }, token, started.publicKey) });
  expect(connected.status, JSON.stringify(connected.body)).toBe(200);
  return { runner: started, alice: client };
}

async function ended(jobId: string): Promise<JobView> {
  for (let i = 0; i < 600; i++) {
    const { job } = (await call('GET', `/v1/jobs/${jobId}`)).body as { job: JobView };
    if (job.state !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the job did not end in 30 s');
}

beforeAll(async () => {
  ghes = await startGitHubSimulator({ layout: 'enterprise-server', account: { user, personalAccessToken: token } });
  sample = await sampleRepository('github');
  const tokens = new GitTokens();
  tokens.add(token, { kind: 'pat', access: 'read' });
  git = await startGitServer({
    repositories: { [SAMPLE_PATHS.github.repository]: sample.dir },
    authorize: providerAuthorizer({ kind: 'github', username: user.username, tokens }),
    tls: true,
  });
  gitTarget = new URL(git.origin).host;
  proxy = await startHttpProxy({
    credentials: { user: proxyUser, password: proxyPassword },
    onRequest: ({ target }) => {
      if (target !== gitTarget) return;
      // git-remote-https is connecting now: read every git process's argv and environment.
      for (const process of listProcesses().filter((p) => p.comm.startsWith('git'))) {
        const read = readArgvAndEnviron(process.pid);
        if (read) seen.push({ pid: process.pid, ...read });
      }
    },
  });
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-proxy-envs-'));
  const caDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-proxy-ca-'));
  // The simulators share one self-signed certificate; git's server presents it too.
  caFile = path.join(caDir, 'ca.pem');
  fs.writeFileSync(caFile, `${ghes.ca}\n${git.ca}\n`);
  ({ runner, alice } = await connectedRunner([]));
}, 90_000);

afterAll(async () => {
  await Promise.all([runner?.stop(), ghes?.close(), git?.close(), proxy?.close()]);
  if (root) fs.rmSync(root, { recursive: true, force: true });
  removeBuiltRepositories();
});

describe('git through the runner’s proxy', () => {
  it('clones through the proxy with its credentials, trusting the server through --ca-file; the proxy’s password is in no argv', async () => {
    seen.length = 0;
    const before = proxy.requests.length;
    const created = (await call('POST', '/v1/environments', { url: `${GHES}/octo/hello`, tokenId: null, depth: 'full' })).body as { environment: EnvironmentView; job: JobView };
    const done = await ended(created.job.id);
    expect(done.outcome, `${JSON.stringify(done.outcome)} ${JSON.stringify(proxy.requests)}`).toMatchObject({ state: "succeeded" });

    // The proxy saw git's traffic to the git server, authenticated (curl asks first without, then answers the 407).
    const tunnels = proxy.requests.slice(before).filter((r) => r.method === 'CONNECT' && r.target === gitTarget);
    expect(tunnels.some((r) => r.status === 200 && r.user === proxyUser)).toBe(true);
    // And the git server saw the clone, through that tunnel.
    expect(git.requests.some((r) => r.service === 'upload-pack' && r.status === 200)).toBe(true);

    // git was running while it talked to the proxy: its argv never held the password, its environment did (the configuration).
    expect(seen.length).toBeGreaterThan(0);
    for (const process of seen) expect(process.cmdline, `argv of git ${process.pid}`).not.toContain(proxyPassword);
    expect(seen.some((p) => p.environ.includes(proxyPassword) && /GIT_CONFIG_KEY_\d+=http\.proxy/.test(p.environ))).toBe(true);

    // The CA file reached git as a combined bundle in the data folder.
    const bundle = fs.readFileSync(path.join(runner.dataDir, GIT_CA_BUNDLE_FILE), 'utf8');
    expect(bundle).toContain(git.ca!.trim().split('\n')[1]);
    expect((bundle.match(/BEGIN CERTIFICATE/g) ?? []).length).toBeGreaterThan(1);

    const ready = ((await call('GET', '/v1/environments')).body.environments as EnvironmentView[]).find((e) => e.id === created.environment.id)!;
    expect(ready.state).toBe('ready');
    expect(fs.readFileSync(path.join(ready.path, '.git', 'config'), 'utf8')).not.toContain(proxyPassword);
    expect(runner.output()).not.toContain(proxyPassword);
  });

  it('a proxy that refuses the server fails the clone with a message that holds no proxy credentials', async () => {
    proxy.refuse([gitTarget]);
    try {
      const created = (await call('POST', '/v1/environments', { url: `${GHES}/octo/hello`, tokenId: null, depth: 'full' })).body as { environment: EnvironmentView; job: JobView };
      const done = await ended(created.job.id);
      expect(done.outcome?.state).toBe('failed');
      expect(proxy.requests.some((r) => r.method === 'CONNECT' && r.target === gitTarget && r.status === 403)).toBe(true);
      const failed = ((await call('GET', '/v1/environments')).body.environments as EnvironmentView[]).find((e) => e.id === created.environment.id)!;
      expect(failed.state).toBe('failed');
      expect(failed.error).toMatchObject({ code: 'unreachable' });
      expect(failed.error?.message).toMatch(/proxy refused/);
      // A proxy's 403 is not the provider refusing the token: it stays usable.
      const { tokens } = (await call('GET', '/v1/tokens')).body as { tokens: { state: string }[] };
      expect(tokens.map((t) => t.state)).toEqual(['connected']);
      for (const text of [JSON.stringify(done), JSON.stringify(failed), runner.output()]) {
        expect(text).not.toContain(proxyPassword);
        expect(text).not.toContain(proxyUser);
      }
      expect(fs.existsSync(failed.path)).toBe(false);
    } finally {
      proxy.refuse([]);
    }
  });

  it('hosts in --no-proxy go direct: git gets the list as NO_PROXY', async () => {
    const direct = await connectedRunner(['--no-proxy', '127.0.0.1']);
    const saved = { runner, alice };
    ({ runner, alice } = direct);
    try {
      const before = proxy.requests.length;
      const served = git.requests.length;
      const created = (await call('POST', '/v1/environments', { url: `${GHES}/octo/hello`, tokenId: null, depth: 'shallow' })).body as { environment: EnvironmentView; job: JobView };
      const done = await ended(created.job.id);
      expect(done.outcome, JSON.stringify(done.outcome)).toMatchObject({ state: 'succeeded' });
      expect(proxy.requests.slice(before).filter((r) => r.target === gitTarget || r.target.includes(gitTarget))).toEqual([]);
      expect(git.requests.slice(served).some((r) => r.service === 'upload-pack' && r.status === 200)).toBe(true);
    } finally {
      ({ runner, alice } = saved);
      await direct.runner.stop();
    }
  });
});
