// The simulated providers' git (issue 10 point 6): every provider of
// `--simulate` serves its sample repository behind the URL its banner names,
// to the token the banner names, with the user name Paddock's runner sends
// (gitUsername) — so the two sides' rules cannot drift apart unnoticed.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseContextUrl } from '../../electron/common/context-url/parse';
import type { ConfiguredHost } from '../../electron/common/context-url/hosts';
import { gitUsername } from '../../electron/runner/environments/service';
import { removeBuiltRepositories } from '../fakes/git-repos';
import { startProviderSimulators, type ProviderSimulators } from '../helpers/provider-simulators';

let simulators: ProviderSimulators;
let dir: string;
beforeAll(async () => {
  simulators = await startProviderSimulators();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-simgit-'));
}, 60_000);
afterAll(async () => {
  await simulators?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  removeBuiltRepositories();
});

/** git ls-remote of a URL with the credential from a helper script (the token in a file, never argv). */
/** (Asynchronous: the git server answers in this process.) */
function lsRemote(url: string, username: string, token: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const secret = path.join(dir, 'token');
  fs.writeFileSync(secret, token, { mode: 0o600 });
  const helper = `!f() { echo username=${username}; echo "password=$(cat '${secret}')"; }; f`;
  const rewrite = Object.entries(simulators.git.endpoints).flatMap(([from, to]) => ['-c', `url.${to}/.insteadOf=${from}/`]);
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-c', 'credential.helper=', '-c', `credential.helper=${helper}`, ...rewrite, 'ls-remote', '--heads', '--', url],
      { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1' } },
      (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

it('serves each simulated provider’s repositories to its token with the user name the runner sends, and refuses another token', async () => {
  const providers = simulators.simulation.providers;
  const hosts: ConfiguredHost[] = providers.map((p) => ({ kind: p.kind, baseUrl: p.fields.find((f) => f.label === 'Host')!.value }) as ConfiguredHost);
  expect(providers.every((p) => p.repositories.length > 0)).toBe(true);
  for (const provider of providers) {
    for (const url of provider.repositories) {
      const parsed = parseContextUrl(url, hosts);
      expect(parsed.ok, url).toBe(true);
      if (!parsed.ok) continue;
      const account = provider.kind === 'bitbucket-cloud' || provider.kind === 'azure-devops' ? null : provider.account;
      const served = await lsRemote(parsed.cloneUrl, gitUsername(provider.kind, { method: 'pat', account }), provider.personalAccessToken);
      expect(served.status, `${provider.name} ${url}: ${served.stderr}`).toBe(0);
      expect(served.stdout).toContain('refs/heads/main');
    }
    const first = parseContextUrl(provider.repositories[0]!, hosts);
    if (!first.ok) continue;
    const wrong = await lsRemote(first.cloneUrl, 'paddock', 'not-the-token');
    expect(wrong.status, provider.name).not.toBe(0);
    expect(wrong.stderr).toMatch(/Authentication failed|terminal prompts disabled|403/);
  }
});

/** GitHub Enterprise Server's token check (`GET /api/v3/user`) for a token: its status. */
function gheUserStatus(token: string): Promise<number> {
  const ghe = simulators.oauth.githubEnterpriseServer;
  return new Promise((resolve, reject) => {
    const request = https.request(`${ghe.origin}/api/v3/user`, { ca: ghe.ca, headers: { Authorization: `Bearer ${token}` } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
    request.end();
  });
}

it('a token revoked at a simulated host is refused by its API and its git server; a token issued there is taken by both', async () => {
  const ghes = simulators.simulation.providers.find((p) => p.name === 'GitHub Enterprise Server')!;
  const hosts: ConfiguredHost[] = [{ kind: 'github', baseUrl: 'https://ghe.example.test' } as ConfiguredHost];
  const parsed = parseContextUrl(ghes.repositories[0]!, hosts);
  if (!parsed.ok) throw new Error(`${ghes.repositories[0]} does not parse`);
  const username = gitUsername('github', { method: 'pat', account: ghes.account });
  const renewed = 'ghp_simulated_ghes_token_renewed';
  expect(await gheUserStatus(ghes.personalAccessToken)).toBe(200);
  expect(await gheUserStatus(renewed)).toBe(401);
  expect((await lsRemote(parsed.cloneUrl, username, renewed)).status).not.toBe(0);

  simulators.tokens.revoke('https://ghe.example.test', ghes.personalAccessToken);
  simulators.tokens.issue('https://ghe.example.test', renewed);
  try {
    expect(await gheUserStatus(ghes.personalAccessToken)).toBe(401);
    const refused = await lsRemote(parsed.cloneUrl, username, ghes.personalAccessToken);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/Authentication failed|terminal prompts disabled/);
    expect(await gheUserStatus(renewed)).toBe(200);
    expect((await lsRemote(parsed.cloneUrl, username, renewed)).status).toBe(0);
  } finally {
    simulators.tokens.issue('https://ghe.example.test', ghes.personalAccessToken);
    simulators.tokens.revoke('https://ghe.example.test', renewed);
  }
  expect(await gheUserStatus(ghes.personalAccessToken)).toBe(200);
  expect(await gheUserStatus(renewed)).toBe(401);
});
