// The simulated providers' git (issue 10 point 6): every provider of
// `--simulate` serves its sample repository behind the URL its banner names,
// to the token the banner names, with the user name Paddock's runner sends
// (gitUsername) — so the two sides' rules cannot drift apart unnoticed.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
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
