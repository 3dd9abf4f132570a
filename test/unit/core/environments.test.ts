import { describe, expect, it } from 'vitest';
import type { HostAccess, HostConnection } from '../../../electron/common/api';
import { choiceKey, matchEnvironment } from '../../../electron/core/environments';

const none = (organization: string | null): HostConnection => ({ organization, state: 'none', source: null, account: null, expiresAt: null, tokenId: null, accounts: [] });
const access = (over: Partial<HostAccess>): HostAccess => ({
  host: 'https://github.com',
  kind: 'github',
  runnerId: 'local',
  runnerName: 'Local runner',
  methods: { oauth: true, pat: true },
  managed: false,
  connections: [none(null)],
  ...over,
});

describe('matchEnvironment', () => {
  it('names the one runner with access, with this user’s connection there', () => {
    const match = matchEnvironment('https://github.com/octo/hello/pull/7', [access({})], {});
    expect(match).toMatchObject({ ok: true, context: { provider: 'github', repo: 'hello', ref: { type: 'pull', number: 7 } }, missing: null, remembered: null });
    expect(match.ok && match.candidates).toEqual([{ runnerId: 'local', runnerName: 'Local runner', host: 'https://github.com', organization: null, connection: 'none', methods: { oauth: true, pat: true } }]);
  });

  it('lists every runner with access, and the one chosen before for the host', () => {
    const hosts = [access({}), access({ runnerId: 'r2', runnerName: 'Build server', connections: [{ ...none(null), state: 'connected' }] })];
    const match = matchEnvironment('https://github.com/octo/hello', hosts, { [choiceKey('https://github.com', null)]: 'r2' });
    expect(match.ok && match.candidates.map((c) => [c.runnerId, c.connection])).toEqual([
      ['local', 'none'],
      ['r2', 'connected'],
    ]);
    expect(match.ok && match.remembered).toBe('r2');
    // A remembered runner that no longer has access is not offered.
    expect(matchEnvironment('https://github.com/octo/hello', [access({})], { [choiceKey('https://github.com', null)]: 'gone' })).toMatchObject({ remembered: null });
  });

  it('matches Azure DevOps by organization, and says which admin setting is missing', () => {
    const ado = access({ host: 'https://dev.azure.com', kind: 'azure-devops', connections: [none('contoso')] });
    const url = 'https://dev.azure.com/contoso/web/_git/app?version=GBfeature/login/form';
    expect(matchEnvironment(url, [ado], {})).toMatchObject({ ok: true, candidates: [{ organization: 'contoso' }], missing: null });
    const other = matchEnvironment('https://dev.azure.com/fabrikam/web/_git/app', [ado], {});
    expect(other).toMatchObject({ ok: true, candidates: [] });
    expect(other.ok && other.missing).toContain('Repository access → Azure DevOps → Organizations');
    const elsewhere = matchEnvironment('https://gitlab.com/group/repo', [ado], {});
    expect(elsewhere.ok && elsewhere.missing).toBe('No runner has repository access to GitLab at gitlab.com. An admin adds it in Runners → the runner → Repository access.');
  });

  it('reads self-hosted URLs against the hosts runners know, and passes the parser’s errors on as sentences', () => {
    const gitlab = access({ host: 'https://git.example.test/gitlab', kind: 'gitlab' });
    expect(matchEnvironment('https://git.example.test/gitlab/group/sub/repo/-/tree/main', [gitlab], {})).toMatchObject({ ok: true, context: { owner: 'group/sub', repo: 'repo' }, candidates: [{ host: 'https://git.example.test/gitlab' }] });
    const bad = matchEnvironment('ftp://example.com/x', [gitlab], {});
    expect(bad).toMatchObject({ ok: false, error: { code: 'unsupported-scheme' } });
    expect(!bad.ok && bad.error.message.length).toBeGreaterThan(10);
  });
});
