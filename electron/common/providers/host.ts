import { checkBaseUrl } from '../context-url/hosts';
import { tryParseUrl } from '../context-url/text';
import type { ProviderKind } from '../provider-kind';
import { providerCatalogue } from './catalogue';

// The Host field of "Add a new provider": what the admin typed, made into
// the base URL Paddock stores, or a sentence saying what to change. The
// result is exactly what the context-URL parser's checkBaseUrl produces, so
// configured hosts and parsed URLs agree.

export const hostErrorCodes = [
  'empty',
  'invalid-url',
  'unsupported-scheme',
  'http-not-allowed',
  'userinfo',
  'query-or-fragment',
  'path-not-allowed',
  'not-a-base-url',
  'fixed-host',
  'other-provider',
] as const;
export type HostErrorCode = (typeof hostErrorCodes)[number];

export type HostWarningCode = 'http' | 'base-path' | 'collection-in-path';

export interface HostWarning {
  readonly code: HostWarningCode;
  readonly message: string;
}

export type NormalizeHostResult =
  | {
      readonly ok: true;
      /** scheme://host[:port][/path]: lower-case host, no default port, no trailing slash. */
      readonly baseUrl: string;
      /** host[:port], the port only when it is not the scheme's default. */
      readonly host: string;
      /** The kept path ("/tfs"), or "" for none. */
      readonly basePath: string;
      /** True for the kind's public service (github.com, gitlab.com, …). */
      readonly isDefaultHost: boolean;
      readonly warnings: readonly HostWarning[];
    }
  | { readonly ok: false; readonly error: { readonly code: HostErrorCode; readonly message: string } };

const maxLength = 2048;

/** The public hosts and the kind that owns each, to catch a host entered under the wrong provider. */
const publicHosts: ReadonlyMap<string, ProviderKind> = new Map([
  ['github.com', 'github'],
  ['api.github.com', 'github'],
  ['gitlab.com', 'gitlab'],
  ['bitbucket.org', 'bitbucket-cloud'],
  ['api.bitbucket.org', 'bitbucket-cloud'],
  ['dev.azure.com', 'azure-devops'],
  ['ssh.dev.azure.com', 'azure-devops'],
]);

/** Path segments that mark a page inside the product rather than the server's root. */
const pageSegments: Partial<Record<ProviderKind, (segment: string) => boolean>> = {
  // '-' is a reserved GitLab name that always ends a project path (§3.4).
  gitlab: (segment) => segment === '-',
  'bitbucket-dc': (segment) => ['scm', 'projects', 'users', 'rest', 'plugins'].includes(segment.toLowerCase()),
  // _git, _apis, _usersSettings, _settings… (§1.6).
  'azure-devops-server': (segment) => segment.startsWith('_'),
};

function fail(code: HostErrorCode, message: string): NormalizeHostResult {
  return { ok: false, error: { code, message } };
}

/**
 * Normalises a host for a provider kind: https (http only where the kind
 * allows it, with a warning), lower-case host, no default port, no trailing
 * slash, the path kept only where it means something (GitLab's relative
 * root, Bitbucket's context path, Azure DevOps Server's virtual directory);
 * user names, queries and fragments refused. A bare host name gets https://.
 */
export function normalizeHost(kind: ProviderKind, input: string): NormalizeHostResult {
  const entry = providerCatalogue[kind];
  const name = entry.displayName;
  const text = input.trim();
  if (text === '') return fail('empty', `Enter the ${name} host, for example ${entry.host.example}.`);
  if (text.length > maxLength) return fail('invalid-url', `The host is longer than ${maxLength} characters.`);

  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  const url = tryParseUrl(hasScheme ? text : `https://${text}`);
  // Chromium's URL parser percent-encodes what the standard refuses in a host ("not a host" → not%20a%20host): refuse it as typed, in the page as in the runner.
  const typedAuthority = (hasScheme ? text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '') : text).split(/[/?#]/)[0] ?? '';
  if (!url || url.hostname === '' || /[\s"<>\\^`{|}%]/.test(typedAuthority) || url.hostname.includes('%')) {
    return fail('invalid-url', `${JSON.stringify(input.trim())} is not a host or URL. Enter one like ${entry.host.example}.`);
  }
  const host = url.port === '' ? url.hostname : `${url.hostname}:${url.port}`;
  // "github.com." names the same server as "github.com" but would slip past every rule that compares names.
  if (url.hostname.endsWith('.') && !url.hostname.startsWith('[')) {
    return fail('invalid-url', `Enter ${url.hostname.replace(/\.+$/, '')} without the dot at its end.`);
  }
  if (!validHostname(url.hostname)) {
    return fail('invalid-url', `${url.hostname} is not a host name. Enter one like ${entry.host.example}.`);
  }
  const warnings: HostWarning[] = [];
  if (url.protocol === 'http:') {
    // Plain http only for servers of one's own: a public service (github.com, gitlab.com…) always has TLS.
    const publicService = publicHosts.has(url.hostname) || url.hostname.endsWith('.visualstudio.com');
    if (!entry.host.http.allowed || publicService) {
      return fail('http-not-allowed', `${name} needs https://. Enter the address as https://${host}${url.pathname === '/' ? '' : url.pathname}.`);
    }
    warnings.push({ code: 'http', message: entry.host.http.warning });
  } else if (url.protocol !== 'https:') {
    return fail('unsupported-scheme', `Enter the web address of ${name}, starting with https://, not ${url.protocol}//.`);
  }
  if (url.username !== '' || url.password !== '') {
    return fail('userinfo', 'Enter the host without a user name or password.');
  }
  if (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#')) {
    return fail('query-or-fragment', 'Enter the host without a query (?…) or fragment (#…).');
  }

  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  // What the URL parser would percent-encode (spaces, quotes, angle brackets…) is a typing slip, not a path.
  const typedPath = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^/]*/, '');
  if (/[\s"<>\\^`{|}]/.test(typedPath)) {
    return fail('invalid-url', `The path ${JSON.stringify(typedPath)} has spaces or characters no server path uses. Enter the address like ${entry.host.example}.`);
  }
  const owner = url.hostname.endsWith('.visualstudio.com') ? 'azure-devops' : publicHosts.get(url.hostname);
  if (owner !== undefined && owner !== kind) {
    const other = providerCatalogue[owner];
    return fail('other-provider', `${url.hostname} is ${other.displayName}: choose ${other.displayName} as the provider, or enter your ${name} host.`);
  }
  if (url.hostname === 'api.github.com') {
    return fail('not-a-base-url', 'api.github.com is GitHub’s API; the host is https://github.com.');
  }

  const defaultUrl = entry.host.default === null ? null : tryParseUrl(entry.host.default);
  const isDefault = defaultUrl !== null && host === defaultUrl.hostname && defaultUrl.port === '' && url.protocol === defaultUrl.protocol;
  if (!entry.host.changeable) {
    const fixed = entry.host.default ?? '';
    if (kind === 'azure-devops' && url.hostname.endsWith('.visualstudio.com')) {
      const org = url.hostname.slice(0, -'.visualstudio.com'.length);
      return fail('fixed-host', `${url.hostname} is the old address of the organization “${org}”. The host is ${fixed}; add ${org} as an organization.`);
    }
    if (!isDefault) return fail('fixed-host', `${name} is only at ${fixed}. For a server of your own, choose ${kind === 'azure-devops' ? 'Azure DevOps Server' : 'Bitbucket Data Center'}.`);
    if (segments.length > 0) {
      const hint = kind === 'azure-devops' ? ` Add “${decodeSegment(segments[0] ?? '')}” as an organization instead.` : ' Enter it without a workspace or repository.';
      return fail('path-not-allowed', `The host is ${fixed}, without a path.${hint}`);
    }
  }

  if (segments.length > 0) {
    if (entry.host.path === 'none' || isDefault) {
      return fail('path-not-allowed', `Enter only the host of ${name}, without a path: https://${host}.`);
    }
    const isPage = pageSegments[kind];
    if (isPage && segments.some(isPage)) {
      return fail('not-a-base-url', `This looks like the address of a page or repository. Enter the server’s address, for example ${entry.host.example}.`);
    }
    const path = `/${segments.join('/')}`;
    if (entry.host.path === 'virtual-directory') {
      const last = segments[segments.length - 1] ?? '';
      if (last.toLowerCase() === 'defaultcollection') {
        warnings.push({
          code: 'collection-in-path',
          message: `${path} ends with DefaultCollection, which is usually a collection. Enter the server with its virtual directory only (for example https://${host}/tfs) and add collections separately.`,
        });
      }
    } else {
      const what = kind === 'gitlab' ? 'GitLab’s relative URL root' : 'Bitbucket’s context path';
      warnings.push({
        code: 'base-path',
        message: `${path} will be treated as ${what}. If it is part of a repository’s address, remove it.`,
      });
    }
  }

  const check = checkBaseUrl(kind, `${url.protocol}//${host}${segments.map((segment) => `/${segment}`).join('')}`);
  if (!check.ok) return fail('invalid-url', check.message);
  return {
    ok: true,
    baseUrl: check.host.origin,
    host: check.host.host,
    basePath: segments.length === 0 ? '' : `/${segments.join('/')}`,
    isDefaultHost: isDefault,
    warnings,
  };
}

/**
 * A host name the network can resolve: an IP address, or dot-separated
 * labels of letters, digits and inner hyphens (RFC 1123), none empty.
 * The URL parser already lower-cased it and turned other scripts into
 * punycode (xn--…), which these rules accept.
 */
function validHostname(hostname: string): boolean {
  if (hostname.startsWith('[')) return true; // IPv6, checked by the URL parser
  if (hostname.length > 253) return false;
  const labels = hostname.replace(/\.$/, '').split('.');
  return labels.every((label) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label));
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
