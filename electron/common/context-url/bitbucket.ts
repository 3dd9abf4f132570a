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
  isFullSha,
  isName,
  joinPath,
  noRef,
  pullNumber,
  refFromPathSegments,
  withoutGitSuffix,
} from './text';
import type { RefAndPath, RepoRequest } from './text';

// Bitbucket Cloud and Bitbucket Data Center (SCM-PROTOCOLS.md §4.4).

type RefResult = RefAndPath | ReturnType<typeof failure>;

function commitRef(provider: 'bitbucket-cloud' | 'bitbucket-dc', text: string | undefined): RefResult {
  const sha = commitSha(text ?? '');
  return sha ? { ref: { type: 'commit', sha }, path: null, refAmbiguous: false } : invalidCommit(provider);
}

function pullRef(provider: 'bitbucket-cloud' | 'bitbucket-dc', tail: readonly string[]): RefResult {
  if (tail.length === 0) return noRef;
  const number = pullNumber(tail[0] ?? '');
  return number ? { ref: { type: 'pull', number }, path: null, refAmbiguous: false } : invalidPull(provider, 'pull request');
}

/**
 * Bitbucket Cloud: /{workspace}/{repo}[.git], src/{ref}/{path} (the ref may
 * be a commit), commits/{sha}, pull-requests/{n}.
 */
export function parseBitbucketCloud(request: RepoRequest, host: ProviderHost): ContextUrlResult {
  const [workspace, rawRepo, kind, ...tail] = request.segments;
  if (workspace === undefined) {
    return failure('not-a-repository', 'This Bitbucket URL points to the site itself, not a repository. Open a repository and copy its URL.');
  }
  if (rawRepo === undefined) {
    return failure(
      'not-a-repository',
      `This Bitbucket URL points to the workspace or user “${workspace}”, not a repository. Open one of its repositories and copy that URL.`,
    );
  }
  const repo = withoutGitSuffix(rawRepo);
  if (!isName(workspace)) return invalidName('bitbucket-cloud', 'workspace');
  if (!isName(repo)) return invalidName('bitbucket-cloud', 'repository');
  if (request.via === 'ssh' && kind !== undefined) return extraSshPath('bitbucket-cloud', `git@${host.hostname}:workspace/repo.git`);

  let refAndPath: RefResult = noRef;
  if (kind === 'src') refAndPath = refFromPathSegments(tail);
  else if (kind === 'commits' && tail.length > 0) refAndPath = commitRef('bitbucket-cloud', tail[0]);
  else if (kind === 'pull-requests') refAndPath = pullRef('bitbucket-cloud', tail);
  if ('ok' in refAndPath) return refAndPath;

  return context({
    provider: 'bitbucket-cloud',
    host: host.host,
    owner: workspace,
    project: null,
    repo,
    refAndPath,
    cloneUrl: `${host.origin}/${encodeSegment(workspace)}/${encodeSegment(repo)}.git`,
  });
}

/**
 * The `at` query of a Data Center browse URL: refs/heads/… and refs/tags/…
 * are exact; a full SHA is a commit; a bare name is what Bitbucket shows for
 * a branch or a tag, so it is read as a branch and flagged as ambiguous.
 */
function refFromAt(at: string | null | undefined, path: string | null): RefResult {
  if (at === undefined || at === '') return { ...noRef, path };
  if (at === null) return failure('invalid-url', 'This Bitbucket Data Center URL’s “at” parameter is not correctly encoded. Copy the URL again.');
  if (at.startsWith('refs/heads/') && at.length > 11) return { ref: { type: 'branch', name: at.slice(11) }, path, refAmbiguous: false };
  if (at.startsWith('refs/tags/') && at.length > 10) return { ref: { type: 'tag', name: at.slice(10) }, path, refAmbiguous: false };
  if (isFullSha(at)) return { ref: { type: 'commit', sha: at.toLowerCase() }, path, refAmbiguous: false };
  return { ref: { type: 'branch', name: at }, path, refAmbiguous: true };
}

/**
 * Bitbucket Data Center: clone URLs /scm/{PROJECT}/{repo}.git and
 * /scm/~{user}/{repo}.git; web pages /projects/{PROJECT}/repos/{repo}/… and
 * /users/{user}/repos/{repo}/… with browse/{path}?at=…, pull-requests/{n},
 * commits/{sha}; SSH {PROJECT}/{repo}.git (often on port 7999).
 * Personal repositories are owned by "~user", as their clone URLs write it.
 */
export function parseBitbucketDataCenter(request: RepoRequest, host: ProviderHost): ContextUrlResult {
  const segments = request.segments;
  let owner: string | undefined;
  let rawRepo: string | undefined;
  let rest: readonly string[] = [];

  if (request.via === 'ssh') {
    if (segments.length !== 2) return extraSshPath('bitbucket-dc', `ssh://git@${host.hostname}:7999/PROJECT/repo.git`);
    [owner, rawRepo] = segments;
  } else if (segments[0] === 'scm') {
    [, owner, rawRepo] = segments;
  } else if ((segments[0] === 'projects' || segments[0] === 'users') && segments[1] !== undefined) {
    if (segments[2] !== 'repos' || segments[3] === undefined) {
      const what = segments[0] === 'users' ? `the profile of “${segments[1]}”` : `the project “${segments[1]}”`;
      return failure('not-a-repository', `This Bitbucket Data Center URL points to ${what}, not a repository. Open one of its repositories and copy that URL.`);
    }
    owner = segments[0] === 'users' ? `~${segments[1]}` : segments[1];
    rawRepo = segments[3];
    rest = segments.slice(4);
  }
  if (owner === undefined || rawRepo === undefined) {
    return failure('not-a-repository', 'This Bitbucket Data Center URL does not point to a repository. Open a repository and copy its URL.');
  }
  const repo = withoutGitSuffix(rawRepo);
  if (!isName(owner) || owner === '~') return invalidName('bitbucket-dc', 'project or user');
  if (!isName(repo)) return invalidName('bitbucket-dc', 'repository');

  let refAndPath: RefResult = noRef;
  const [kind, ...tail] = rest;
  if (kind === undefined || kind === 'browse') refAndPath = refFromAt(request.query.get('at'), joinPath(tail));
  else if (kind === 'commits' && tail.length > 0) refAndPath = commitRef('bitbucket-dc', tail[0]);
  else if (kind === 'pull-requests') refAndPath = pullRef('bitbucket-dc', tail);
  if ('ok' in refAndPath) return refAndPath;

  return context({
    provider: 'bitbucket-dc',
    host: host.host,
    owner,
    project: null,
    repo,
    refAndPath,
    cloneUrl: `${host.origin}/scm/${encodeSegment(owner)}/${encodeSegment(repo)}.git`,
  });
}
