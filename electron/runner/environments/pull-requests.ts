import { z } from 'zod';
import type { ContextUrl } from '../../common/context-url/schema';
import { PaddockError } from '../../common/errors';
import type { ProviderView } from '../../common/provider-config';
import { catalogueEntry } from '../../common/providers';
import { networkError, httpClient } from '../oauth/exchange';
import { rewriteEndpoint } from '../providers/endpoints';
import { probe, type HttpClientOptions } from '../providers/http';
import { branchOfRefName } from './refs';

// Bitbucket Cloud and Azure DevOps keep no ref for a pull request's head in
// the base repository (GIT-AND-DESKTOP §2): its source repository (a fork,
// possibly), branch and commit come from the provider's API, as Gitpod's
// context parsers read them (bitbucket-context-parser.ts: source.branch.name,
// source.repository, source.commit.hash; azure-context-parser.ts:
// forkSource?.repository, sourceRefName, lastMergeSourceCommit).

/** Where a pull request's changes are: the repository to fetch from, its branch, and the commit it is at. */
export interface PullRequestSource {
  /** The HTTPS clone URL of the source repository (the base one, or a fork). */
  readonly cloneUrl: string;
  readonly branch: string;
  /** The commit the pull request is at; null where the provider did not say. */
  readonly commit: string | null;
  /** True when the source is another repository than the base (a fork). */
  readonly fork: boolean;
  /** "owner/repo" of the source, for messages. */
  readonly repository: string;
}

export interface PullRequestOptions {
  readonly http?: HttpClientOptions;
  /** Development builds: real origins moved onto simulators (PADDOCK_DEV_PROVIDER_ENDPOINTS). */
  readonly endpoints?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

const sha = z.string().regex(/^[0-9a-f]{7,64}$/);

const bitbucketPullSchema = z.looseObject({
  source: z.looseObject({
    branch: z.looseObject({ name: z.string().min(1).max(1024) }),
    commit: z.looseObject({ hash: sha }).nullable().optional(),
    repository: z.looseObject({ full_name: z.string().min(3).max(512).regex(/^[^/\s]+\/[^/\s]+$/) }).nullable(),
  }),
  destination: z.looseObject({ repository: z.looseObject({ full_name: z.string().max(512) }).nullable().optional() }).optional(),
});

const azureRepositorySchema = z.looseObject({
  name: z.string().min(1).max(512),
  remoteUrl: z.string().max(2048).optional(),
  project: z.looseObject({ name: z.string().min(1).max(512) }).optional(),
});
const azurePullSchema = z.looseObject({
  sourceRefName: z.string().min(1).max(1024),
  lastMergeSourceCommit: z.looseObject({ commitId: sha }).nullable().optional(),
  repository: azureRepositorySchema,
  forkSource: z.looseObject({ repository: azureRepositorySchema.nullable().optional() }).nullable().optional(),
});

function notAccessible(what: string): PaddockError {
  return new PaddockError(
    'not-found',
    `${what} It may have been deleted, or your account may not be able to read it: open the pull request in the browser to check, or ask its author.`,
  );
}

/**
 * Asks the provider where pull request `number` of `context` comes from.
 * `token` is the user's, sent only to the provider's API host; nothing
 * about it is written to a message or a log line.
 */
export async function pullRequestSource(
  entry: ProviderView,
  context: ContextUrl,
  number: number,
  token: { value: string; method: 'oauth' | 'pat'; username: string | null },
  options: PullRequestOptions = {},
): Promise<PullRequestSource> {
  const name = catalogueEntry(entry.kind).displayName;
  const client = httpClient(options.http);
  const get = async (url: string) => {
    const target = rewriteEndpoint(url, options.endpoints ?? {});
    const credential =
      token.method === 'pat' && entry.kind === 'bitbucket-cloud' && token.username
        ? { header: 'authorization', value: `Basic ${Buffer.from(`${token.username}:${token.value}`).toString('base64')}` }
        : token.method === 'pat' && (entry.kind === 'azure-devops' || entry.kind === 'azure-devops-server')
          ? { header: 'authorization', value: `Basic ${Buffer.from(`:${token.value}`).toString('base64')}` }
          : { header: 'authorization', value: `Bearer ${token.value}` };
    const outcome = await probe(client, { method: 'GET', url: target, credential, accept: 'application/json', ...(options.signal ? { signal: options.signal } : {}) });
    if (!outcome.ok) throw networkError(entry, outcome, 'the pull request could not be read');
    if (outcome.status === 401) {
      throw new PaddockError('reconnect-needed', `${name} refused your token when Paddock read pull request ${number}. Reconnect, then try again.`, undefined, {
        host: entry.host,
        ...(context.provider === 'azure-devops' ? { organization: context.owner } : {}),
      });
    }
    if (outcome.status === 404 || outcome.status === 403) throw notAccessible(`${name} has no pull request ${number} in ${context.owner}/${context.repo} that your account can read.`);
    if (outcome.status !== 200) {
      throw new PaddockError('unreachable', `${name} answered ${outcome.status} when Paddock read pull request ${number}. Try again later.`, undefined, { host: entry.host });
    }
    return outcome.json;
  };

  if (entry.kind === 'bitbucket-cloud') {
    const parsed = bitbucketPullSchema.safeParse(await get(`https://api.bitbucket.org/2.0/repositories/${encodeURIComponent(context.owner)}/${encodeURIComponent(context.repo)}/pullrequests/${number}`));
    if (!parsed.success) throw new PaddockError('unreachable', `${name} answered with a pull request Paddock cannot read. Try again later.`, undefined, { host: entry.host });
    const source = parsed.data.source;
    if (!source.repository) throw notAccessible(`The source of pull request ${number} (its fork) is not accessible.`);
    const fullName = source.repository.full_name;
    return {
      cloneUrl: `https://bitbucket.org/${fullName}.git`,
      branch: source.branch.name,
      commit: source.commit?.hash ?? null,
      fork: fullName.toLowerCase() !== `${context.owner}/${context.repo}`.toLowerCase(),
      repository: fullName,
    };
  }

  if (entry.kind === 'azure-devops' || entry.kind === 'azure-devops-server') {
    const project = context.project ?? '';
    // Azure DevOps: {host}/{organization}; Server: {host}/{collection} — the owner the parser read either way.
    const base = `${entry.host.replace(/\/+$/, '')}/${encodeURIComponent(context.owner)}`;
    const url = `${base}/${encodeURIComponent(project)}/_apis/git/repositories/${encodeURIComponent(context.repo)}/pullrequests/${number}?api-version=7.1`;
    const parsed = azurePullSchema.safeParse(await get(url));
    if (!parsed.success) throw new PaddockError('unreachable', `${name} answered with a pull request Paddock cannot read. Try again later.`, undefined, { host: entry.host });
    const pull = parsed.data;
    const forked = pull.forkSource !== undefined && pull.forkSource !== null;
    const repository = forked ? pull.forkSource?.repository : pull.repository;
    if (!repository) throw notAccessible(`The source of pull request ${number} (its fork) is not accessible.`);
    const sourceProject = repository.project?.name ?? project;
    const cloneUrl = repository.remoteUrl && /^https?:\/\//.test(repository.remoteUrl) ? stripUserInfo(repository.remoteUrl) : `${base}/${encodeURIComponent(sourceProject)}/_git/${encodeURIComponent(repository.name)}`;
    return {
      cloneUrl,
      branch: branchOfRefName(pull.sourceRefName),
      commit: pull.lastMergeSourceCommit?.commitId ?? null,
      fork: forked,
      repository: `${sourceProject}/${repository.name}`,
    };
  }

  throw new PaddockError('internal', `${name} keeps a ref for each pull request; its source is not read from the API.`);
}

/** Azure DevOps' remoteUrl carries the organization as a user name (https://contoso@dev.azure.com/…): never kept in a clone URL. */
function stripUserInfo(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}
