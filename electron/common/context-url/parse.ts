import { parseAzureDevOpsServerSsh, parseAzureDevOpsSsh, parseAzureDevOpsWeb, parseVisualStudioSsh } from './azure-devops';
import { parseBitbucketCloud, parseBitbucketDataCenter } from './bitbucket';
import { parseGitHub } from './github';
import { parseGitLab } from './gitlab';
import { compileHosts, configuredHostnames, resolveSshHost, resolveWebHost, wellKnownHost } from './hosts';
import type { ConfiguredHost, ProviderHost } from './hosts';
import { readLocator } from './input';
import type { Locator } from './input';
import type { ContextUrl, ContextUrlResult } from './schema';
import { decodeComponent, failure, isName, isRepoPath, providerLabels } from './text';
import type { RepoRequest } from './text';

/** The message of the safety net; tests assert that no input ever reaches it. */
export const internalFailureMessage = 'Paddock could not read this URL because of an internal error. Please report the URL you used.';

function shorten(text: string, max = 100): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function unknownHost(host: string): ContextUrlResult {
  return failure(
    'unknown-host',
    `${shorten(host)} is not a provider host Paddock knows. An administrator must add it under Repository access ` +
      '(as GitHub Enterprise Server, GitLab, Bitbucket Data Center or Azure DevOps Server) before environments can be created from its URLs.',
  );
}

function decodeAll(raw: readonly string[]): string[] | null {
  const decoded: string[] = [];
  for (const segment of raw) {
    const value = decodeComponent(segment);
    if (value === null) return null;
    decoded.push(value);
  }
  return decoded;
}

const malformed = failure('invalid-url', 'This URL contains a malformed percent-encoding (a % not followed by two hexadecimal digits). Copy the URL again.');

function request(locator: Locator, rawSegments: readonly string[]): RepoRequest | null {
  const segments = decodeAll(rawSegments);
  return segments && { via: locator.via, segments, query: locator.query, user: locator.user };
}

type WebLocator = Extract<Locator, { via: 'web' }>;
type SshLocator = Extract<Locator, { via: 'ssh' }>;

function parseWeb(locator: WebLocator, configured: readonly ProviderHost[]): ContextUrlResult {
  const resolution = resolveWebHost(locator.host, locator.hostname, locator.rawSegments, configured);
  switch (resolution.type) {
    case 'unknown':
      return unknownHost(locator.host);
    case 'not-a-repository-host':
      return failure(
        'not-a-repository',
        `${resolution.hostname} is an Azure DevOps service host, not an organization’s web address. Open the repository in Azure DevOps and copy its URL.`,
      );
    case 'outside-base': {
      const where = resolution.hosts.map((host) => `${providerLabels[host.kind]} at ${host.origin}`).join(', ');
      return failure('not-a-repository', `This URL is outside the provider configured on its host (${where}). Copy a repository URL from that provider.`);
    }
    case 'visualstudio': {
      const parsed = request(locator, locator.rawSegments);
      return parsed ? parseAzureDevOpsWeb(parsed, { type: 'visualstudio', org: resolution.org }) : malformed;
    }
    case 'host': {
      const provider = resolution.provider;
      const parsed = request(locator, locator.rawSegments.slice(provider.basePath.length));
      if (!parsed) return malformed;
      switch (provider.kind) {
        case 'github':
          return parseGitHub(parsed, provider);
        case 'gitlab':
          return parseGitLab(parsed, provider);
        case 'bitbucket-cloud':
          return parseBitbucketCloud(parsed, provider);
        case 'bitbucket-dc':
          return parseBitbucketDataCenter(parsed, provider);
        case 'azure-devops':
          return parseAzureDevOpsWeb(parsed, { type: 'services', host: provider });
        case 'azure-devops-server':
          return parseAzureDevOpsWeb(parsed, { type: 'server', host: provider });
      }
    }
  }
}

function startsWithBase(raw: readonly string[], basePath: readonly string[]): boolean {
  return basePath.length <= raw.length && basePath.every((segment, index) => raw[index]?.toLowerCase() === segment);
}

function parseSsh(locator: SshLocator, configured: readonly ProviderHost[]): ContextUrlResult {
  const resolution = resolveSshHost(locator.hostname, locator.rawSegments, configured);
  switch (resolution.type) {
    case 'unknown':
      return unknownHost(locator.hostname);
    case 'azure-devops-ssh': {
      const parsed = request(locator, locator.rawSegments);
      return parsed ? parseAzureDevOpsSsh(parsed, wellKnownHost('dev.azure.com')) : malformed;
    }
    case 'visualstudio-ssh': {
      const parsed = request(locator, locator.rawSegments);
      return parsed ? parseVisualStudioSsh(parsed) : malformed;
    }
    case 'host': {
      const provider = resolution.provider;
      // Only Azure DevOps Server repeats its virtual directory in SSH paths (when it has one).
      const skip = provider.kind === 'azure-devops-server' && startsWithBase(locator.rawSegments, provider.basePath) ? provider.basePath.length : 0;
      const parsed = request(locator, locator.rawSegments.slice(skip));
      if (!parsed) return malformed;
      switch (provider.kind) {
        case 'github':
          return parseGitHub(parsed, provider);
        case 'gitlab':
          return parseGitLab(parsed, provider);
        case 'bitbucket-cloud':
          return parseBitbucketCloud(parsed, provider);
        case 'bitbucket-dc':
          return parseBitbucketDataCenter(parsed, provider);
        case 'azure-devops':
          return parseAzureDevOpsSsh(parsed, provider);
        case 'azure-devops-server':
          return parseAzureDevOpsServerSsh(parsed, provider);
      }
    }
  }
}

/** The invariants of contextUrlSchema, checked cheaply on every context before it leaves. */
function isWellFormed(context: ContextUrl): boolean {
  if (!context.owner.split('/').every(isName) || !isName(context.repo)) return false;
  if (context.project !== null && !isName(context.project)) return false;
  if (context.path !== null && (context.path === '' || context.path.startsWith('/') || !isRepoPath(context.path))) return false;
  const ref = context.ref;
  if (ref && (ref.type === 'branch' || ref.type === 'tag') && (ref.name === '' || !isRepoPath(ref.name))) return false;
  return true;
}

/**
 * Reads a repository URL of any supported provider (web or SSH, as pasted)
 * into a typed context, or a typed error with a sentence a person can act on.
 * Never throws. `hosts` are the configured self-hosted hosts; github.com,
 * gitlab.com, bitbucket.org, dev.azure.com and *.visualstudio.com (with their
 * SSH hosts) work without configuration.
 */
export function parseContextUrl(input: string, hosts: readonly ConfiguredHost[] = []): ContextUrlResult {
  if (typeof input !== 'string') return failure('invalid-url', 'There is no URL here.');
  try {
    const configured = compileHosts(Array.isArray(hosts) ? hosts : []);
    const locator = readLocator(input, configuredHostnames(configured));
    if ('ok' in locator) return locator;
    const result = locator.via === 'web' ? parseWeb(locator, configured) : parseSsh(locator, configured);
    if (result.ok && !isWellFormed(result)) {
      return failure('invalid-url', 'This URL contains characters that cannot be part of a repository name, ref or path. Copy the URL again from the provider.');
    }
    return result;
  } catch {
    return failure('invalid-url', internalFailureMessage);
  }
}
