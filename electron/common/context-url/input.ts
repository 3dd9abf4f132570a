import type { ContextUrlError } from './schema';
import { failure, loneSurrogate, parseQuery, tryParseUrl } from './text';
import type { Query } from './text';
import { emptyQuery } from './text';

// Turns what a person pasted into a locator: a web (http/https) or SSH
// address with its host, user and raw path segments. Provider rules come later.

export type Locator =
  | {
      readonly via: 'web';
      readonly hostname: string;
      /** hostname[:port], the port only when it is not the scheme's default. */
      readonly host: string;
      readonly user: string;
      /** Path segments as the URL writes them (percent-encoded), empty ones dropped. */
      readonly rawSegments: readonly string[];
      readonly query: Query;
    }
  | {
      readonly via: 'ssh';
      readonly hostname: string;
      readonly user: string;
      readonly rawSegments: readonly string[];
      readonly query: Query;
    };

/** Longer input is not a URL anyone pasted. */
export const maxInputLength = 8192;

const webSchemes = new Set(['http', 'https']);
/** ssh and its spellings git accepts, and the read-only git protocol (same host/path layout). */
const sshSchemes = new Set(['ssh', 'git+ssh', 'ssh+git', 'git']);

const example = 'Paste a repository address such as https://github.com/owner/repo or git@github.com:owner/repo.git.';

function pathSegments(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

/** Removes what people paste around a URL: whitespace and <angle brackets>. */
export function unwrap(input: string): string {
  let text = input.trim();
  if (text.startsWith('<') && text.endsWith('>')) text = text.slice(1, -1).trim();
  return text;
}

function localPath(): ContextUrlError {
  return failure(
    'unsupported-scheme',
    'This is a local path. Paddock creates environments from a provider’s https:// or SSH repository URL; copy it from the provider’s Clone button.',
  );
}

function webLocator(text: string): Locator | ContextUrlError {
  const url = tryParseUrl(text);
  if (!url || url.hostname === '') return failure('invalid-url', `This is not a valid web address. ${example}`);
  let user = url.username;
  try {
    user = decodeURIComponent(user);
  } catch {
    // A malformed user name is ignored like any other user name.
  }
  return {
    via: 'web',
    hostname: url.hostname,
    host: url.port === '' ? url.hostname : `${url.hostname}:${url.port}`,
    user,
    rawSegments: pathSegments(url.pathname),
    query: parseQuery(url.search),
  };
}

function sshUrlLocator(text: string): Locator | ContextUrlError {
  const url = tryParseUrl(text);
  if (!url || url.hostname === '') return failure('invalid-url', `This is not a valid SSH address. ${example}`);
  const hostname = url.hostname.toLowerCase();
  if (!isHostname(hostname)) return failure('invalid-url', `This SSH address has an invalid host name. ${example}`);
  return { via: 'ssh', hostname, user: decodeUser(url.username), rawSegments: pathSegments(url.pathname), query: emptyQuery };
}

function decodeUser(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function isHostname(text: string): boolean {
  return /^(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?\.)*[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?\.?$|^\[[0-9a-f:.]+\]$/i.test(text);
}

/** git's "scp-like" SSH form: [user@]host:path, where no "//" follows the colon. */
const scpLike = /^(?:([^@/:\s]+)@)?(\[[0-9A-Fa-f:.]+\]|[^@/:\s[\]]+):(?!\/\/)(.*)$/s;

/**
 * Reads pasted text as a locator, or says why it cannot be one.
 * `sshHostnames` are configured host names that may lack a dot ("gitserver:repo.git").
 */
export function readLocator(input: string, sshHostnames: ReadonlySet<string>): Locator | ContextUrlError {
  if (input.length > maxInputLength) return failure('invalid-url', `This text is too long to be a repository URL (over ${maxInputLength} characters).`);
  const text = unwrap(input);
  if (text === '') return failure('invalid-url', `There is no URL here. ${example}`);
  if (loneSurrogate.test(text)) return failure('invalid-url', `This text contains characters that are not valid in a URL. ${example}`);

  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(text)?.[1]?.toLowerCase();
  if (scheme !== undefined && webSchemes.has(scheme)) return webLocator(text);
  if (scheme !== undefined && sshSchemes.has(scheme) && text.slice(scheme.length + 1).startsWith('//')) return sshUrlLocator(text);
  if (/^[a-zA-Z]:[\\/]/.test(text)) return localPath();

  const scp = scpLike.exec(text);
  if (scp) {
    const [, user = '', rawHost = '', path = ''] = scp;
    const hostname = rawHost.toLowerCase();
    const readsAsHost = user !== '' || hostname.includes('.') || hostname.startsWith('[') || sshHostnames.has(hostname);
    if (readsAsHost) {
      if (!isHostname(hostname)) return failure('invalid-url', `This SSH address has an invalid host name. ${example}`);
      if (/\s/.test(path)) return failure('invalid-url', 'This SSH address contains spaces in its path; spaces in names are written %20.');
      return { via: 'ssh', hostname, user, rawSegments: pathSegments(path), query: emptyQuery };
    }
  }

  if (scheme !== undefined) {
    const shown = scheme.length <= 32 ? `“${scheme}:” URLs` : 'URLs of this kind';
    return failure(
      'unsupported-scheme',
      `${shown} cannot be used to create an environment. Use the repository’s https:// or SSH URL from the provider’s Clone button.`,
    );
  }

  if (/^(?:\/|\\|~|\.\.?(?:\/|\\|$))/.test(text)) return localPath();
  if (text.startsWith('//')) return webLocator(`https:${text}`);

  // A web address pasted without its scheme: "github.com/owner/repo".
  const authority = /^([^/?#\s]+)(?:[/?#]|$)/.exec(text)?.[1] ?? '';
  const authorityHost = authority.slice(authority.lastIndexOf('@') + 1).replace(/:\d*$/, '').toLowerCase();
  if (authorityHost.includes('.') || sshHostnames.has(authorityHost)) return webLocator(`https://${text}`);

  return failure('invalid-url', `This is not a URL. ${example}`);
}
