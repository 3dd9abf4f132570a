import { describe, expect, it } from 'vitest';
import { configuredHostSchema, parseContextUrl, parseHostSpec } from '../../../../electron/common/context-url';
import { providerKindSchema, providerKinds } from '../../../../electron/common/provider-kind';
import { host } from './fixtures';

describe('provider kinds', () => {
  it('lists the six kinds, and the schema accepts exactly them', () => {
    expect(providerKinds).toEqual(['github', 'gitlab', 'bitbucket-cloud', 'bitbucket-dc', 'azure-devops', 'azure-devops-server']);
    for (const kind of providerKinds) expect(providerKindSchema.parse(kind)).toBe(kind);
    expect(providerKindSchema.safeParse('gitea').success).toBe(false);
  });
});

describe('parseHostSpec', () => {
  it.each([
    ['github=https://ghe.example.com', { kind: 'github', baseUrl: 'https://ghe.example.com' }],
    ['gitlab=https://git.example.com/gitlab/', { kind: 'gitlab', baseUrl: 'https://git.example.com/gitlab' }],
    ['bitbucket-dc=https://Bitbucket.Example.com:443', { kind: 'bitbucket-dc', baseUrl: 'https://bitbucket.example.com' }],
    ['azure-devops-server=https://tfs.example.com/tfs', { kind: 'azure-devops-server', baseUrl: 'https://tfs.example.com/tfs' }],
    ['azure-devops-server=http://tfs:8080/tfs', { kind: 'azure-devops-server', baseUrl: 'http://tfs:8080/tfs' }],
    [' gitlab = https://git.example.com ', { kind: 'gitlab', baseUrl: 'https://git.example.com' }],
  ])('%s', (spec, expected) => {
    expect(parseHostSpec(spec)).toEqual({ ok: true, host: expected });
    expect(configuredHostSchema.safeParse(expected).success).toBe(true);
  });

  it.each([
    ['https://ghe.example.com', 'Expected kind=baseUrl, for example gitlab=https://git.example.com, not "https://ghe.example.com".'],
    [
      'gitea=https://git.example.com',
      'Unknown provider kind "gitea"; use one of github, gitlab, bitbucket-cloud, bitbucket-dc, azure-devops, azure-devops-server.',
    ],
    ['gitlab=git.example.com', 'The base URL "git.example.com" must be an http:// or https:// URL, for example https://git.example.com.'],
    ['gitlab=ssh://git.example.com', 'The base URL "ssh://git.example.com" must be an http:// or https:// URL, for example https://git.example.com.'],
    ['gitlab=https://user:pw@git.example.com', 'The base URL must not contain a user name or password.'],
    ['gitlab=https://git.example.com/?a=b', 'The base URL "https://git.example.com/?a=b" must not have a query or fragment.'],
    ['gitlab=https://git.example.com/#x', 'The base URL "https://git.example.com/#x" must not have a query or fragment.'],
  ])('rejects %s', (spec, message) => {
    expect(parseHostSpec(spec)).toEqual({ ok: false, message });
  });

  it('the schema rejects a base URL parseHostSpec would reject', () => {
    expect(configuredHostSchema.safeParse({ kind: 'gitlab', baseUrl: 'file:///x' }).success).toBe(false);
    expect(configuredHostSchema.safeParse({ kind: 'gitlab', baseUrl: 'https://x', extra: 1 }).success).toBe(false);
  });
});

describe('configured hosts', () => {
  it('ignores entries that are not valid instead of failing', () => {
    const bad = [{ kind: 'gitlab', baseUrl: 'not a url' }, { kind: 'nope', baseUrl: 'https://x.example' }] as never[];
    expect(parseContextUrl('https://github.com/octo/hello', bad).ok).toBe(true);
  });

  it('prefers the longest base path on one host', () => {
    const shared = [host('gitlab=https://code.example.com'), host('azure-devops-server=https://code.example.com/tfs')];
    expect(parseContextUrl('https://code.example.com/tfs/Coll/Proj/_git/repo', shared)).toMatchObject({ provider: 'azure-devops-server', owner: 'Coll' });
    expect(parseContextUrl('https://code.example.com/grp/proj', shared)).toMatchObject({ provider: 'gitlab', owner: 'grp' });
  });

  it('lets a configured host take over a well-known one', () => {
    const local = [host('github=http://github.com')];
    expect(parseContextUrl('http://github.com/octo/hello', local)).toMatchObject({ cloneUrl: 'http://github.com/octo/hello.git' });
  });

  it('can point a cloud kind at a simulator', () => {
    const fake = [host('azure-devops=http://127.0.0.1:7001'), host('bitbucket-cloud=http://127.0.0.1:7002')];
    expect(parseContextUrl('http://127.0.0.1:7001/contoso/Fabrikam/_git/web', fake)).toEqual({
      ok: true,
      provider: 'azure-devops',
      host: '127.0.0.1:7001',
      owner: 'contoso',
      project: 'Fabrikam',
      repo: 'web',
      ref: null,
      path: null,
      refAmbiguous: false,
      cloneUrl: 'http://127.0.0.1:7001/contoso/Fabrikam/_git/web',
    });
    expect(parseContextUrl('http://127.0.0.1:7002/ws/repo', fake)).toMatchObject({ provider: 'bitbucket-cloud', cloneUrl: 'http://127.0.0.1:7002/ws/repo.git' });
  });

  it('reads a dotless configured host name in SSH shorthand', () => {
    const intranet = [host('gitlab=https://gitserver')];
    expect(parseContextUrl('gitserver:grp/proj.git', intranet)).toMatchObject({ provider: 'gitlab', host: 'gitserver', cloneUrl: 'https://gitserver/grp/proj.git' });
    expect(parseContextUrl('gitserver:grp/proj.git', []).ok).toBe(false);
  });

  it('does not confuse a configured host with a different port', () => {
    expect(parseContextUrl('https://git.example.com:8443/grp/proj', [host('gitlab=https://git.example.com')])).toMatchObject({
      ok: false,
      error: { code: 'unknown-host' },
    });
  });
});
