import { describe, expect, it } from 'vitest';
import { contextUrlResultSchema, parseContextUrl } from '../../../../electron/common/context-url';
import type { ContextUrlError } from '../../../../electron/common/context-url';
import { err, hosts } from './fixtures';

// Every error of issue 5, point 4, with the exact object each input gives.

type Row = [input: string, expected: ContextUrlError];

function table(rows: Row[]) {
  it.each(rows)('%s', (input, expected) => {
    const result = parseContextUrl(input, hosts);
    expect(result).toEqual(expected);
    expect(contextUrlResultSchema.safeParse(result).success).toBe(true);
  });
}

const example = 'Paste a repository address such as https://github.com/owner/repo or git@github.com:owner/repo.git.';
const clone = 'Use the repository’s https:// or SSH URL from the provider’s Clone button.';
const localPath = err(
  'unsupported-scheme',
  'This is a local path. Paddock creates environments from a provider’s https:// or SSH repository URL; copy it from the provider’s Clone button.',
);
const adoAdvice = 'Open Repos → Files in the project and copy that URL, or use the repository’s Clone URL.';

function unknownHost(host: string): ContextUrlError {
  return err(
    'unknown-host',
    `${host} is not a provider host Paddock knows. An administrator must add it under Repository access ` +
      '(as GitHub Enterprise Server, GitLab, Bitbucket Data Center or Azure DevOps Server) before environments can be created from its URLs.',
  );
}

describe('invalid-url', () => {
  table([
    ['', err('invalid-url', `There is no URL here. ${example}`)],
    ['   \n', err('invalid-url', `There is no URL here. ${example}`)],
    ['<>', err('invalid-url', `There is no URL here. ${example}`)],
    ['not a url', err('invalid-url', `This is not a URL. ${example}`)],
    ['octo/hello', err('invalid-url', `This is not a URL. ${example}`)],
    ['git@github.com:octo/\uD83D.git', err('invalid-url', `This text contains characters that are not valid in a URL. ${example}`)],
    ['https://', err('invalid-url', `This is not a valid web address. ${example}`)],
    ['https://exa mple.com/x', err('invalid-url', `This is not a valid web address. ${example}`)],
    ['ssh://git@github.com:octo/hello.git', err('invalid-url', `This is not a valid SSH address. ${example}`)],
    [`https://github.com/${'a'.repeat(9000)}`, err('invalid-url', 'This text is too long to be a repository URL (over 8192 characters).')],
    [
      'https://github.com/octo/%ZZ',
      err('invalid-url', 'This URL contains a malformed percent-encoding (a % not followed by two hexadecimal digits). Copy the URL again.'),
    ],
    [
      'https://github.com/octo/hello/tree/main/a%00b',
      err('invalid-url', 'This URL contains characters that cannot be part of a repository name, ref or path. Copy the URL again from the provider.'),
    ],
    [
      'https://github.com/octo/hello/commit/xyz',
      err('invalid-url', 'This GitHub commit URL does not end in a commit id (7 to 64 hexadecimal digits). Copy the commit’s URL again.'),
    ],
    ['https://github.com/octo/hello/pull/0', err('invalid-url', 'This GitHub pull request URL does not have a valid number. Copy the pull request’s URL again.')],
    [
      'https://github.com/octo/hello/pull/99999999999999999999',
      err('invalid-url', 'This GitHub pull request URL does not have a valid number. Copy the pull request’s URL again.'),
    ],
    [
      'https://gitlab.com/grp/proj/-/merge_requests/x',
      err('invalid-url', 'This GitLab merge request URL does not have a valid number. Copy the merge request’s URL again.'),
    ],
    [
      'git@github.com:octo/hello/extra.git',
      err('invalid-url', 'This GitHub SSH URL should have the form git@github.com:owner/repo.git. Copy it again from the repository’s Clone button.'),
    ],
    [
      'ssh://git@bitbucket.example.com:7999/a/b/c.git',
      err(
        'invalid-url',
        'This Bitbucket Data Center SSH URL should have the form ssh://git@bitbucket.example.com:7999/PROJECT/repo.git. Copy it again from the repository’s Clone button.',
      ),
    ],
    [
      'https://dev.azure.com/contoso/Fabrikam/_git/web?version=GXfoo',
      err(
        'invalid-url',
        'This Azure DevOps URL’s version parameter is not a branch (GB…), tag (GT…) or commit (GC…). Copy the URL again from the Files view.',
      ),
    ],
    [
      'https://dev.azure.com/contoso/Fabrikam/_git/web?version=GCnothex',
      err(
        'invalid-url',
        'This Azure DevOps URL’s version parameter is not a branch (GB…), tag (GT…) or commit (GC…). Copy the URL again from the Files view.',
      ),
    ],
    [
      'https://dev.azure.com/contoso/Fabrikam/_git/web?path=%E0%A4%A',
      err('invalid-url', 'This Azure DevOps URL’s path parameter is not correctly encoded. Copy the URL again from the Files view.'),
    ],
    [
      'https://dev.azure.com/a/b/c/d/_git/web',
      err('invalid-url', 'This Azure DevOps URL has more segments before _git than a project and a team. Copy the URL again from the repository.'),
    ],
    [
      'git@ssh.dev.azure.com:contoso/Fabrikam/web',
      err('invalid-url', 'Azure DevOps SSH URLs have the form git@ssh.dev.azure.com:v3/organization/project/repository. Copy it again from the Clone button.'),
    ],
    [
      'git@ssh.dev.azure.com:v3/contoso/web',
      err('invalid-url', 'Azure DevOps SSH URLs have the form git@ssh.dev.azure.com:v3/organization/project/repository. Copy it again from the Clone button.'),
    ],
    [
      'vs-ssh.visualstudio.com:Fabrikam/_ssh/web',
      err(
        'invalid-url',
        'This Azure DevOps SSH URL names no organization. Use the form org@vs-ssh.visualstudio.com:v3/org/project/repository from the Clone button.',
      ),
    ],
  ]);
});

describe('unsupported-scheme', () => {
  const scheme = (name: string) => err('unsupported-scheme', `“${name}:” URLs cannot be used to create an environment. ${clone}`);
  table([
    ['file:///home/me/repo', scheme('file')],
    ['FILE:///C:/repo', scheme('file')],
    ['javascript:alert(1)', scheme('javascript')],
    ['data:text/html,<b>x</b>', scheme('data')],
    ['vbscript:msgbox', scheme('vbscript')],
    ['ftp://github.com/octo/hello', scheme('ftp')],
    ['mailto:me@example.com', scheme('mailto')],
    ['paddock://open?url=https://github.com/octo/hello', scheme('paddock')],
    ['/home/me/repo', localPath],
    ['~/repo', localPath],
    ['./repo', localPath],
    ['C:\\Users\\me\\repo', localPath],
    ['\\\\server\\share\\repo', localPath],
  ]);
});

describe('unknown-host', () => {
  table([
    ['https://git.example.org/grp/proj', unknownHost('git.example.org')],
    ['git@git.example.org:grp/proj.git', unknownHost('git.example.org')],
    ['ssh://git@git.example.org:7999/PROJ/repo.git', unknownHost('git.example.org')],
    ['https://github.com:8443/octo/hello', unknownHost('github.com:8443')],
    ['https://ghe.example.com:8443/octo/hello', unknownHost('ghe.example.com:8443')],
  ]);

  it('names the host and says an administrator must add it', () => {
    const result = parseContextUrl('https://scm.corp.example/team/app', []);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain('scm.corp.example');
    expect(result.error.message).toMatch(/administrator must add it/);
  });

  it('knows a self-hosted host only once it is configured', () => {
    expect(parseContextUrl('https://tfs.contoso.com/tfs/DefaultCollection/Fabrikam/_git/web', [])).toEqual(unknownHost('tfs.contoso.com'));
    expect(parseContextUrl('https://tfs.contoso.com/tfs/DefaultCollection/Fabrikam/_git/web', hosts).ok).toBe(true);
  });
});

describe('not-a-repository', () => {
  const ado = (what: string) => err('not-a-repository', `This Azure DevOps URL points to ${what}, not a Git repository. ${adoAdvice}`);
  const server = (what: string) => err('not-a-repository', `This Azure DevOps Server URL points to ${what}, not a Git repository. ${adoAdvice}`);
  table([
    [
      'https://github.com/octo',
      err('not-a-repository', 'This GitHub URL points to the user or organization “octo”, not a repository. Open one of its repositories and copy that URL.'),
    ],
    ['https://github.com/', err('not-a-repository', 'This GitHub URL points to the site itself, not a repository. Open a repository and copy its URL.')],
    [
      'https://github.com/orgs/contoso/repositories',
      err('not-a-repository', 'This GitHub URL points to a site page (/orgs), not a repository. Open a repository and copy its URL.'),
    ],
    [
      'https://ghe.example.com/settings/profile',
      err('not-a-repository', 'This GitHub URL points to a site page (/settings), not a repository. Open a repository and copy its URL.'),
    ],
    [
      'https://gitlab.com/grp',
      err('not-a-repository', 'This GitLab URL points to the group or user “grp”, not a project. Open one of its projects and copy that URL.'),
    ],
    ['https://gitlab.com/explore/projects', err('not-a-repository', 'This GitLab URL points to a GitLab page, not a project. Open a project and copy its URL.')],
    ['https://gitlab.com/dashboard/merge_requests', err('not-a-repository', 'This GitLab URL points to a GitLab page, not a project. Open a project and copy its URL.')],
    [
      'https://bitbucket.org/ws',
      err('not-a-repository', 'This Bitbucket URL points to the workspace or user “ws”, not a repository. Open one of its repositories and copy that URL.'),
    ],
    [
      'https://bitbucket.example.com/projects/PROJ',
      err('not-a-repository', 'This Bitbucket Data Center URL points to the project “PROJ”, not a repository. Open one of its repositories and copy that URL.'),
    ],
    [
      'https://bitbucket.example.com/users/jdoe',
      err('not-a-repository', 'This Bitbucket Data Center URL points to the profile of “jdoe”, not a repository. Open one of its repositories and copy that URL.'),
    ],
    [
      'https://bitbucket.example.com/dashboard',
      err('not-a-repository', 'This Bitbucket Data Center URL does not point to a repository. Open a repository and copy its URL.'),
    ],
    ['https://dev.azure.com/contoso/Fabrikam/_workitems/edit/42', ado('a work item')],
    ['https://contoso.visualstudio.com/Fabrikam/_workitems/edit/42', ado('a work item')],
    ['https://dev.azure.com/contoso/Fabrikam', ado('the project “Fabrikam”')],
    ['https://dev.azure.com/contoso', ado('the organization “contoso”')],
    ['https://contoso.visualstudio.com/', ado('the organization “contoso”')],
    ['https://dev.azure.com/', ado('the site itself')],
    ['https://dev.azure.com/contoso/Fabrikam/_boards/board/t/Team/Stories', ado('Boards')],
    ['https://dev.azure.com/contoso/Fabrikam/_build?definitionId=3', ado('Pipelines')],
    ['https://dev.azure.com/contoso/Fabrikam/_wiki/wikis/Fabrikam.wiki', ado('a wiki')],
    ['https://dev.azure.com/contoso/_settings/organizationPolicy', ado('settings')],
    ['https://dev.azure.com/contoso/Fabrikam/_git', ado('the list of the project’s repositories')],
    ['https://tfs.contoso.com/tfs/DefaultCollection/Fabrikam/_workitems/edit/1', server('a work item')],
    ['https://tfs.contoso.com/tfs/DefaultCollection', server('the collection “DefaultCollection”')],
    ['https://tfs.contoso.com/tfs/', server('the server, not a collection’s repository')],
    [
      'https://app.vssps.visualstudio.com/profile/view',
      err(
        'not-a-repository',
        'app.vssps.visualstudio.com is an Azure DevOps service host, not an organization’s web address. Open the repository in Azure DevOps and copy its URL.',
      ),
    ],
    [
      'https://git.example.com/other/proj',
      err(
        'not-a-repository',
        'This URL is outside the provider configured on its host (GitLab at https://git.example.com/gitlab). Copy a repository URL from that provider.',
      ),
    ],
  ]);
});

describe('input that is not a string', () => {
  it('is an invalid-url error, not an exception', () => {
    expect(parseContextUrl(undefined as unknown as string, hosts)).toEqual(err('invalid-url', 'There is no URL here.'));
    expect(parseContextUrl(42 as unknown as string)).toEqual(err('invalid-url', 'There is no URL here.'));
  });
});

describe('credentials', () => {
  it('never puts a user name or password from the input into the result', () => {
    const result = parseContextUrl('https://me:ghp_secret@github.com/octo/hello', hosts);
    expect(JSON.stringify(result)).not.toMatch(/ghp_secret|me:/);
    const failed = parseContextUrl('https://me:ghp_secret@unknown.example/octo/hello', hosts);
    expect(JSON.stringify(failed)).not.toMatch(/ghp_secret/);
  });
});
