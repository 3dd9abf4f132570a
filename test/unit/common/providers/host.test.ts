import { describe, expect, it } from 'vitest';
import { checkBaseUrl, parseContextUrl } from '../../../../electron/common/context-url';
import { providerKinds } from '../../../../electron/common/provider-kind';
import type { ProviderKind } from '../../../../electron/common/provider-kind';
import { normalizeHost } from '../../../../electron/common/providers';

function ok(kind: ProviderKind, input: string) {
  const result = normalizeHost(kind, input);
  if (!result.ok) throw new Error(`${kind} ${input}: ${result.error.message}`);
  return result;
}

function error(kind: ProviderKind, input: string) {
  const result = normalizeHost(kind, input);
  if (result.ok) throw new Error(`${kind} ${input} was accepted as ${result.baseUrl}`);
  return result.error;
}

describe('normalizeHost: accepted hosts', () => {
  it.each<[ProviderKind, string, string]>([
    ['github', 'https://github.com', 'https://github.com'],
    ['github', 'github.com', 'https://github.com'],
    ['github', ' https://GitHub.com/ ', 'https://github.com'],
    ['github', 'https://GHE.Example.com:443/', 'https://ghe.example.com'],
    ['github', 'ghe.example.com:8443', 'https://ghe.example.com:8443'],
    ['github', 'https://[::1]:8443', 'https://[::1]:8443'],
    ['gitlab', 'https://gitlab.com', 'https://gitlab.com'],
    ['gitlab', 'https://git.example.com/gitlab/', 'https://git.example.com/gitlab'],
    ['gitlab', 'git.example.com//gitlab//', 'https://git.example.com/gitlab'],
    ['bitbucket-cloud', 'bitbucket.org', 'https://bitbucket.org'],
    ['bitbucket-cloud', 'https://BITBUCKET.ORG/', 'https://bitbucket.org'],
    ['bitbucket-dc', 'https://bitbucket.example.com', 'https://bitbucket.example.com'],
    ['bitbucket-dc', 'https://example.com/bitbucket', 'https://example.com/bitbucket'],
    ['azure-devops', 'https://dev.azure.com/', 'https://dev.azure.com'],
    ['azure-devops', 'dev.azure.com', 'https://dev.azure.com'],
    ['azure-devops-server', 'https://tfs.example.com/tfs', 'https://tfs.example.com/tfs'],
    ['azure-devops-server', 'https://TFS.example.com/tfs/', 'https://tfs.example.com/tfs'],
    ['azure-devops-server', 'https://ado.example.com', 'https://ado.example.com'],
    ['azure-devops-server', 'https://ado.example.com:443/', 'https://ado.example.com'],
    ['azure-devops-server', 'http://tfs:8080/tfs', 'http://tfs:8080/tfs'],
    ['azure-devops-server', 'http://tfs.example.com:80/tfs', 'http://tfs.example.com/tfs'],
  ])('%s %s → %s', (kind, input, baseUrl) => {
    expect(ok(kind, input).baseUrl).toBe(baseUrl);
  });

  it('reports host, kept path and whether it is the public service', () => {
    expect(ok('github', 'github.com')).toEqual({ ok: true, baseUrl: 'https://github.com', host: 'github.com', basePath: '', isDefaultHost: true, warnings: [] });
    expect(ok('github', 'ghe.example.com:8443')).toMatchObject({ host: 'ghe.example.com:8443', isDefaultHost: false });
    expect(ok('azure-devops-server', 'https://tfs.example.com/tfs/')).toMatchObject({ basePath: '/tfs', isDefaultHost: false, warnings: [] });
  });

  it('keeps the /tfs virtual directory, in the case the admin typed it', () => {
    expect(ok('azure-devops-server', 'https://tfs.example.com/TFS').baseUrl).toBe('https://tfs.example.com/TFS');
  });

  it('allows http for self-hosted servers, with a warning, never for a public service', () => {
    const result = ok('azure-devops-server', 'http://tfs.example.com/tfs');
    expect(result.warnings).toEqual([{ code: 'http', message: expect.stringMatching(/unencrypted/) }]);
    for (const kind of ['github', 'gitlab', 'bitbucket-dc'] as const) {
      const selfHosted = ok(kind, 'http://git.example.com');
      expect(selfHosted.baseUrl, kind).toBe('http://git.example.com');
      expect(selfHosted.warnings, kind).toEqual([{ code: 'http', message: result.warnings[0]?.message }]);
    }
    for (const kind of ['bitbucket-cloud', 'azure-devops'] as const) {
      expect(error(kind, 'http://git.example.com').code, kind).toMatch(/^(http-not-allowed|fixed-host)$/);
    }
    expect(error('github', 'http://github.com/')).toEqual({ code: 'http-not-allowed', message: 'GitHub needs https://. Enter the address as https://github.com.' });
    expect(error('gitlab', 'http://gitlab.com').code).toBe('http-not-allowed');
    expect(error('azure-devops', 'http://dev.azure.com').code).toBe('http-not-allowed');
  });

  it('refuses what is not a host name, and paths with spaces, instead of percent-encoding them', () => {
    // Chromium's URL parser would percent-encode the spaces (not%20a%20host) where Node refuses them: both refuse here.
    for (const input of ['gitlab..example.com', '-git-.example.com', 'git_lab.example.com', 'https://not a host', 'not%20a%20host', 'git lab.example.com/x']) {
      expect(error('gitlab', input).code, input).toBe('invalid-url');
    }
    expect(error('gitlab', 'gitlab.example.com/not a host').message).toMatch(/spaces/);
    expect(error('github', 'ghe.example.com/<x>').code).toBe('invalid-url');
    // A trailing dot names the same server, and would slip past the rules that compare names (http:// for a public service).
    expect(error('github', 'http://github.com.')).toMatchObject({ code: 'invalid-url', message: 'Enter github.com without the dot at its end.' });
    expect(error('gitlab', 'https://gitlab.example.com./x').code).toBe('invalid-url');
    // Intranet names, IP addresses and names in other scripts (punycode) are hosts.
    expect(ok('gitlab', 'gitlab').baseUrl).toBe('https://gitlab');
    expect(ok('gitlab', '10.0.0.1:8080').baseUrl).toBe('https://10.0.0.1:8080');
    expect(ok('gitlab', '[::1]:8443').baseUrl).toBe('https://[::1]:8443');
    expect(ok('gitlab', 'bücher.example').baseUrl).toBe('https://xn--bcher-kva.example');
  });

  it('warns that a GitLab or Bitbucket path becomes the relative root or context path', () => {
    expect(ok('gitlab', 'https://git.example.com/gitlab').warnings).toEqual([
      { code: 'base-path', message: '/gitlab will be treated as GitLab’s relative URL root. If it is part of a repository’s address, remove it.' },
    ]);
    expect(ok('bitbucket-dc', 'https://example.com/bitbucket').warnings[0]?.message).toMatch(/Bitbucket’s context path/);
  });

  it('warns when an Azure DevOps Server address seems to end with a collection', () => {
    expect(ok('azure-devops-server', 'https://tfs.example.com/tfs/DefaultCollection').warnings).toEqual([
      { code: 'collection-in-path', message: expect.stringMatching(/^\/tfs\/DefaultCollection ends with DefaultCollection.*add collections separately\.$/) },
    ]);
  });
});

describe('normalizeHost: refused input', () => {
  it.each<[ProviderKind, string, string]>([
    ['github', '', 'empty'],
    ['github', '   ', 'empty'],
    ['github', 'https://', 'invalid-url'],
    ['github', 'https://exa mple.com', 'invalid-url'],
    ['github', 'git@github.com:octo/hello.git', 'invalid-url'],
    ['github', 'ssh://git@ghe.example.com', 'unsupported-scheme'],
    ['github', 'ftp://ghe.example.com', 'unsupported-scheme'],
    ['github', 'https://user:pw@ghe.example.com', 'userinfo'],
    ['github', 'https://user@ghe.example.com', 'userinfo'],
    ['github', 'https://ghe.example.com/?tab=1', 'query-or-fragment'],
    ['github', 'https://ghe.example.com/?', 'query-or-fragment'],
    ['github', 'https://ghe.example.com/#top', 'query-or-fragment'],
    ['github', 'https://ghe.example.com/octo', 'path-not-allowed'],
    ['github', 'https://github.com/octo/hello', 'path-not-allowed'],
    ['github', 'https://api.github.com', 'not-a-base-url'],
    ['github', 'https://gitlab.com', 'other-provider'],
    ['gitlab', 'https://gitlab.com/group', 'path-not-allowed'],
    ['gitlab', 'https://git.example.com/grp/proj/-/tree/main', 'not-a-base-url'],
    ['gitlab', 'https://github.com', 'other-provider'],
    ['bitbucket-cloud', 'https://bitbucket.example.com', 'fixed-host'],
    ['bitbucket-cloud', 'https://bitbucket.org/workspace', 'path-not-allowed'],
    ['bitbucket-dc', 'https://bb.example.com/scm/PROJ/repo.git', 'not-a-base-url'],
    ['bitbucket-dc', 'https://bb.example.com/projects/PROJ/repos/repo/browse', 'not-a-base-url'],
    ['bitbucket-dc', 'https://bitbucket.org', 'other-provider'],
    ['azure-devops', 'https://tfs.example.com', 'fixed-host'],
    ['azure-devops', 'https://dev.azure.com/contoso', 'path-not-allowed'],
    ['azure-devops', 'https://contoso.visualstudio.com', 'fixed-host'],
    ['azure-devops-server', 'https://dev.azure.com', 'other-provider'],
    ['azure-devops-server', 'https://contoso.visualstudio.com', 'other-provider'],
    ['azure-devops-server', 'https://tfs.example.com/tfs/DefaultCollection/Fabrikam/_git/web', 'not-a-base-url'],
    ['azure-devops-server', 'https://ado.example.com/Coll/_usersSettings/tokens', 'not-a-base-url'],
  ])('%s %j → %s', (kind, input, code) => {
    const refused = error(kind, input);
    expect(refused.code).toBe(code);
    expect(refused.message).toMatch(/^[A-Z“"/a-z0-9].*[.]$/);
  });

  it('says in a sentence what to do', () => {
    expect(error('azure-devops', 'https://dev.azure.com/contoso').message).toBe(
      'The host is https://dev.azure.com, without a path. Add “contoso” as an organization instead.',
    );
    expect(error('azure-devops', 'contoso.visualstudio.com').message).toBe(
      'contoso.visualstudio.com is the old address of the organization “contoso”. The host is https://dev.azure.com; add contoso as an organization.',
    );
    expect(error('bitbucket-cloud', 'bitbucket.example.com').message).toBe(
      'Bitbucket Cloud is only at https://bitbucket.org. For a server of your own, choose Bitbucket Data Center.',
    );
    expect(error('azure-devops', 'tfs.example.com').message).toMatch(/choose Azure DevOps Server\.$/);
    expect(error('github', '').message).toBe('Enter the GitHub host, for example https://github.example.com.');
    expect(error('github', 'https://gitlab.com').message).toBe('gitlab.com is GitLab: choose GitLab as the provider, or enter your GitHub host.');
  });

  it('never throws, whatever the input', () => {
    const inputs = ['%', 'https://%zz', 'http://[::1', '\u0000', 'https://a\u0000b', 'x'.repeat(5000), '://', 'https:////x', '😀.example'];
    for (const kind of providerKinds) for (const input of inputs) expect(() => normalizeHost(kind, input)).not.toThrow();
  });
});

describe('normalizeHost agrees with the context-URL parser', () => {
  it.each<[ProviderKind, string, string, string]>([
    ['github', 'GHE.example.com', 'https://ghe.example.com/octo/hello', 'octo'],
    ['gitlab', 'https://git.example.com/gitlab/', 'https://git.example.com/gitlab/grp/sub/proj', 'grp/sub'],
    ['bitbucket-dc', 'bb.example.com:8443', 'https://bb.example.com:8443/scm/PROJ/repo.git', 'PROJ'],
    ['azure-devops-server', 'https://tfs.example.com/tfs/', 'https://tfs.example.com/tfs/DefaultCollection/Fabrikam/_git/web', 'DefaultCollection'],
    ['azure-devops-server', 'http://tfs:8080/tfs', 'http://tfs:8080/tfs/Coll/Proj/_git/repo', 'Coll'],
    ['azure-devops-server', 'https://ado.example.com', 'https://ado.example.com/Coll/Proj/_git/repo', 'Coll'],
  ])('%s %s reads %s with owner %s', (kind, input, url, owner) => {
    const { baseUrl } = ok(kind, input);
    const check = checkBaseUrl(kind, baseUrl);
    expect(check.ok && check.host.origin).toBe(baseUrl);
    const parsed = parseContextUrl(url, [{ kind, baseUrl }]);
    expect(parsed).toMatchObject({ ok: true, provider: kind, owner });
  });

  it('returns a base URL the parser keeps as is, for every accepted host', () => {
    const accepted = [
      ['github', 'https://ghe.example.com:8443/'],
      ['gitlab', 'HTTPS://Git.Example.COM/GitLab/'],
      ['bitbucket-dc', 'https://example.com/bitbucket'],
      ['azure-devops-server', 'http://TFS:8080/tfs/'],
    ] as const;
    for (const [kind, input] of accepted) {
      const { baseUrl } = ok(kind, input);
      expect(normalizeHost(kind, baseUrl)).toMatchObject({ ok: true, baseUrl });
      const check = checkBaseUrl(kind, baseUrl);
      expect(check.ok && check.host.origin, `${kind} ${input}`).toBe(baseUrl);
    }
  });
});
