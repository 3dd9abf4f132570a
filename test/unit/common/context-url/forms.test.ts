import { describe, expect, it } from 'vitest';
import { contextUrlResultSchema, parseContextUrl } from '../../../../electron/common/context-url';
import type { ContextUrl } from '../../../../electron/common/context-url';
import { ctx, hosts } from './fixtures';

// Every URL form of SCM-PROTOCOLS.md §1.6, §2.4, §3.4 and §4.4 (issue 5,
// point 2), with the exact context each must give.

const sha = '0123456789abcdef0123456789abcdef01234567';

type Row = [input: string, expected: ContextUrl];

function table(rows: Row[]) {
  it.each(rows)('%s', (input, expected) => {
    const result = parseContextUrl(input, hosts);
    expect(result).toEqual(expected);
    expect(contextUrlResultSchema.safeParse(result).success).toBe(true);
  });
}

const fabrikamWeb = ctx({
  provider: 'azure-devops',
  host: 'dev.azure.com',
  owner: 'contoso',
  project: 'Fabrikam',
  repo: 'web',
  cloneUrl: 'https://dev.azure.com/contoso/Fabrikam/_git/web',
});

const legacyWeb = ctx({
  provider: 'azure-devops',
  host: 'contoso.visualstudio.com',
  owner: 'contoso',
  project: 'Fabrikam',
  repo: 'web',
  cloneUrl: 'https://contoso.visualstudio.com/Fabrikam/_git/web',
});

describe('Azure DevOps Services (§1.6)', () => {
  table([
    ['https://dev.azure.com/contoso/Fabrikam/_git/web', fabrikamWeb],
    ['https://contoso@dev.azure.com/contoso/Fabrikam/_git/web', fabrikamWeb],
    ['https://contoso:secret-token@dev.azure.com/contoso/Fabrikam/_git/web', fabrikamWeb],
    [
      'https://dev.azure.com/contoso/_git/Fabrikam',
      ctx({
        provider: 'azure-devops',
        host: 'dev.azure.com',
        owner: 'contoso',
        project: 'Fabrikam',
        repo: 'Fabrikam',
        cloneUrl: 'https://dev.azure.com/contoso/Fabrikam/_git/Fabrikam',
      }),
    ],
    [
      'https://dev.azure.com/contoso/My%20Project/_git/My%20Repo',
      ctx({
        provider: 'azure-devops',
        host: 'dev.azure.com',
        owner: 'contoso',
        project: 'My Project',
        repo: 'My Repo',
        cloneUrl: 'https://dev.azure.com/contoso/My%20Project/_git/My%20Repo',
      }),
    ],
    [
      'https://dev.azure.com/contoso/Caf%C3%A9%20%26%20Bar/_git/R%C3%A9po%2B1',
      ctx({
        provider: 'azure-devops',
        host: 'dev.azure.com',
        owner: 'contoso',
        project: 'Café & Bar',
        repo: 'Répo+1',
        cloneUrl: 'https://dev.azure.com/contoso/Caf%C3%A9%20%26%20Bar/_git/R%C3%A9po%2B1',
      }),
    ],
    ['https://contoso.visualstudio.com/Fabrikam/_git/web', legacyWeb],
    ['https://contoso.visualstudio.com/DefaultCollection/Fabrikam/_git/web', legacyWeb],
    ['https://Contoso.VisualStudio.com/defaultcollection/Fabrikam/_git/web', legacyWeb],
    [
      'https://contoso.visualstudio.com/DefaultCollection/_git/web',
      ctx({
        provider: 'azure-devops',
        host: 'contoso.visualstudio.com',
        owner: 'contoso',
        project: 'web',
        repo: 'web',
        cloneUrl: 'https://contoso.visualstudio.com/web/_git/web',
      }),
    ],
    ['https://contoso.visualstudio.com/Fabrikam/TeamA/_git/web', legacyWeb],
    ['https://dev.azure.com/contoso/Fabrikam/TeamA/_git/web', fabrikamWeb],
    ['https://dev.azure.com/contoso/Fabrikam/_git/_full/web', fabrikamWeb],
    ['https://dev.azure.com/contoso/Fabrikam/_git/_optimized/web', fabrikamWeb],
    ['https://contoso.visualstudio.com/DefaultCollection/Fabrikam/TeamA/_git/_optimized/web', legacyWeb],
    [
      'https://dev.azure.com/contoso/Fabrikam/_git/web?path=/src/a.ts&version=GBfeature/x&_a=contents',
      { ...fabrikamWeb, ref: { type: 'branch', name: 'feature/x' }, path: 'src/a.ts' },
    ],
    [
      'https://dev.azure.com/contoso/Fabrikam/_git/web?path=%2Fsrc%2Fmy%20file.ts&version=GBfeature%2Fx',
      { ...fabrikamWeb, ref: { type: 'branch', name: 'feature/x' }, path: 'src/my file.ts' },
    ],
    ['https://dev.azure.com/contoso/Fabrikam/_git/web?version=GTv1.0', { ...fabrikamWeb, ref: { type: 'tag', name: 'v1.0' } }],
    [
      `https://dev.azure.com/contoso/Fabrikam/_git/web?path=/a.ts&version=GC${sha}`,
      { ...fabrikamWeb, ref: { type: 'commit', sha }, path: 'a.ts' },
    ],
    ['https://dev.azure.com/contoso/Fabrikam/_git/web?path=/&version=GBmain', { ...fabrikamWeb, ref: { type: 'branch', name: 'main' } }],
    ['https://dev.azure.com/contoso/Fabrikam/_git/web/pullrequest/12', { ...fabrikamWeb, ref: { type: 'pull', number: 12 } }],
    ['https://dev.azure.com/contoso/Fabrikam/_git/web/pullrequest/12?_a=files', { ...fabrikamWeb, ref: { type: 'pull', number: 12 } }],
    [
      `https://dev.azure.com/contoso/Fabrikam/_git/web/commit/${sha}?refName=refs/heads/develop`,
      { ...fabrikamWeb, ref: { type: 'commit', sha } },
    ],
    ['https://contoso.visualstudio.com/Fabrikam/_git/web/pullrequest/7', { ...legacyWeb, ref: { type: 'pull', number: 7 } }],
    ['https://dev.azure.com/contoso/Fabrikam/_git/web/branches', fabrikamWeb],
    ['git@ssh.dev.azure.com:v3/contoso/Fabrikam/web', fabrikamWeb],
    ['ssh://git@ssh.dev.azure.com/v3/contoso/Fabrikam/web', fabrikamWeb],
    ['ssh://git@ssh.dev.azure.com:22/v3/contoso/Fabrikam/web', fabrikamWeb],
    ['git@ssh.dev.azure.com:v3/contoso/Fabrikam/TeamA/_full/web', fabrikamWeb],
    [
      'git@ssh.dev.azure.com:v3/contoso/My%20Project/My%20Repo',
      ctx({
        provider: 'azure-devops',
        host: 'dev.azure.com',
        owner: 'contoso',
        project: 'My Project',
        repo: 'My Repo',
        cloneUrl: 'https://dev.azure.com/contoso/My%20Project/_git/My%20Repo',
      }),
    ],
    ['contoso@vs-ssh.visualstudio.com:v3/contoso/Fabrikam/web', legacyWeb],
    ['ssh://contoso@vs-ssh.visualstudio.com:22/v3/Contoso/Fabrikam/web', legacyWeb],
    ['ssh://contoso@vs-ssh.visualstudio.com/DefaultCollection/Fabrikam/_ssh/web', legacyWeb],
    ['ssh://contoso@vs-ssh.visualstudio.com:22/Fabrikam/_ssh/web', legacyWeb],
  ]);
});

const serverWeb = ctx({
  provider: 'azure-devops-server',
  host: 'tfs.contoso.com',
  owner: 'DefaultCollection',
  project: 'Fabrikam',
  repo: 'web',
  cloneUrl: 'https://tfs.contoso.com/tfs/DefaultCollection/Fabrikam/_git/web',
});

const serverNoVirtualDirectory = ctx({
  provider: 'azure-devops-server',
  host: 'ado.contoso.com',
  owner: 'Coll',
  project: 'Fabrikam',
  repo: 'web',
  cloneUrl: 'https://ado.contoso.com/Coll/Fabrikam/_git/web',
});

describe('Azure DevOps Server (§1.6, configured base URLs)', () => {
  table([
    ['https://tfs.contoso.com/tfs/DefaultCollection/Fabrikam/_git/web', serverWeb],
    ['https://tfs.contoso.com/TFS/DefaultCollection/Fabrikam/_git/web', serverWeb],
    ['https://tfs.contoso.com/tfs/DefaultCollection/Fabrikam/TeamA/_git/web', serverWeb],
    ['https://tfs.contoso.com/tfs/DefaultCollection/Fabrikam/_git/web/pullrequest/3', { ...serverWeb, ref: { type: 'pull', number: 3 } }],
    [
      'https://tfs.contoso.com/tfs/DefaultCollection/Fabrikam/_git/web?path=/README.md&version=GBrelease/2.0',
      { ...serverWeb, ref: { type: 'branch', name: 'release/2.0' }, path: 'README.md' },
    ],
    [
      'https://tfs.contoso.com/tfs/DefaultCollection/_git/Fabrikam',
      { ...serverWeb, repo: 'Fabrikam', cloneUrl: 'https://tfs.contoso.com/tfs/DefaultCollection/Fabrikam/_git/Fabrikam' },
    ],
    ['https://ado.contoso.com/Coll/Fabrikam/_git/web', serverNoVirtualDirectory],
    ['ssh://ado.contoso.com:22/Coll/Fabrikam/_ssh/web', serverNoVirtualDirectory],
    ['ssh://ado.contoso.com:22/Coll/Fabrikam/_git/web', serverNoVirtualDirectory],
    ['ssh://tfs.contoso.com:22/tfs/DefaultCollection/Fabrikam/_ssh/web', serverWeb],
    ['ssh://tfs.contoso.com:22/DefaultCollection/Fabrikam/_ssh/web', serverWeb],
    [
      'http://tfs.local:8080/tfs/DefaultCollection/My%20Project/_git/My%20Repo',
      ctx({
        provider: 'azure-devops-server',
        host: 'tfs.local:8080',
        owner: 'DefaultCollection',
        project: 'My Project',
        repo: 'My Repo',
        cloneUrl: 'http://tfs.local:8080/tfs/DefaultCollection/My%20Project/_git/My%20Repo',
      }),
    ],
  ]);
});

const hello = ctx({ provider: 'github', host: 'github.com', owner: 'octo', project: null, repo: 'hello', cloneUrl: 'https://github.com/octo/hello.git' });
const ghes = ctx({ provider: 'github', host: 'ghe.example.com', owner: 'octo', project: null, repo: 'hello', cloneUrl: 'https://ghe.example.com/octo/hello.git' });

describe('GitHub and GitHub Enterprise Server (§2.4)', () => {
  table([
    ['https://github.com/octo/hello', hello],
    ['https://github.com/octo/hello.git', hello],
    ['http://github.com/octo/hello', hello],
    ['https://GitHub.com/octo/hello', hello],
    ['git@github.com:octo/hello.git', hello],
    ['ssh://git@github.com/octo/hello.git', hello],
    ['github.com/octo/hello', hello],
    ['https://github.com/octo/hello/tree/main/src', { ...hello, ref: { type: 'branch', name: 'main' }, path: 'src', refAmbiguous: true }],
    ['https://github.com/octo/hello/tree/main', { ...hello, ref: { type: 'branch', name: 'main' }, refAmbiguous: true }],
    [
      'https://github.com/octo/hello/blob/feature/x/README.md',
      { ...hello, ref: { type: 'branch', name: 'feature' }, path: 'x/README.md', refAmbiguous: true },
    ],
    ['https://github.com/octo/hello/tree/feature/x/src', { ...hello, ref: { type: 'branch', name: 'feature' }, path: 'x/src', refAmbiguous: true }],
    [`https://github.com/octo/hello/tree/${sha}/src`, { ...hello, ref: { type: 'commit', sha }, path: 'src' }],
    [`https://github.com/octo/hello/commit/${sha}`, { ...hello, ref: { type: 'commit', sha } }],
    ['https://github.com/octo/hello/commit/ABCDEF1', { ...hello, ref: { type: 'commit', sha: 'abcdef1' } }],
    ['https://github.com/octo/hello/pull/12', { ...hello, ref: { type: 'pull', number: 12 } }],
    ['https://github.com/octo/hello/pull/12/files', { ...hello, ref: { type: 'pull', number: 12 } }],
    ['https://github.com/octo/hello/pull/12/commits', { ...hello, ref: { type: 'pull', number: 12 } }],
    ['https://github.com/octo/hello/releases/tag/v1.2.0', { ...hello, ref: { type: 'tag', name: 'v1.2.0' } }],
    ['https://github.com/octo/hello/issues/7', hello],
    ['https://github.com/octo/hello/blob/main/docs/read%20me.md#L10', { ...hello, ref: { type: 'branch', name: 'main' }, path: 'docs/read me.md', refAmbiguous: true }],
    ['https://ghe.example.com/octo/hello', ghes],
    ['git@ghe.example.com:octo/hello.git', ghes],
    ['https://ghe.example.com/octo/hello/pull/3/files', { ...ghes, ref: { type: 'pull', number: 3 } }],
  ]);
});

const gitlabProject = ctx({
  provider: 'gitlab',
  host: 'gitlab.com',
  owner: 'grp/sub',
  project: null,
  repo: 'proj',
  cloneUrl: 'https://gitlab.com/grp/sub/proj.git',
});
const selfManaged = ctx({
  provider: 'gitlab',
  host: 'git.example.com',
  owner: 'grp/sub',
  project: null,
  repo: 'proj',
  cloneUrl: 'https://git.example.com/gitlab/grp/sub/proj.git',
});

describe('GitLab (§3.4)', () => {
  table([
    [
      'https://gitlab.com/grp/sub/sub2/proj',
      ctx({ provider: 'gitlab', host: 'gitlab.com', owner: 'grp/sub/sub2', project: null, repo: 'proj', cloneUrl: 'https://gitlab.com/grp/sub/sub2/proj.git' }),
    ],
    [
      'https://gitlab.com/grp/sub/sub2/proj.git',
      ctx({ provider: 'gitlab', host: 'gitlab.com', owner: 'grp/sub/sub2', project: null, repo: 'proj', cloneUrl: 'https://gitlab.com/grp/sub/sub2/proj.git' }),
    ],
    ['git@gitlab.com:grp/sub/proj.git', gitlabProject],
    ['ssh://git@gitlab.com/grp/sub/proj.git', gitlabProject],
    ['https://gitlab.com/grp/sub/proj/-/tree/main/src', { ...gitlabProject, ref: { type: 'branch', name: 'main' }, path: 'src', refAmbiguous: true }],
    [
      'https://gitlab.com/grp/sub/proj/-/blob/feature/x/a.ts',
      { ...gitlabProject, ref: { type: 'branch', name: 'feature' }, path: 'x/a.ts', refAmbiguous: true },
    ],
    [`https://gitlab.com/grp/sub/proj/-/commit/${sha}`, { ...gitlabProject, ref: { type: 'commit', sha } }],
    ['https://gitlab.com/grp/sub/proj/-/merge_requests/5', { ...gitlabProject, ref: { type: 'pull', number: 5 } }],
    ['https://gitlab.com/grp/sub/proj/-/merge_requests/5/diffs', { ...gitlabProject, ref: { type: 'pull', number: 5 } }],
    ['https://gitlab.com/grp/sub/proj/-/issues/3', gitlabProject],
    ['https://git.example.com/gitlab/grp/sub/proj', selfManaged],
    ['https://git.example.com/gitlab/grp/sub/proj/-/tree/main', { ...selfManaged, ref: { type: 'branch', name: 'main' }, refAmbiguous: true }],
    ['git@git.example.com:grp/sub/proj.git', selfManaged],
    ['ssh://git@git.example.com:2222/grp/sub/proj.git', selfManaged],
  ]);
});

const bbc = ctx({ provider: 'bitbucket-cloud', host: 'bitbucket.org', owner: 'ws', project: null, repo: 'repo', cloneUrl: 'https://bitbucket.org/ws/repo.git' });
const bbdc = ctx({
  provider: 'bitbucket-dc',
  host: 'bitbucket.example.com',
  owner: 'PROJ',
  project: null,
  repo: 'repo',
  cloneUrl: 'https://bitbucket.example.com/scm/PROJ/repo.git',
});
const bbdcPersonal = ctx({
  provider: 'bitbucket-dc',
  host: 'bitbucket.example.com',
  owner: '~jdoe',
  project: null,
  repo: 'repo',
  cloneUrl: 'https://bitbucket.example.com/scm/~jdoe/repo.git',
});

describe('Bitbucket Cloud and Data Center (§4.4)', () => {
  table([
    ['https://bitbucket.org/ws/repo', bbc],
    ['https://bitbucket.org/ws/repo.git', bbc],
    ['https://user@bitbucket.org/ws/repo.git', bbc],
    ['git@bitbucket.org:ws/repo.git', bbc],
    ['https://bitbucket.org/ws/repo/src/main/README.md', { ...bbc, ref: { type: 'branch', name: 'main' }, path: 'README.md', refAmbiguous: true }],
    [`https://bitbucket.org/ws/repo/src/${sha}/README.md`, { ...bbc, ref: { type: 'commit', sha }, path: 'README.md' }],
    ['https://bitbucket.org/ws/repo/pull-requests/7', { ...bbc, ref: { type: 'pull', number: 7 } }],
    ['https://bitbucket.org/ws/repo/pull-requests/7/diff', { ...bbc, ref: { type: 'pull', number: 7 } }],
    [`https://bitbucket.org/ws/repo/commits/${sha}`, { ...bbc, ref: { type: 'commit', sha } }],
    ['https://bitbucket.example.com/scm/PROJ/repo.git', bbdc],
    ['https://bitbucket.example.com/scm/~jdoe/repo.git', bbdcPersonal],
    ['ssh://git@bitbucket.example.com:7999/PROJ/repo.git', bbdc],
    [
      'ssh://git@bitbucket.example.com:7999/proj/repo.git',
      { ...bbdc, owner: 'proj', cloneUrl: 'https://bitbucket.example.com/scm/proj/repo.git' },
    ],
    ['ssh://git@bitbucket.example.com:7999/~jdoe/repo.git', bbdcPersonal],
    [
      'https://bitbucket.example.com/projects/PROJ/repos/repo/browse/src?at=refs%2Fheads%2Fmain',
      { ...bbdc, ref: { type: 'branch', name: 'main' }, path: 'src' },
    ],
    [
      'https://bitbucket.example.com/projects/PROJ/repos/repo/browse?at=refs%2Ftags%2Fv1.0',
      { ...bbdc, ref: { type: 'tag', name: 'v1.0' } },
    ],
    [
      'https://bitbucket.example.com/projects/PROJ/repos/repo/browse/src/a.ts?at=feature%2Fx',
      { ...bbdc, ref: { type: 'branch', name: 'feature/x' }, path: 'src/a.ts', refAmbiguous: true },
    ],
    [`https://bitbucket.example.com/projects/PROJ/repos/repo/browse?at=${sha}`, { ...bbdc, ref: { type: 'commit', sha } }],
    ['https://bitbucket.example.com/projects/PROJ/repos/repo/pull-requests/9', { ...bbdc, ref: { type: 'pull', number: 9 } }],
    ['https://bitbucket.example.com/projects/PROJ/repos/repo/pull-requests/9/overview', { ...bbdc, ref: { type: 'pull', number: 9 } }],
    [`https://bitbucket.example.com/projects/PROJ/repos/repo/commits/${sha}`, { ...bbdc, ref: { type: 'commit', sha } }],
    ['https://bitbucket.example.com/users/jdoe/repos/repo/browse', bbdcPersonal],
  ]);
});

describe('what people paste around a URL (§ point 2)', () => {
  table([
    ['  https://github.com/octo/hello  ', hello],
    ['\thttps://github.com/octo/hello\n', hello],
    ['<https://github.com/octo/hello>', hello],
    [' < https://github.com/octo/hello/ > ', hello],
    ['https://github.com/octo/hello/', hello],
    ['https://dev.azure.com/contoso/Fabrikam/_git/web/', fabrikamWeb],
    ['<git@ssh.dev.azure.com:v3/contoso/Fabrikam/web>', fabrikamWeb],
    ['git@github.com:octo/hello.git/', hello],
  ]);
});
