import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderKind } from '../../electron/common/provider-kind';
import { startEntraSimulator } from '../fakes/entra';
import {
  SAMPLE,
  SAMPLE_PATHS,
  copyRepository,
  deepHistoryRepository,
  forkRepository,
  largeRepository,
  pullRequestRefs,
  removeBuiltRepositories,
  sampleRepositories,
  sampleRepository,
} from '../fakes/git-repos';
import {
  BITBUCKET_API_TOKEN_USERNAME,
  BITBUCKET_OAUTH_USERNAME,
  GitTokens,
  providerAuthorizer,
  simulatorOAuthTokens,
  startGitServer,
  type GitAuthorizer,
  type GitServer,
  type GitServerOptions,
} from '../fakes/git-server';
import { startGitLabSimulator } from '../fakes/gitlab';
import { pkceChallenge } from '../fakes/oauth';
import type { Simulator } from '../fakes/simulator';
import { SIMULATED_TOKENS, SIMULATED_USER } from '../helpers/provider-simulators';

// The git server of test/fakes proven with the real git CLI: credentials
// from a credential helper given per command (the helper list reset
// first), each provider's user-name rules, a token revoked between two
// requests, pull-request refs per provider, push, the throttle that makes a
// clone slow enough to cancel, and blobless clones.

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-git-server-test-'));
const servers: GitServer[] = [];
const simulators: Simulator[] = [];
afterAll(async () => {
  await Promise.all([...servers.map((server) => server.close()), ...simulators.map((simulator) => simulator.close())]);
  fs.rmSync(work, { recursive: true, force: true });
  removeBuiltRepositories();
});

async function serve(options: GitServerOptions): Promise<GitServer> {
  const server = await startGitServer(options);
  servers.push(server);
  return server;
}

// A credential helper that records what git asks of it (get, store, erase)
// and the path it was given, and answers `get` from its environment (so no
// token is in any argv or file).
const helper = path.join(work, 'credential-helper.sh');
fs.writeFileSync(
  helper,
  [
    '#!/bin/sh',
    'echo "$1" >> "$HELPER_LOG"',
    'while IFS= read -r line && [ -n "$line" ]; do',
    '  case "$line" in path=*) echo "$1 $line" >> "$HELPER_LOG" ;; esac',
    'done',
    'if [ "$1" = get ]; then',
    '  [ -n "$HELPER_USER" ] && echo "username=$HELPER_USER"',
    '  [ -n "$HELPER_PASSWORD" ] && echo "password=$HELPER_PASSWORD"',
    'fi',
    'exit 0',
    '',
  ].join('\n'),
  { mode: 0o755 },
);

interface Credential {
  readonly user: string;
  readonly password: string;
}

interface GitRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** What the credential helper was asked, in order (get, store, erase). */
  readonly helper: string[];
  /** The path= lines the helper was given. */
  readonly helperPaths: string[];
}

let runs = 0;

/**
 * Runs git with the helper list reset and, given a credential, the
 * recording helper; never a terminal prompt. `started` gets the child (for
 * a Cancel).
 */
function git(args: readonly string[], options: { credential?: Credential | null; cwd?: string; config?: readonly string[]; env?: Record<string, string>; started?: (pid: number) => void } = {}): Promise<GitRun> {
  const log = path.join(work, `helper-${++runs}.log`);
  const config = ['-c', 'credential.helper=', ...(options.credential ? ['-c', `credential.helper=${helper}`] : []), ...(options.config ?? []).flatMap((entry) => ['-c', entry])];
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: work,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: os.devNull,
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    HELPER_LOG: log,
    ...(options.credential ? { HELPER_USER: options.credential.user, HELPER_PASSWORD: options.credential.password } : {}),
    ...options.env,
  };
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...config, ...args], { cwd: options.cwd ?? work, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    if (child.pid !== undefined) options.started?.(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter((line) => line !== '') : [];
      resolve({ code, stdout, stderr, helper: lines.filter((line) => !line.includes(' ')), helperPaths: lines.filter((line) => line.includes(' path=')) });
    });
  });
}

/**
 * How many processes of a process group are still alive. Killed children
 * whose parent died are reparented and stay zombies until PID 1 reaps them
 * (slowly in some containers), so on Linux zombies are not counted; elsewhere
 * the group's existence is the answer.
 */
function liveMembers(pgid: number): number {
  if (fs.existsSync('/proc/self/stat')) {
    let live = 0;
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue; // gone meanwhile
      }
      // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so read after the last ')'.
      const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(group) === pgid && state !== 'Z') live++;
    }
    return live;
  }
  try {
    process.kill(-pgid, 0);
    return 1;
  } catch {
    return 0;
  }
}

const target = () => path.join(work, `clone-${randomBytes(4).toString('hex')}`);

/** Polls until `check` holds (at most `ms`). */
async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const patOf: Record<ProviderKind, string> = {
  github: SIMULATED_TOKENS.github,
  gitlab: SIMULATED_TOKENS.gitlab,
  'bitbucket-cloud': SIMULATED_TOKENS.bitbucketCloud,
  'bitbucket-dc': SIMULATED_TOKENS.bitbucketDc,
  'azure-devops': SIMULATED_TOKENS.azureDevOps,
  'azure-devops-server': SIMULATED_TOKENS.azureDevOpsServer,
};

/** A server for one provider: its sample repository and fork, its rules, its PAT (and `oauthToken` as an OAuth token). */
async function providerServer(kind: ProviderKind, extra: { authorize?: (base: GitAuthorizer, tokens: GitTokens) => GitAuthorizer } = {}) {
  const tokens = new GitTokens([patOf[kind]]).add(`oauth-${kind}`, { kind: 'oauth' });
  const base = providerAuthorizer({ kind, username: SIMULATED_USER.username, tokens });
  const server = await serve({ repositories: await sampleRepositories(kind), authorize: extra.authorize ? extra.authorize(base, tokens) : base });
  return { server, tokens, url: server.url(SAMPLE_PATHS[kind].repository), forkUrl: server.url(SAMPLE_PATHS[kind].fork), oauthToken: `oauth-${kind}` };
}

describe('clone with a credential helper', () => {
  let github: Awaited<ReturnType<typeof providerServer>>;
  beforeAll(async () => {
    github = await providerServer('github');
  });

  it('clones the sample repository: branches with slashes, tags, folders; the helper is asked once and told to store', async () => {
    const dir = target();
    const run = await git(['clone', '--quiet', github.url, dir], { credential: { user: 'anyone', password: SIMULATED_TOKENS.github } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.helper).toEqual(['get', 'store']);
    const repo = await sampleRepository('github');
    expect((await git(['rev-parse', 'HEAD'], { cwd: dir })).stdout.trim()).toBe(repo.commits.main);
    const remote = (await git(['branch', '-r', '--format=%(refname:short)'], { cwd: dir })).stdout.split('\n');
    expect(remote).toEqual(expect.arrayContaining(['origin/main', 'origin/feature/login/form', 'origin/release/2026.12']));
    expect((await git(['tag'], { cwd: dir })).stdout.split('\n').filter(Boolean)).toEqual([SAMPLE.lightweightTag, SAMPLE.annotatedTag]);
    expect((await git(['cat-file', '-t', SAMPLE.annotatedTag], { cwd: dir })).stdout.trim()).toBe('tag');
    expect((await git(['cat-file', '-t', SAMPLE.lightweightTag], { cwd: dir })).stdout.trim()).toBe('commit');
    for (const folder of SAMPLE.folders) expect(fs.statSync(path.join(dir, folder)).isDirectory()).toBe(true);
    // The first request comes without credentials and is challenged; git then asks the helper.
    const seen = github.server.requests.filter((request) => request.repository === SAMPLE_PATHS.github.repository);
    expect(seen[0]).toMatchObject({ method: 'GET', service: 'upload-pack', user: null, status: 401 });
    expect(seen.slice(1).every((request) => request.user === 'anyone' && request.status === 200)).toBe(true);
    expect(JSON.stringify(github.server.requests)).not.toContain(SIMULATED_TOKENS.github);
  });

  it('"release/2026.12" is a branch and also a folder of main: only the ref list tells them apart', async () => {
    const listed = (await git(['ls-remote', '--heads', github.url], { credential: { user: 'sam', password: SIMULATED_TOKENS.github } })).stdout;
    expect(listed).toContain('\trefs/heads/release/2026.12\n');
    expect(listed).not.toContain('\trefs/heads/release\n');
    const dir = target();
    expect((await git(['clone', '--quiet', '--branch', 'release/2026.12', github.url, dir], { credential: { user: 'sam', password: SIMULATED_TOKENS.github } })).code).toBe(0);
    expect(fs.existsSync(path.join(dir, SAMPLE.releaseFile))).toBe(true);
    expect((await git(['ls-tree', '--name-only', 'origin/main', 'release/2026.12/'], { cwd: dir })).stdout.trim()).toBe('release/2026.12/NOTES.md');
  });

  it('speaks protocol v2 when git asks for it (the Git-Protocol header reaches http-backend)', async () => {
    const run = await git(['ls-remote', '--heads', github.url], { credential: { user: 'sam', password: SIMULATED_TOKENS.github }, config: ['protocol.version=2'], env: { GIT_TRACE_PACKET: '1' } });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('< version 2');
    expect(run.stderr).toContain('> command=ls-refs');
  });

  it('answers the URL without .git too', async () => {
    const run = await git(['ls-remote', github.server.url('/octo/hello')], { credential: { user: 'sam', password: SIMULATED_TOKENS.github } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('refs/heads/main');
  });

  it('without a credential git fails with an authentication error and prompts no one', async () => {
    const run = await git(['clone', github.url, target()], { credential: null });
    expect(run.code).toBe(128);
    expect(run.stderr).toContain("could not read Username for 'http://127.0.0.1");
    expect(run.stderr).toContain('terminal prompts disabled');
  });

  it('a wrong token: 401, and git tells the helper to erase it', async () => {
    const run = await git(['clone', github.url, target()], { credential: { user: 'sam', password: 'not-a-token' } });
    expect(run.code).toBe(128);
    expect(run.stderr).toContain('Authentication failed');
    expect(run.helper).toEqual(['get', 'erase']);
  });

  it('a token revoked between two requests of a clone is refused from then on (401, erase)', async () => {
    let allowed = 0;
    const revoking = await providerServer('github', {
      authorize: (base, tokens) => async (request) => {
        const decision = await base(request);
        if (decision === 'allowed' && ++allowed === 1) tokens.revoke(request.password); // after the ref advertisement
        return decision;
      },
    });
    const run = await git(['clone', revoking.url, target()], { credential: { user: 'sam', password: SIMULATED_TOKENS.github } });
    expect(run.code).toBe(128);
    // Refused on an RPC (not on the ref advertisement), git says "RPC failed; HTTP 401", not "Authentication failed",
    // and erases the credential it had just told the helper to store.
    expect(run.stderr).toContain('RPC failed; HTTP 401');
    expect(run.helper).toEqual(['get', 'store', 'erase']);
    expect(revoking.server.requests.map((request) => [request.method, request.status])).toEqual([
      ['GET', 401],
      ['GET', 200],
      ['POST', 401],
    ]);
    // Given back, it works again.
    revoking.tokens.add(SIMULATED_TOKENS.github);
    expect((await git(['ls-remote', revoking.url], { credential: { user: 'sam', password: SIMULATED_TOKENS.github } })).code).toBe(0);
  });

  it('serves https with the simulators’ certificate, trusted through GIT_SSL_CAINFO only', async () => {
    const secure = await serve({ repositories: await sampleRepositories('github'), authorize: () => 'allowed', tls: true });
    const caFile = path.join(work, 'ca.pem');
    fs.writeFileSync(caFile, secure.ca!);
    const url = secure.url(SAMPLE_PATHS.github.repository);
    expect(url.startsWith('https://127.0.0.1:')).toBe(true);
    const trusted = await git(['ls-remote', url], { credential: { user: 'sam', password: 'x' }, env: { GIT_SSL_CAINFO: caFile } });
    expect(trusted.code).toBe(0);
    expect(trusted.stdout).toContain('refs/heads/main');
    const untrusted = await git(['ls-remote', url], { credential: { user: 'sam', password: 'x' } });
    expect(untrusted.code).toBe(128);
    expect(untrusted.stderr).toMatch(/SSL certificate problem|server certificate verification failed/);
  });
});

describe("each provider's user-name rules (git ls-remote, Basic)", () => {
  const cases: [ProviderKind, 'pat' | 'oauth', string, 'ok' | 'refused'][] = [
    ['github', 'pat', 'anything', 'ok'],
    ['github', 'oauth', 'x-access-token', 'ok'],
    ['gitlab', 'oauth', 'oauth2', 'ok'],
    ['gitlab', 'oauth', 'any-string', 'ok'], // §3.3: any string, oauth2 recommended
    ['gitlab', 'pat', 'whoever', 'ok'],
    ['bitbucket-cloud', 'oauth', BITBUCKET_OAUTH_USERNAME, 'ok'],
    ['bitbucket-cloud', 'oauth', SIMULATED_USER.username, 'refused'],
    ['bitbucket-cloud', 'pat', SIMULATED_USER.username, 'ok'],
    ['bitbucket-cloud', 'pat', BITBUCKET_API_TOKEN_USERNAME, 'ok'],
    ['bitbucket-cloud', 'pat', SIMULATED_USER.email, 'refused'],
    ['bitbucket-dc', 'pat', SIMULATED_USER.username, 'ok'],
    ['bitbucket-dc', 'pat', 'someone-else', 'refused'],
    ['azure-devops', 'pat', 'anything', 'ok'],
    ['azure-devops', 'oauth', SIMULATED_USER.email, 'ok'],
    ['azure-devops-server', 'pat', 'anything', 'ok'],
    ['azure-devops-server', 'oauth', 'anything', 'refused'], // PAT-only
  ];
  const started = new Map<ProviderKind, Promise<Awaited<ReturnType<typeof providerServer>>>>();
  const serverOf = (kind: ProviderKind) => {
    if (!started.has(kind)) started.set(kind, providerServer(kind));
    return started.get(kind)!;
  };

  it.each(cases)('%s, %s token, user %j: %s', async (kind, tokenKind, user, expected) => {
    const { url, oauthToken } = await serverOf(kind);
    const run = await git(['ls-remote', '--heads', url], { credential: { user, password: tokenKind === 'pat' ? patOf[kind] : oauthToken } });
    if (expected === 'ok') {
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('refs/heads/main');
    } else {
      expect(run.code).toBe(128);
      expect(run.stderr).toContain('Authentication failed');
      expect(run.helper).toEqual(['get', 'erase']);
    }
  });

  it("another provider's token is refused", async () => {
    const { url } = await serverOf('gitlab');
    expect((await git(['ls-remote', url], { credential: { user: 'oauth2', password: SIMULATED_TOKENS.github } })).code).toBe(128);
  });

  it('Azure DevOps: with useHttpPath the helper is given the organisation and repository path', async () => {
    const { url } = await serverOf('azure-devops');
    const run = await git(['ls-remote', url], { credential: { user: 'sam', password: SIMULATED_TOKENS.azureDevOps }, config: ['credential.useHttpPath=true'] });
    expect(run.code).toBe(0);
    expect(run.helperPaths[0]).toBe('get path=contoso/Fabrikam/_git/hello');
  });
});

describe('pull/merge-request refs per provider (GIT-AND-DESKTOP §2)', () => {
  const kinds: ProviderKind[] = ['github', 'gitlab', 'bitbucket-dc', 'bitbucket-cloud', 'azure-devops', 'azure-devops-server'];

  it.each(kinds)('%s: ls-remote lists its refs, each fetches the expected commit', async (kind) => {
    const { url } = await providerServer(kind);
    const credential = { user: kind === 'bitbucket-cloud' ? SIMULATED_USER.username : 'sam', password: patOf[kind] };
    const repo = await sampleRepository(kind);
    const listed = (await git(['ls-remote', url], { credential })).stdout;
    const prRefs = listed
      .split('\n')
      .map((line) => line.split('\t')[1])
      .filter((ref): ref is string => ref !== undefined && !ref.startsWith('refs/heads/') && !ref.startsWith('refs/tags/') && ref !== 'HEAD');
    const expected = repo.pullRequests.flatMap((pr) => pr.refs);
    expect(prRefs.sort()).toEqual([...expected].sort());
    expect(expected).toEqual(pullRequestRefs(kind, 7, false).concat(pullRequestRefs(kind, 8, true)));
    if (expected.length === 0) return;
    const dir = target();
    await git(['init', '--quiet', '--bare', dir]);
    const fetched = await git(['fetch', '--quiet', url, ...expected], { cwd: dir, credential });
    expect(fetched.code).toBe(0);
    const heads = fs
      .readFileSync(path.join(dir, 'FETCH_HEAD'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t')[0]);
    const want = repo.pullRequests.flatMap((pr) => pr.refs.map((ref) => (/\/(head|from)$/.test(ref) ? pr.head : pr.merge)));
    expect(heads).toEqual(want);
  });

  it('Azure DevOps has no head ref: the source branch is fetched by name, a fork PR’s from the fork', async () => {
    const { url, forkUrl } = await providerServer('azure-devops');
    const credential = { user: 'sam', password: SIMULATED_TOKENS.azureDevOps };
    const repo = await sampleRepository('azure-devops');
    const dir = target();
    await git(['init', '--quiet', '--bare', dir]);
    const missing = await git(['fetch', url, 'refs/pull/7/head'], { cwd: dir, credential });
    expect(missing.code).toBe(128);
    expect(missing.stderr).toContain("couldn't find remote ref refs/pull/7/head");
    expect((await git(['fetch', '--quiet', url, 'refs/heads/feature/login/form'], { cwd: dir, credential })).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'FETCH_HEAD'), 'utf8').split('\t')[0]).toBe(repo.pullRequests[0]!.head);
    expect((await git(['fetch', '--quiet', forkUrl, `refs/heads/${SAMPLE.forkBranch}`], { cwd: dir, credential })).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'FETCH_HEAD'), 'utf8').split('\t')[0]).toBe(repo.pullRequests[1]!.head);
    expect((await forkRepository()).commits.patch).toBe(repo.pullRequests[1]!.head);
  });

  it('a fork the token cannot reach is forbidden (403) while the base repository is served', async () => {
    const { url, forkUrl } = await providerServer('bitbucket-cloud', {
      authorize: (base) => (request) => (request.path === SAMPLE_PATHS['bitbucket-cloud'].fork ? 'forbidden' : base(request)),
    });
    const credential = { user: BITBUCKET_API_TOKEN_USERNAME, password: SIMULATED_TOKENS.bitbucketCloud };
    expect((await git(['ls-remote', url], { credential })).code).toBe(0);
    const fork = await git(['ls-remote', forkUrl], { credential });
    expect(fork.code).toBe(128);
    expect(fork.stderr).toContain('403');
    expect(fork.helper).toEqual(['get']); // no erase: the credential is not wrong
  });
});

describe('push (receive-pack)', () => {
  it('a write token pushes; a read token is forbidden (403, no erase); a shared built repository refuses pushes', async () => {
    const writable = await copyRepository(await sampleRepository('gitlab'));
    const tokens = new GitTokens([SIMULATED_TOKENS.gitlab, ['read-only-token', { access: 'read' }]]);
    const server = await serve({
      repositories: { '/group/subgroup/hello.git': writable.dir, '/group/subgroup/shared.git': (await sampleRepository('gitlab')).dir },
      authorize: providerAuthorizer({ kind: 'gitlab', username: SIMULATED_USER.username, tokens }),
    });
    const writer = { user: 'sam', password: SIMULATED_TOKENS.gitlab };
    const dir = target();
    expect((await git(['clone', '--quiet', server.url('/group/subgroup/hello.git'), dir], { credential: writer })).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'pushed.txt'), 'pushed\n');
    await git(['add', 'pushed.txt'], { cwd: dir });
    await git(['-c', 'user.name=Sam', '-c', 'user.email=sam@example.test', 'commit', '--quiet', '-m', 'Push me'], { cwd: dir });
    const commit = (await git(['rev-parse', 'HEAD'], { cwd: dir })).stdout.trim();

    const readOnly = await git(['push', 'origin', 'HEAD:refs/heads/pushed'], { cwd: dir, credential: { user: 'sam', password: 'read-only-token' } });
    expect(readOnly.code).not.toBe(0);
    expect(readOnly.stderr).toContain('403');
    expect(readOnly.helper).toEqual(['get']);
    expect(server.requests.at(-1)).toMatchObject({ service: 'receive-pack', status: 403 });

    const pushed = await git(['push', '--quiet', 'origin', 'HEAD:refs/heads/pushed'], { cwd: dir, credential: writer });
    expect(pushed.code).toBe(0);
    expect((await git(['rev-parse', 'refs/heads/pushed'], { cwd: writable.dir })).stdout.trim()).toBe(commit);

    const shared = await git(['push', server.url('/group/subgroup/shared.git'), 'HEAD:refs/heads/pushed'], { cwd: dir, credential: writer });
    expect(shared.code).not.toBe(0);
    expect(shared.stderr).toContain('403');
    expect((await git(['rev-parse', '--verify', '--quiet', 'refs/heads/pushed'], { cwd: (await sampleRepository('gitlab')).dir })).code).not.toBe(0);
  });
});

describe('large and deep repositories', () => {
  const bytes = 8 * 1024 * 1024;

  it('a throttled clone of the large repository is paced, and a Cancel ends git and the server’s http-backend', async () => {
    const large = await largeRepository({ bytes, commits: 100 });
    const rate = 512 * 1024;
    const server = await serve({ repositories: { '/octo/large.git': large.dir }, authorize: () => 'allowed', throttle: rate });
    const dir = target();
    let gitPid = 0;
    const t0 = Date.now();
    const clone = git(['clone', '--progress', server.url('/octo/large.git'), dir], { credential: { user: 'sam', password: 'x' }, started: (pid) => (gitPid = pid) });
    await until(() => server.uploadPackBytes() > 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const backends = server.backends();
    const sent = server.uploadPackBytes();
    const elapsed = (Date.now() - t0) / 1000;
    // The pace: never more than the rate allows since git was started (plus one 50 ms slice).
    expect(sent).toBeLessThanOrEqual(rate * elapsed + rate * 0.05);
    expect(sent).toBeLessThan(bytes);
    expect(backends.length).toBe(1);

    process.kill(-gitPid, 'SIGTERM'); // Cancel: git's whole process group (git-remote-http included)
    const run = await clone;
    expect(run.code).not.toBe(0);
    await until(() => server.backends().length === 0);
    // http-backend's process group (upload-pack, pack-objects) has no live process left.
    await until(() => backends.every((pid) => liveMembers(pid) === 0));
    expect(liveMembers(gitPid)).toBe(0); // nor git's (git-remote-http, index-pack)
    // git removes the half-made clone itself on SIGTERM (GIT-AND-DESKTOP §1.5 "remove_junk").
    expect(fs.existsSync(dir)).toBe(false);
    const pack = server.requests.filter((request) => request.method === 'POST').at(-1)!;
    expect(pack.bytes).toBeLessThan(bytes);
    const after = server.uploadPackBytes();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.uploadPackBytes()).toBe(after);
  });

  it('close() ends the http-backend of a clone in flight', async () => {
    const large = await largeRepository({ bytes, commits: 100 });
    const server = await startGitServer({ repositories: { '/octo/large.git': large.dir }, authorize: () => 'allowed', throttle: 256 * 1024 });
    const clone = git(['clone', server.url('/octo/large.git'), target()], { credential: { user: 'sam', password: 'x' } });
    // Past the ls-refs answer (also upload-pack, a few hundred bytes, its http-backend gone at once): the pack is in flight.
    await until(() => server.uploadPackBytes() > 64 * 1024);
    const backends = server.backends();
    expect(backends.length).toBe(1);
    await server.close();
    expect(server.backends()).toEqual([]);
    expect((await clone).code).not.toBe(0);
    await until(() => backends.every((pid) => liveMembers(pid) === 0));
  });

  it('unthrottled, the whole incompressible content goes over the wire, with progress', async () => {
    const large = await largeRepository({ bytes, commits: 100 });
    const server = await serve({ repositories: { '/octo/large.git': large.dir }, authorize: () => 'allowed' });
    const run = await git(['clone', '--progress', server.url('/octo/large.git'), target()], { credential: { user: 'sam', password: 'x' } });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/Receiving objects: 100% \(\d+\/\d+\), [\d.]+ MiB/);
    expect(server.uploadPackBytes()).toBeGreaterThan(bytes);
  });

  it('a blobless clone of the deep history fetches a fraction of a full one', async () => {
    const deep = await deepHistoryRepository({ commits: 300, files: 10, blobBytes: 2048 });
    const server = await serve({ repositories: { '/octo/deep.git': deep.dir }, authorize: () => 'allowed' });
    const credential = { user: 'sam', password: 'x' };
    const full = await git(['clone', '--quiet', server.url('/octo/deep.git'), target()], { credential });
    expect(full.code).toBe(0);
    const fullBytes = server.uploadPackBytes();
    const blobless = await git(['clone', '--filter=blob:none', server.url('/octo/deep.git'), target()], { credential });
    expect(blobless.code).toBe(0);
    expect(blobless.stderr).not.toContain('filtering not recognized');
    const bloblessBytes = server.uploadPackBytes() - fullBytes;
    expect(fullBytes).toBeGreaterThan(300 * 2048 * 0.7); // base64 text: zlib takes it to about 3/4
    expect(bloblessBytes).toBeLessThan(fullBytes / 4);
  });
});

describe('OAuth access tokens issued by the simulators', () => {
  function post(url: string, ca: string, fields: Record<string, string>): Promise<Record<string, unknown>> {
    const body = new URLSearchParams(fields).toString();
    return new Promise((resolve, reject) => {
      const request = https.request(url, { method: 'POST', ca, headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(Buffer.byteLength(body)) } }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () => resolve(JSON.parse(text) as Record<string, unknown>));
      });
      request.on('error', reject);
      request.end(body);
    });
  }
  const pkce = () => {
    const verifier = randomBytes(32).toString('base64url');
    return { verifier, challenge: pkceChallenge(verifier) };
  };
  const codeOf = (outcome: { kind: string; location?: string }) => new URL(outcome.location!).searchParams.get('code')!;

  it('GitLab: an OAuth token from the simulator clones with oauth2 until it expires on the simulator’s clock', async () => {
    const client = { clientId: 'git-test-client', name: 'Git test', redirectUris: ['http://127.0.0.1/oauth/callback'] };
    const gitlab = await startGitLabSimulator({ clients: [client] });
    simulators.push(gitlab);
    const { verifier, challenge } = pkce();
    const authorize = new URL(`${gitlab.baseUrl}/oauth/authorize`);
    const redirect = 'http://127.0.0.1:45678/oauth/callback';
    for (const [name, value] of Object.entries({ client_id: client.clientId, redirect_uri: redirect, response_type: 'code', state: 's', scope: 'write_repository', code_challenge: challenge, code_challenge_method: 'S256' }))
      authorize.searchParams.set(name, value);
    const tokens = await post(`${gitlab.baseUrl}/oauth/token`, gitlab.ca, { client_id: client.clientId, grant_type: 'authorization_code', code: codeOf(await gitlab.authorize(authorize.toString(), 'allow')), redirect_uri: redirect, code_verifier: verifier });
    const accessToken = String(tokens.access_token);

    const server = await serve({
      repositories: await sampleRepositories('gitlab'),
      authorize: providerAuthorizer({ kind: 'gitlab', username: 'sam', tokens: new GitTokens(), lookup: simulatorOAuthTokens({ kind: 'gitlab', simulator: gitlab }) }),
    });
    const url = server.url(SAMPLE_PATHS.gitlab.repository);
    const run = await git(['ls-remote', '--heads', url], { credential: { user: 'oauth2', password: accessToken } });
    expect(run.code).toBe(0);
    expect(server.requests.at(-1)?.user).toBe('oauth2');
    gitlab.advance(2 * 3600 * 1000 + 1000); // §3.1: two hours
    const expired = await git(['ls-remote', '--heads', url], { credential: { user: 'oauth2', password: accessToken } });
    expect(expired.code).toBe(128);
    expect(expired.helper).toEqual(['get', 'erase']);
  });

  it('Azure DevOps: an Entra token with an Azure DevOps scope clones; one the set revokes is refused', async () => {
    const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const client = { clientId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', name: 'Git test', tenant, redirectUris: ['http://localhost/oauth/callback'] };
    const entra = await startEntraSimulator({ tenants: [tenant], user: SIMULATED_USER, clients: [client] });
    simulators.push(entra);
    const { verifier, challenge } = pkce();
    const scope = '499b84ac-1321-427f-aa17-267ca6975798/vso.code_write offline_access';
    const redirect = 'http://localhost:45678/oauth/callback';
    const authorize = new URL(`${entra.origin}/${tenant}/oauth2/v2.0/authorize`);
    for (const [name, value] of Object.entries({ client_id: client.clientId, redirect_uri: redirect, response_type: 'code', state: 's', scope, code_challenge: challenge, code_challenge_method: 'S256' }))
      authorize.searchParams.set(name, value);
    const tokens = await post(`${entra.origin}/${tenant}/oauth2/v2.0/token`, entra.ca, { client_id: client.clientId, grant_type: 'authorization_code', code: codeOf(await entra.authorize(authorize.toString(), 'allow')), redirect_uri: redirect, code_verifier: verifier, scope });
    const accessToken = String(tokens.access_token);

    const set = new GitTokens();
    const server = await serve({
      repositories: await sampleRepositories('azure-devops'),
      authorize: providerAuthorizer({ kind: 'azure-devops', username: 'sam', tokens: set, lookup: simulatorOAuthTokens({ kind: 'azure-devops', entra }) }),
    });
    const url = server.url(SAMPLE_PATHS['azure-devops'].repository);
    expect((await git(['ls-remote', url], { credential: { user: SIMULATED_USER.email, password: accessToken } })).code).toBe(0);
    set.revoke(accessToken);
    expect((await git(['ls-remote', url], { credential: { user: SIMULATED_USER.email, password: accessToken } })).code).toBe(128);
  });
});
