// The runner's network settings (--proxy, --no-proxy, --ca-file, or the
// admin policy's "network") for the git processes it starts, with the same
// meaning they have for its provider requests (providers/http.ts):
//
// * proxy 'env' (the default): git keeps HTTPS_PROXY / http_proxy /
//   NO_PROXY … from the runner's environment, as curl reads them.
// * an explicit proxy: `http.proxy` through the environment's configuration
//   (GIT_CONFIG_COUNT/KEY_n/VALUE_n; never argv: the URL may hold a user name
//   and password), the environment's proxy variables not passed, and the
//   no-proxy list as NO_PROXY / no_proxy (git hands it to curl).
// * a CA file: for Node the file's certificates are ADDED to the built-in
//   roots. git's `http.sslCAInfo` REPLACES its bundle, so the runner writes a
//   combined bundle into its data folder at start — the system's roots, Node's
//   built-in roots and the extra certificates — and gives git that one.
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { readCaBundle, redactProxy, type HttpClientOptions } from '../providers/http';
import type { GitConfigEntry, GitNetwork } from './process';

export type { GitNetwork } from './process';

/** The proxy variables curl and git read from the environment. */
export const PROXY_VARIABLES = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY'] as const;

/** The combined bundle's file name in the runner's data folder. */
export const GIT_CA_BUNDLE_FILE = 'git-ca-bundle.pem';

/**
 * The settings for git from the runner's HTTP options (pure). `caBundle` is
 * the combined bundle's path (writeGitCaBundle), or null when the runner
 * has no CA file (git keeps its own bundle).
 */
export function gitNetworkSettings(
  http: HttpClientOptions,
  caBundle: string | null,
  platform: NodeJS.Platform = process.platform,
  /** The environment git inherits: with `proxy: 'env'` its proxy variables' credentials are hidden in git's lines too. */
  inherited: Readonly<Record<string, string | undefined>> = process.env,
): GitNetwork {
  const config: GitConfigEntry[] = [];
  const env: Record<string, string> = {};
  const drop: string[] = [];
  const secrets: string[] = [];
  let redacted = 'the configured proxy';
  const { proxy } = http;
  if (proxy === 'env') {
    for (const name of PROXY_VARIABLES) {
      const value = inherited[name];
      if (value && !name.toLowerCase().startsWith('no_')) secrets.push(...proxySecrets(value).filter((secret) => secret !== value || /@/.test(value)));
    }
  }
  if (proxy === undefined) {
    // As the HTTP client without a proxy: direct. An empty http.proxy makes git ignore the environment's too.
    config.push({ key: 'http.proxy', value: '' });
    drop.push(...PROXY_VARIABLES);
  } else if (proxy !== 'env') {
    config.push({ key: 'http.proxy', value: proxy.url });
    drop.push(...PROXY_VARIABLES);
    const noProxy = proxy.noProxy?.trim() ?? '';
    if (noProxy !== '') {
      // git reads NO_PROXY, then no_proxy (which wins), and gives the list to curl.
      env.NO_PROXY = noProxy;
      env.no_proxy = noProxy;
    }
    redacted = redactProxy(proxy.url);
    secrets.push(...proxySecrets(proxy.url));
  }
  if (caBundle !== null) {
    config.push({ key: 'http.sslCAInfo', value: caBundle });
    // An https:// proxy's own certificate is checked against the same roots (as the HTTP client's proxyTls).
    config.push({ key: 'http.proxySSLCAInfo', value: caBundle });
    // Git for Windows with http.sslBackend=schannel ignores sslCAInfo unless told; the bundle holds the Windows store's roots too.
    if (platform === 'win32') config.push({ key: 'http.schannelUseSSLCAInfo', value: 'true' });
    // GIT_SSL_CAINFO would win over http.sslCAInfo and leave the runner's certificates out.
    drop.push('GIT_SSL_CAINFO');
  }
  return { config, env, drop, secrets: [...new Set(secrets)].sort((a, b) => b.length - a.length), redacted };
}

/** The proxy URL and each form of its credentials that might be printed: whole, encoded and decoded. */
function proxySecrets(url: string): string[] {
  const found = new Set<string>([url]);
  try {
    const parsed = new URL(url);
    const decode = (text: string) => {
      try {
        return decodeURIComponent(text);
      } catch {
        return text;
      }
    };
    // A short password alone is left (every line would be garbled); the URL and user:password forms still go.
    for (const part of [parsed.password, decode(parsed.password)]) if (part.length >= 4) found.add(part);
    if (parsed.password !== '') found.add(`${parsed.username}:${parsed.password}`);
    // A user name alone (http://token@proxy) is the credential; a short one is left, or every line would be garbled.
    else if (parsed.username.length >= 4) for (const part of [parsed.username, decode(parsed.username)]) found.add(part);
    if (parsed.username !== '' || parsed.password !== '') {
      // git prints URLs without a trailing slash the parser adds.
      found.add(parsed.href);
      found.add(parsed.href.replace(/\/$/, ''));
    }
  } catch {
    // Not a URL: the text itself is all there is to hide.
  }
  // Longest first, so a URL is replaced whole before its password inside it.
  return [...found].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
}

/** PEM certificates in a text, each normalised (line ends, trailing space) so duplicates can be dropped. */
function pemCertificates(text: string): string[] {
  return (text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []).map((pem) => pem.replace(/\r\n/g, '\n').trim());
}

/** Well-known system bundles, for a Node without tls.getCACertificates('system'). */
const SYSTEM_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem', '/etc/ssl/ca-bundle.pem'];

/** The operating system's trusted roots as Node sees them (Linux: OpenSSL's default paths; macOS: the keychain; Windows: the certificate store). */
function systemRoots(): string[] {
  const get = (tls as { getCACertificates?: (type: 'system') => string[] }).getCACertificates;
  if (typeof get === 'function') {
    try {
      return get('system');
    } catch {
      // fall through to the files
    }
  }
  for (const file of SYSTEM_BUNDLES) {
    try {
      return pemCertificates(fs.readFileSync(file, 'utf8'));
    } catch {
      // not here
    }
  }
  return [];
}

/**
 * Writes the bundle git gets when the runner has a CA file: the system's
 * roots (what git trusts without one), Node's built-in roots (what the
 * runner's own requests trust) and the file's certificates, each once.
 * Throws HttpClientConfigError when the CA file cannot be read.
 */
export function writeGitCaBundle(dataDir: string, caFile: string, roots: { system?: readonly string[]; builtIn?: readonly string[] } = {}): string {
  const extra = readCaBundle(caFile);
  const all = [...(roots.system ?? systemRoots()), ...(roots.builtIn ?? tls.rootCertificates), ...extra].flatMap(pemCertificates);
  const unique = [...new Set(all)];
  const file = path.join(dataDir, GIT_CA_BUNDLE_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${unique.join('\n')}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
  return file;
}

/**
 * At the runner's start: the settings for git, the bundle written when there
 * is a CA file (an old one removed when there is none). A CA file that cannot
 * be read is reported in `problem` (the provider requests fail with the same
 * message); git then keeps its own bundle.
 */
export function prepareGitNetwork(dataDir: string, http: HttpClientOptions): { network: GitNetwork; problem: string | null } {
  let bundle: string | null = null;
  let problem: string | null = null;
  if (http.caFile) {
    try {
      bundle = writeGitCaBundle(dataDir, http.caFile);
    } catch (error) {
      problem = (error as Error).message;
    }
  } else {
    fs.rmSync(path.join(dataDir, GIT_CA_BUNDLE_FILE), { force: true });
  }
  return { network: gitNetworkSettings(http, bundle), problem };
}
