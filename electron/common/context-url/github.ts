import type { ProviderHost } from './hosts';
import type { ContextUrlResult } from './schema';
import {
  commitSha,
  context,
  encodeSegment,
  extraSshPath,
  failure,
  invalidCommit,
  invalidName,
  invalidPull,
  isName,
  joinPath,
  noRef,
  pullNumber,
  refFromPathSegments,
  withoutGitSuffix,
} from './text';
import type { RefAndPath, RepoRequest } from './text';

// GitHub and GitHub Enterprise Server (SCM-PROTOCOLS.md §2.4):
// /{owner}/{repo}[.git] and below it tree|blob/{ref}/{path}, commit/{sha},
// pull/{n}[/files|/commits…], releases/tag/{tag}.

/**
 * First path segments that are GitHub site pages, never an owner (GitHub
 * reserves them as user names). Not from the spec: a short list of routes
 * whose meaning is certain, so that e.g. /orgs/contoso is not read as a repo.
 */
const siteRoutes = new Set([
  'apps',
  'codespaces',
  'collections',
  'dashboard',
  'enterprises',
  'explore',
  'features',
  'issues',
  'login',
  'logout',
  'marketplace',
  'new',
  'notifications',
  'organizations',
  'orgs',
  'pulls',
  'search',
  'settings',
  'signup',
  'sponsors',
  'topics',
  'users',
]);

type RefResult = RefAndPath | ReturnType<typeof failure>;

function refFromRest(rest: readonly string[]): RefResult {
  const [kind, ...tail] = rest;
  switch (kind) {
    case 'tree':
    case 'blob':
      return refFromPathSegments(tail);
    case 'commit': {
      const sha = commitSha(tail[0] ?? '');
      return sha ? { ref: { type: 'commit', sha }, path: null, refAmbiguous: false } : invalidCommit('github');
    }
    case 'pull': {
      const number = pullNumber(tail[0] ?? '');
      return number ? { ref: { type: 'pull', number }, path: null, refAmbiguous: false } : invalidPull('github', 'pull request');
    }
    case 'releases': {
      // Nothing follows a release's tag, so the rest is the whole tag name.
      const name = tail[0] === 'tag' ? joinPath(tail.slice(1)) : null;
      return name ? { ref: { type: 'tag', name }, path: null, refAmbiguous: false } : noRef;
    }
    default:
      // Issues, actions, wiki…: the URL names the repository and no ref.
      return noRef;
  }
}

export function parseGitHub(request: RepoRequest, host: ProviderHost): ContextUrlResult {
  const [owner, rawRepo, ...rest] = request.segments;
  if (owner === undefined) {
    return failure('not-a-repository', 'This GitHub URL points to the site itself, not a repository. Open a repository and copy its URL.');
  }
  if (siteRoutes.has(owner.toLowerCase())) {
    return failure('not-a-repository', `This GitHub URL points to a site page (/${owner}), not a repository. Open a repository and copy its URL.`);
  }
  if (rawRepo === undefined) {
    return failure(
      'not-a-repository',
      `This GitHub URL points to the user or organization “${owner}”, not a repository. Open one of its repositories and copy that URL.`,
    );
  }
  const repo = withoutGitSuffix(rawRepo);
  if (!isName(owner)) return invalidName('github', 'owner');
  if (!isName(repo)) return invalidName('github', 'repository');
  if (request.via === 'ssh' && rest.length > 0) return extraSshPath('github', `git@${host.hostname}:owner/repo.git`);

  const refAndPath = refFromRest(rest);
  if ('ok' in refAndPath) return refAndPath;
  return context({
    provider: 'github',
    host: host.host,
    owner,
    project: null,
    repo,
    refAndPath,
    cloneUrl: `${host.origin}/${encodeSegment(owner)}/${encodeSegment(repo)}.git`,
  });
}
