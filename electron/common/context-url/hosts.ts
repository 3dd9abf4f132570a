import { z } from 'zod';
import { providerKinds, providerKindSchema } from '../provider-kind';
import type { ProviderKind } from '../provider-kind';
import { tryParseUrl } from './text';

// Which provider a host belongs to: the well-known cloud hosts, and the
// self-hosted hosts an administrator configured as "kind=baseUrl".

/** A provider host as the parser uses it: where repositories live and how contexts name it. */
export interface ProviderHost {
  readonly kind: ProviderKind;
  /** hostname[:port], the port only when it is not the scheme's default. */
  readonly host: string;
  readonly hostname: string;
  /** scheme://host[/base path], no trailing slash: clone URLs start with it. */
  readonly origin: string;
  /** The base path's segments as the URL writes them, lower-cased for comparison. */
  readonly basePath: readonly string[];
}

export type BaseUrlCheck = { ok: true; host: ProviderHost } | { ok: false; message: string };

/**
 * Validates a configured base URL: http or https, a host, an optional path
 * prefix, nothing else. The normalised form is ProviderHost.origin.
 */
export function checkBaseUrl(kind: ProviderKind, baseUrl: string): BaseUrlCheck {
  const text = baseUrl.trim();
  const url = /^https?:\/\//i.test(text) ? tryParseUrl(text) : null;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return { ok: false, message: `The base URL ${JSON.stringify(baseUrl)} must be an http:// or https:// URL, for example https://git.example.com.` };
  }
  if (url.hostname === '') {
    return { ok: false, message: `The base URL ${JSON.stringify(baseUrl)} names no host.` };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, message: 'The base URL must not contain a user name or password.' };
  }
  if (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#')) {
    return { ok: false, message: `The base URL ${JSON.stringify(baseUrl)} must not have a query or fragment.` };
  }
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  const host = url.port === '' ? url.hostname : `${url.hostname}:${url.port}`;
  const scheme = url.protocol.slice(0, -1);
  return {
    ok: true,
    host: {
      kind,
      host,
      hostname: url.hostname,
      origin: `${scheme}://${host}${segments.map((segment) => `/${segment}`).join('')}`,
      basePath: segments.map((segment) => segment.toLowerCase()),
    },
  };
}

/** A configured provider host, as the provider catalogue stores it. */
export const configuredHostSchema = z
  .object({
    kind: providerKindSchema,
    /** http(s) URL with an optional path prefix (a GitLab relative root, the Azure DevOps Server virtual directory). */
    baseUrl: z.string().min(1),
  })
  .strict()
  .superRefine((value, ctx) => {
    const check = checkBaseUrl(value.kind, value.baseUrl);
    if (!check.ok) ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: check.message });
  });
export type ConfiguredHost = z.infer<typeof configuredHostSchema>;

export type HostSpecResult = { ok: true; host: ConfiguredHost } | { ok: false; message: string };

/** Parses "kind=baseUrl" (the CLI's --host) into a configured host with a normalised base URL. */
export function parseHostSpec(spec: string): HostSpecResult {
  const equals = spec.indexOf('=');
  if (equals < 0) {
    return { ok: false, message: `Expected kind=baseUrl, for example gitlab=https://git.example.com, not ${JSON.stringify(spec)}.` };
  }
  const kind = spec.slice(0, equals).trim();
  const parsedKind = providerKindSchema.safeParse(kind);
  if (!parsedKind.success) {
    return { ok: false, message: `Unknown provider kind ${JSON.stringify(kind)}; use one of ${providerKinds.join(', ')}.` };
  }
  const check = checkBaseUrl(parsedKind.data, spec.slice(equals + 1));
  if (!check.ok) return check;
  return { ok: true, host: { kind: parsedKind.data, baseUrl: check.host.origin } };
}

function wellKnown(kind: ProviderKind, hostname: string): ProviderHost {
  return { kind, host: hostname, hostname, origin: `https://${hostname}`, basePath: [] };
}

/** Cloud hosts that work without configuration (web and SSH). */
const wellKnownHosts: ReadonlyMap<string, ProviderHost> = new Map([
  ['github.com', wellKnown('github', 'github.com')],
  ['gitlab.com', wellKnown('gitlab', 'gitlab.com')],
  ['bitbucket.org', wellKnown('bitbucket-cloud', 'bitbucket.org')],
  ['dev.azure.com', wellKnown('azure-devops', 'dev.azure.com')],
]);

export const azureDevOpsSshHost = 'ssh.dev.azure.com';
export const visualStudioSshHost = 'vs-ssh.visualstudio.com';
export const visualStudioSuffix = '.visualstudio.com';

/** Configured hosts compiled once per host object (they are plain immutable data). */
const compiled = new WeakMap<ConfiguredHost, { kind: string; baseUrl: string; host: ProviderHost | null }>();

function compile(configured: ConfiguredHost): ProviderHost | null {
  const cached = compiled.get(configured);
  if (cached && cached.kind === configured.kind && cached.baseUrl === configured.baseUrl) return cached.host;
  const kindOk = (providerKinds as readonly string[]).includes(configured.kind);
  const check = kindOk && typeof configured.baseUrl === 'string' ? checkBaseUrl(configured.kind, configured.baseUrl) : null;
  const host = check?.ok ? check.host : null;
  compiled.set(configured, { kind: configured.kind, baseUrl: configured.baseUrl, host });
  return host;
}

/** Configured hosts that are valid; invalid entries are skipped (validate them with configuredHostSchema when saving). */
export function compileHosts(hosts: readonly ConfiguredHost[]): ProviderHost[] {
  const result: ProviderHost[] = [];
  for (const configured of hosts) {
    if (typeof configured !== 'object' || configured === null) continue;
    const host = compile(configured);
    if (host) result.push(host);
  }
  return result;
}

function startsWithPath(segments: readonly string[], prefix: readonly string[]): boolean {
  if (prefix.length > segments.length) return false;
  return prefix.every((segment, index) => segments[index]?.toLowerCase() === segment);
}

export type WebResolution =
  | { type: 'host'; provider: ProviderHost }
  /** {org}.visualstudio.com, the legacy Azure DevOps Services host. */
  | { type: 'visualstudio'; org: string }
  | { type: 'outside-base'; hosts: readonly ProviderHost[] }
  | { type: 'not-a-repository-host'; hostname: string }
  | { type: 'unknown' };

/**
 * The provider of an http(s) URL. A configured host matches on host and port
 * and on its base path being a prefix of the URL's path (longest wins);
 * configured hosts come before the well-known ones.
 */
export function resolveWebHost(host: string, hostname: string, rawSegments: readonly string[], configured: readonly ProviderHost[]): WebResolution {
  let best: ProviderHost | null = null;
  const sameHost: ProviderHost[] = [];
  for (const candidate of configured) {
    if (candidate.host !== host) continue;
    sameHost.push(candidate);
    if (startsWithPath(rawSegments, candidate.basePath) && (!best || candidate.basePath.length > best.basePath.length)) best = candidate;
  }
  if (best) return { type: 'host', provider: best };
  const known = wellKnownHosts.get(host);
  if (known) return { type: 'host', provider: known };
  if (sameHost.length > 0) return { type: 'outside-base', hosts: sameHost };
  if (hostname.endsWith(visualStudioSuffix) && host === hostname) {
    const label = hostname.slice(0, -visualStudioSuffix.length);
    // One DNS label is an organization; vs-ssh, app.vssps and the like are service hosts.
    if (/^[a-z0-9][a-z0-9-]*$/.test(label) && label !== 'vs-ssh' && label !== 'www') return { type: 'visualstudio', org: label };
    return { type: 'not-a-repository-host', hostname };
  }
  if (hostname === azureDevOpsSshHost || hostname === visualStudioSshHost || hostname === 'visualstudio.com') {
    return { type: 'not-a-repository-host', hostname };
  }
  return { type: 'unknown' };
}

export type SshResolution =
  | { type: 'host'; provider: ProviderHost }
  | { type: 'azure-devops-ssh' }
  | { type: 'visualstudio-ssh' }
  | { type: 'unknown' };

/**
 * The provider of an SSH (or git://) URL, by host name only: SSH ports and
 * paths differ from the web's (Bitbucket Data Center's 7999, GitLab's
 * relative root). Of several configured hosts on one name, the first whose
 * base path prefixes the SSH path wins, else the first.
 */
export function resolveSshHost(hostname: string, rawSegments: readonly string[], configured: readonly ProviderHost[]): SshResolution {
  let first: ProviderHost | null = null;
  for (const candidate of configured) {
    if (candidate.hostname !== hostname) continue;
    if (candidate.basePath.length > 0 && startsWithPath(rawSegments, candidate.basePath)) return { type: 'host', provider: candidate };
    first ??= candidate;
  }
  if (first) return { type: 'host', provider: first };
  if (hostname === azureDevOpsSshHost) return { type: 'azure-devops-ssh' };
  if (hostname === visualStudioSshHost) return { type: 'visualstudio-ssh' };
  const known = wellKnownHosts.get(hostname);
  if (known) return { type: 'host', provider: known };
  return { type: 'unknown' };
}

/** Host names without a dot that still read as hosts in "host:path" SSH shorthand. */
export function configuredHostnames(configured: readonly ProviderHost[]): ReadonlySet<string> {
  return new Set(configured.map((host) => host.hostname));
}

/** A well-known cloud host by name (github.com, gitlab.com, bitbucket.org, dev.azure.com). */
export function wellKnownHost(hostname: 'github.com' | 'gitlab.com' | 'bitbucket.org' | 'dev.azure.com'): ProviderHost {
  const host = wellKnownHosts.get(hostname);
  if (!host) throw new Error(`not a well-known host: ${hostname}`);
  return host;
}
