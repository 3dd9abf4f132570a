import type { ProviderHost } from './hosts';
import type { ContextUrlResult } from './schema';
import {
  commitSha,
  context,
  encodeSegment,
  failure,
  invalidCommit,
  invalidName,
  invalidPull,
  isName,
  noRef,
  pullNumber,
  refFromPathSegments,
  withoutGitSuffix,
} from './text';
import type { RefAndPath, RepoRequest } from './text';

// GitLab.com and self-managed GitLab (SCM-PROTOCOLS.md §3.4): the project
// path is every segment up to "/-/" (nested groups), then tree|blob/{ref}/{path},
// commit/{sha}, merge_requests/{n}. "-" is a reserved name, so "/-/" always
// ends the project path; without it the whole path is the project path.

/** Top-level names GitLab reserves for its own routes (doc/user/reserved_names.md). */
const topLevelRoutes = new Set([
  '-',
  '.well-known',
  '404.html',
  '422.html',
  '500.html',
  '502.html',
  '503.html',
  'admin',
  'api',
  'apple-touch-icon.png',
  'assets',
  'dashboard',
  'deploy.html',
  'explore',
  'favicon.ico',
  'favicon.png',
  'files',
  'groups',
  'health_check',
  'help',
  'import',
  'jwt',
  'login',
  'oauth',
  'profile',
  'projects',
  'public',
  'robots.txt',
  's',
  'search',
  'sitemap',
  'sitemap.xml',
  'sitemap.xml.gz',
  'slash-command-logo.png',
  'snippets',
  'unsubscribes',
  'uploads',
  'users',
  'v2',
]);

function refFromRest(rest: readonly string[]): RefAndPath | ReturnType<typeof failure> {
  const [kind, ...tail] = rest;
  switch (kind) {
    case 'tree':
    case 'blob':
      return refFromPathSegments(tail);
    case 'commit': {
      const sha = commitSha(tail[0] ?? '');
      return sha ? { ref: { type: 'commit', sha }, path: null, refAmbiguous: false } : invalidCommit('gitlab');
    }
    case 'merge_requests': {
      // The list of merge requests names no single one.
      if (tail.length === 0) return noRef;
      const number = pullNumber(tail[0] ?? '');
      return number ? { ref: { type: 'pull', number }, path: null, refAmbiguous: false } : invalidPull('gitlab', 'merge request');
    }
    default:
      // Issues, pipelines, wikis…: the URL names the project and no ref.
      return noRef;
  }
}

export function parseGitLab(request: RepoRequest, host: ProviderHost): ContextUrlResult {
  const dash = request.segments.indexOf('-');
  const projectPath = dash < 0 ? request.segments : request.segments.slice(0, dash);
  const rest = dash < 0 ? [] : request.segments.slice(dash + 1);
  const first = projectPath[0];
  if (first === undefined || topLevelRoutes.has(first.toLowerCase())) {
    return failure('not-a-repository', 'This GitLab URL points to a GitLab page, not a project. Open a project and copy its URL.');
  }
  if (projectPath.length < 2) {
    return failure(
      'not-a-repository',
      `This GitLab URL points to the group or user “${first}”, not a project. Open one of its projects and copy that URL.`,
    );
  }
  const groups = projectPath.slice(0, -1);
  // GitLab names cannot end in .git, so the suffix is always the clone URL's.
  const repo = withoutGitSuffix(projectPath[projectPath.length - 1] ?? '');
  if (!groups.every(isName)) return invalidName('gitlab', 'group path');
  if (!isName(repo)) return invalidName('gitlab', 'project');

  const refAndPath = refFromRest(rest);
  if ('ok' in refAndPath) return refAndPath;
  return context({
    provider: 'gitlab',
    host: host.host,
    owner: groups.join('/'),
    project: null,
    repo,
    refAndPath,
    cloneUrl: `${host.origin}/${[...groups, repo].map(encodeSegment).join('/')}.git`,
  });
}
