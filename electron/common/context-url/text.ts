import type { ProviderKind } from '../provider-kind';
import type { ContextRef, ContextUrl, ContextUrlError, ContextUrlErrorCode } from './schema';
import type { WhatwgUrl, WhatwgUrlConstructor } from './whatwg-url';

// Small pure helpers shared by the provider parsers.

const UrlConstructor = (globalThis as unknown as { URL: WhatwgUrlConstructor }).URL;

/** WHATWG URL parsing that reports failure as null instead of throwing. */
export function tryParseUrl(text: string): WhatwgUrl | null {
  try {
    return new UrlConstructor(text);
  } catch {
    return null;
  }
}

export function failure(code: ContextUrlErrorCode, message: string): ContextUrlError {
  return { ok: false, error: { code, message } };
}

/** Percent-decodes one path segment or query value; null when the encoding is malformed. */
export function decodeComponent(raw: string): string | null {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

// eslint-disable-next-line no-control-regex
const controlCharacter = /[\u0000-\u001f\u007f]/;

/** Half of a surrogate pair on its own: not text, and encodeURIComponent throws on it. */
export const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A name that can be one URL path segment of an owner, project or repo. */
export function isName(value: string): boolean {
  return (
    value !== '' &&
    value !== '.' &&
    value !== '..' &&
    !value.includes('/') &&
    !value.includes('\\') &&
    !controlCharacter.test(value) &&
    !loneSurrogate.test(value)
  );
}

/** A path inside the repository: no control characters; empty means none. */
export function isRepoPath(value: string): boolean {
  return !controlCharacter.test(value) && !loneSurrogate.test(value);
}

export const encodeSegment = encodeURIComponent;

/** A commit id as the providers write it in commit URLs: 7 to 64 hex digits, lower-cased. */
export function commitSha(text: string): string | null {
  return /^[0-9a-f]{7,64}$/i.test(text) ? text.toLowerCase() : null;
}

/** A full SHA-1 or SHA-256 object name, the only hex strings read as commits where a branch could also stand. */
export function isFullSha(text: string): boolean {
  return /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i.test(text);
}

/** A pull or merge request number: a positive decimal integer. */
export function pullNumber(text: string): number | null {
  if (!/^[1-9][0-9]{0,15}$/.test(text)) return null;
  const number = Number(text);
  return Number.isSafeInteger(number) ? number : null;
}

/** Strips one trailing ".git" when something is left. */
export function withoutGitSuffix(name: string): string {
  return name.length > 4 && name.toLowerCase().endsWith('.git') ? name.slice(0, -4) : name;
}

export function joinPath(segments: readonly string[]): string | null {
  const path = segments.join('/');
  return path === '' ? null : path;
}

export interface RefAndPath {
  ref: ContextRef | null;
  path: string | null;
  refAmbiguous: boolean;
}

export const noRef: RefAndPath = { ref: null, path: null, refAmbiguous: false };

/**
 * A ref followed by a path in one undelimited run of segments (GitHub
 * tree/blob, GitLab -/tree|blob, Bitbucket Cloud src). A full SHA is a
 * commit; anything else is the shortest reading, a branch named by the first
 * segment, flagged as ambiguous: the name may go on into the path and may be
 * a tag, so the environment step resolves it against the remote's refs.
 */
export function refFromPathSegments(segments: readonly string[]): RefAndPath {
  const [first, ...rest] = segments;
  if (first === undefined) return noRef;
  if (isFullSha(first)) return { ref: { type: 'commit', sha: first.toLowerCase() }, path: joinPath(rest), refAmbiguous: false };
  return { ref: { type: 'branch', name: first }, path: joinPath(rest), refAmbiguous: true };
}

/** Query parameters, first occurrence wins; a value is null when its encoding is malformed. */
export type Query = ReadonlyMap<string, string | null>;

export const emptyQuery: Query = new Map();

export function parseQuery(search: string): Query {
  const query = new Map<string, string | null>();
  if (search.length <= 1) return query;
  for (const pair of search.slice(1).split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const key = decodeComponent((equals < 0 ? pair : pair.slice(0, equals)).replaceAll('+', ' '));
    if (key === null || query.has(key)) continue;
    query.set(key, equals < 0 ? '' : decodeComponent(pair.slice(equals + 1).replaceAll('+', ' ')));
  }
  return query;
}

export interface ContextFields {
  provider: ProviderKind;
  host: string;
  owner: string;
  project: string | null;
  repo: string;
  refAndPath: RefAndPath;
  cloneUrl: string;
}

export function context(fields: ContextFields): ContextUrl {
  return {
    ok: true,
    provider: fields.provider,
    host: fields.host,
    owner: fields.owner,
    project: fields.project,
    repo: fields.repo,
    ref: fields.refAndPath.ref,
    path: fields.refAndPath.path,
    refAmbiguous: fields.refAndPath.refAmbiguous,
    cloneUrl: fields.cloneUrl,
  };
}

/** What a provider parser gets: the decoded path below the provider's base path. */
export interface RepoRequest {
  readonly via: 'web' | 'ssh';
  /** Decoded path segments after the base path (web) or the whole SSH path. */
  readonly segments: readonly string[];
  /** The web URL's query; empty for SSH. */
  readonly query: Query;
  /** The decoded user name before the host, '' when none. */
  readonly user: string;
}

export const providerLabels: Readonly<Record<ProviderKind, string>> = {
  github: 'GitHub',
  gitlab: 'GitLab',
  'bitbucket-cloud': 'Bitbucket',
  'bitbucket-dc': 'Bitbucket Data Center',
  'azure-devops': 'Azure DevOps',
  'azure-devops-server': 'Azure DevOps Server',
};

export function invalidName(provider: ProviderKind, what: string): ContextUrlError {
  return failure(
    'invalid-url',
    `This ${providerLabels[provider]} URL’s ${what} is not a valid name (empty, "." or "..", or containing "/", "\\" or control characters). Copy the URL again from the provider.`,
  );
}

export function invalidCommit(provider: ProviderKind): ContextUrlError {
  return failure('invalid-url', `This ${providerLabels[provider]} commit URL does not end in a commit id (7 to 64 hexadecimal digits). Copy the commit’s URL again.`);
}

export function invalidPull(provider: ProviderKind, what: string): ContextUrlError {
  return failure('invalid-url', `This ${providerLabels[provider]} ${what} URL does not have a valid number. Copy the ${what}’s URL again.`);
}

export function extraSshPath(provider: ProviderKind, expected: string): ContextUrlError {
  return failure('invalid-url', `This ${providerLabels[provider]} SSH URL should have the form ${expected}. Copy it again from the repository’s Clone button.`);
}
