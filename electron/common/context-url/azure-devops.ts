import type { ProviderHost } from './hosts';
import type { ContextUrlError, ContextUrlResult } from './schema';
import { commitSha, context, encodeSegment, failure, invalidCommit, invalidPull, isName, isRepoPath, noRef, pullNumber, providerLabels } from './text';
import type { RefAndPath, RepoRequest } from './text';

// Azure DevOps Services and Azure DevOps Server (SCM-PROTOCOLS.md §1.6,
// following dotnet/sourcelink's AzureDevOpsUrlParser):
//
//   https://dev.azure.com/{org}/{project}[/{team}]/_git[/_full|/_optimized]/{repo}
//   https://{org}.visualstudio.com[/DefaultCollection]/{project}[/{team}]/_git/…/{repo}
//   …/_git/{repo}                      project == repo
//   …/{repo}?path=/a.ts&version=GB{branch}|GT{tag}|GC{sha}
//   …/{repo}/pullrequest/{n}, …/{repo}/commit/{sha}
//   git@ssh.dev.azure.com:v3/{org}/{project}/{repo}
//   {org}@vs-ssh.visualstudio.com:v3/{org}/{project}/{repo}
//   ssh://{org}@vs-ssh.visualstudio.com[/DefaultCollection]/{project}/_ssh/{repo}
//   {server base}/{collection}/{project}[/{team}]/_git/{repo}   (Azure DevOps Server)
//   ssh://{server}[:22][/{virtual dir}]/{collection}/{project}/_ssh|_git/{repo}

/** Where the repository lives, which decides the host and the clone URL's form. */
export type AzureDevOpsHome =
  /** dev.azure.com, or a configured azure-devops host: organization first in the path. */
  | { type: 'services'; host: ProviderHost }
  /** {org}.visualstudio.com: the organization is the host's first label. */
  | { type: 'visualstudio'; org: string }
  /** A configured Azure DevOps Server: collection first in the path below the base URL. */
  | { type: 'server'; host: ProviderHost };

type RefResult = RefAndPath | ContextUrlError;

const repoPrefixes = new Set(['_full', '_optimized']);

interface RepoPath {
  project: string;
  repo: string;
  /** What follows the repository name (pullrequest/12, commit/{sha}, branches…). */
  tail: readonly string[];
}

function labelOf(home: AzureDevOpsHome): string {
  return home.type === 'server' ? providerLabels['azure-devops-server'] : providerLabels['azure-devops'];
}

/** Azure DevOps names cannot start with "_": such segments are the site's own routes (_git, _workitems…). */
function isAdoName(name: string): boolean {
  return isName(name) && !name.startsWith('_');
}

function invalidAdoName(home: AzureDevOpsHome, what: string): ContextUrlError {
  return failure('invalid-url', `This ${labelOf(home)} URL’s ${what} is not a valid name. Copy the URL again from the repository’s Clone button.`);
}

/** Says what an Azure DevOps page without _git is, from its route segment. */
function pageName(rest: readonly string[], ownerWord: string, owner: string): string {
  const routes = rest.filter((segment) => segment.startsWith('_'));
  const has = (...names: string[]) => routes.some((route) => names.includes(route.toLowerCase()));
  if (has('_workitems', '_queries')) return 'a work item';
  if (has('_boards', '_backlogs', '_sprints')) return 'Boards';
  if (has('_build', '_release', '_releaseprogress', '_pipelines', '_environments', '_library')) return 'Pipelines';
  if (has('_wiki')) return 'a wiki';
  if (has('_artifacts', '_packaging')) return 'Artifacts';
  if (has('_testplans', '_testmanagement')) return 'Test Plans';
  if (has('_settings', '_userssettings', '_admin')) return 'settings';
  if (rest.length === 0) return `the ${ownerWord} “${owner}”`;
  if (rest.length === 1 && routes.length === 0) return `the project “${rest[0]}”`;
  return 'a page that is not a Git repository';
}

function notARepository(home: AzureDevOpsHome, what: string): ContextUrlError {
  return failure(
    'not-a-repository',
    `This ${labelOf(home)} URL points to ${what}, not a Git repository. Open Repos → Files in the project and copy that URL, or use the repository’s Clone URL.`,
  );
}

/**
 * {project?}/{team?}/{marker}/{_full|_optimized?}/{repo}/{tail…}; no project
 * means project == repo. Returns null when no marker is present.
 */
function repoPath(home: AzureDevOpsHome, segments: readonly string[], markers: readonly string[]): RepoPath | ContextUrlError | null {
  const index = segments.findIndex((segment) => markers.includes(segment));
  if (index < 0) return null;
  const before = segments.slice(0, index);
  if (before.length > 2) {
    return failure('invalid-url', `This ${labelOf(home)} URL has more segments before ${segments[index]} than a project and a team. Copy the URL again from the repository.`);
  }
  let after = segments.slice(index + 1);
  if (after[0] !== undefined && repoPrefixes.has(after[0])) after = after.slice(1);
  const [repo, ...tail] = after;
  if (repo === undefined) return notARepository(home, 'the list of the project’s repositories');
  if (!isAdoName(repo)) return invalidAdoName(home, 'repository');
  const project = before[0] ?? repo;
  if (!isAdoName(project)) return invalidAdoName(home, 'project');
  return { project, repo, tail };
}

function v3FormError(): ContextUrlError {
  return failure('invalid-url', 'Azure DevOps SSH URLs have the form git@ssh.dev.azure.com:v3/organization/project/repository. Copy it again from the Clone button.');
}

/** SSH v3 path below v3/{org}/: {project}[/{team}][/_full|/_optimized]/{repo}, project required. */
function v3RepoPath(home: AzureDevOpsHome, segments: readonly string[]): RepoPath | ContextUrlError {
  const expected = v3FormError();
  const repo = segments[segments.length - 1];
  let before = segments.slice(0, -1);
  const last = before[before.length - 1];
  if (last !== undefined && repoPrefixes.has(last)) before = before.slice(0, -1);
  if (repo === undefined || before.length < 1 || before.length > 2) return expected;
  const project = before[0] ?? '';
  if (!isAdoName(project)) return invalidAdoName(home, 'project');
  if (!isAdoName(repo)) return invalidAdoName(home, 'repository');
  return { project, repo, tail: [] };
}

/** The version query of the Files view: GB{branch}, GT{tag}, GC{commit}. */
function versionRef(home: AzureDevOpsHome, version: string | null | undefined): RefResult {
  if (version === undefined || version === '') return noRef;
  const bad = failure(
    'invalid-url',
    `This ${labelOf(home)} URL’s version parameter is not a branch (GB…), tag (GT…) or commit (GC…). Copy the URL again from the Files view.`,
  );
  if (version === null || version.length <= 2) return bad;
  const name = version.slice(2);
  switch (version.slice(0, 2)) {
    case 'GB':
      return { ref: { type: 'branch', name }, path: null, refAmbiguous: false };
    case 'GT':
      return { ref: { type: 'tag', name }, path: null, refAmbiguous: false };
    case 'GC': {
      const sha = commitSha(name);
      return sha ? { ref: { type: 'commit', sha }, path: null, refAmbiguous: false } : bad;
    }
    default:
      return bad;
  }
}

function refFromTail(home: AzureDevOpsHome, request: RepoRequest, tail: readonly string[]): RefResult {
  const kind = home.type === 'server' ? 'azure-devops-server' : 'azure-devops';
  const [what, value] = tail;
  switch (what?.toLowerCase()) {
    case undefined: {
      // The Files view: ?path=/src/a.ts&version=GBmain
      const version = versionRef(home, request.query.get('version'));
      if ('ok' in version) return version;
      const rawPath = request.query.get('path');
      if (rawPath === null || (rawPath !== undefined && !isRepoPath(rawPath))) {
        return failure('invalid-url', `This ${labelOf(home)} URL’s path parameter is not correctly encoded. Copy the URL again from the Files view.`);
      }
      const path = rawPath?.replace(/^\/+/, '') || null;
      return { ...version, path };
    }
    case 'pullrequest': {
      const number = pullNumber(value ?? '');
      return number ? { ref: { type: 'pull', number }, path: null, refAmbiguous: false } : invalidPull(kind, 'pull request');
    }
    case 'commit': {
      const sha = commitSha(value ?? '');
      return sha ? { ref: { type: 'commit', sha }, path: null, refAmbiguous: false } : invalidCommit(kind);
    }
    default:
      // Branches, commits, pull request lists…: the repository, no ref.
      return noRef;
  }
}

function build(home: AzureDevOpsHome, org: string, repoPath: RepoPath, refAndPath: RefAndPath): ContextUrlResult {
  const tail = `${encodeSegment(repoPath.project)}/_git/${encodeSegment(repoPath.repo)}`;
  switch (home.type) {
    case 'services':
      return context({
        provider: 'azure-devops',
        host: home.host.host,
        owner: org,
        project: repoPath.project,
        repo: repoPath.repo,
        refAndPath,
        cloneUrl: `${home.host.origin}/${encodeSegment(org)}/${tail}`,
      });
    case 'visualstudio':
      return context({
        provider: 'azure-devops',
        host: `${home.org}.visualstudio.com`,
        owner: home.org,
        project: repoPath.project,
        repo: repoPath.repo,
        refAndPath,
        cloneUrl: `https://${home.org}.visualstudio.com/${tail}`,
      });
    case 'server':
      return context({
        provider: 'azure-devops-server',
        host: home.host.host,
        owner: org,
        project: repoPath.project,
        repo: repoPath.repo,
        refAndPath,
        cloneUrl: `${home.host.origin}/${encodeSegment(org)}/${tail}`,
      });
  }
}

function withoutDefaultCollection(segments: readonly string[]): readonly string[] {
  return segments[0]?.toLowerCase() === 'defaultcollection' ? segments.slice(1) : segments;
}

/** Web URLs of Azure DevOps Services and Server. */
export function parseAzureDevOpsWeb(request: RepoRequest, home: AzureDevOpsHome): ContextUrlResult {
  let org: string;
  let rest: readonly string[];
  const ownerWord = home.type === 'server' ? 'collection' : 'organization';
  if (home.type === 'visualstudio') {
    org = home.org;
    rest = withoutDefaultCollection(request.segments);
  } else {
    const [first, ...others] = request.segments;
    if (first === undefined) {
      const what = home.type === 'server' ? 'the server, not a collection’s repository' : 'the site itself';
      return notARepository(home, what);
    }
    if (first.startsWith('_')) return notARepository(home, pageName([first, ...others], ownerWord, first));
    if (!isAdoName(first)) return invalidAdoName(home, ownerWord);
    org = first;
    rest = others;
  }
  const parsed = repoPath(home, rest, ['_git']);
  if (parsed === null) return notARepository(home, pageName(rest, ownerWord, org));
  if ('ok' in parsed) return parsed;
  const refAndPath = refFromTail(home, request, parsed.tail);
  if ('ok' in refAndPath) return refAndPath;
  return build(home, org, parsed, refAndPath);
}

/** git@ssh.dev.azure.com:v3/{org}/{project}/{repo} (or a configured azure-devops host). */
export function parseAzureDevOpsSsh(request: RepoRequest, host: ProviderHost): ContextUrlResult {
  const home: AzureDevOpsHome = { type: 'services', host };
  const [version, org, ...rest] = request.segments;
  if (version !== 'v3' || org === undefined) {
    return v3FormError();
  }
  if (!isAdoName(org)) return invalidAdoName(home, 'organization');
  const parsed = v3RepoPath(home, rest);
  if ('ok' in parsed) return parsed;
  return build(home, org, parsed, noRef);
}

/**
 * vs-ssh.visualstudio.com: v3/{org}/{project}/{repo}, or the older
 * ssh://{org}@vs-ssh.visualstudio.com[/DefaultCollection]/{project}/_ssh/{repo}
 * where the organization is the user name.
 */
export function parseVisualStudioSsh(request: RepoRequest): ContextUrlResult {
  const v3 = request.segments[0] === 'v3';
  const rawOrg = v3 ? request.segments[1] : request.user;
  if (rawOrg === undefined || rawOrg === '') {
    return failure(
      'invalid-url',
      'This Azure DevOps SSH URL names no organization. Use the form org@vs-ssh.visualstudio.com:v3/org/project/repository from the Clone button.',
    );
  }
  // The organization becomes {org}.visualstudio.com, so it must be one DNS label.
  const home: AzureDevOpsHome = { type: 'visualstudio', org: rawOrg.toLowerCase() };
  if (!/^[a-z0-9][a-z0-9-]*$/.test(home.org)) return invalidAdoName(home, 'organization');
  const parsed = v3 ? v3RepoPath(home, request.segments.slice(2)) : repoPath(home, withoutDefaultCollection(request.segments), ['_ssh']);
  if (parsed === null) {
    return failure('invalid-url', 'Azure DevOps SSH URLs have the form org@vs-ssh.visualstudio.com:v3/org/project/repository. Copy it again from the Clone button.');
  }
  if ('ok' in parsed) return parsed;
  return build(home, home.org, parsed, noRef);
}

/** Azure DevOps Server over SSH: {collection}/{project}[/{team}]/_ssh|_git/{repo}, below the virtual directory if the path repeats it. */
export function parseAzureDevOpsServerSsh(request: RepoRequest, host: ProviderHost): ContextUrlResult {
  const home: AzureDevOpsHome = { type: 'server', host };
  const [collection, ...rest] = request.segments;
  const parsed = collection === undefined ? null : repoPath(home, rest, ['_ssh', '_git']);
  if (collection === undefined || parsed === null) {
    return failure(
      'invalid-url',
      `Azure DevOps Server SSH URLs have the form ssh://${host.hostname}:22/collection/project/_ssh/repository. Copy it again from the Clone button.`,
    );
  }
  if (!isAdoName(collection)) return invalidAdoName(home, 'collection');
  if ('ok' in parsed) return parsed;
  if (parsed.tail.length > 0) return failure('invalid-url', 'An Azure DevOps Server SSH URL ends with the repository name. Copy it again from the Clone button.');
  return build(home, collection, parsed, noRef);
}
