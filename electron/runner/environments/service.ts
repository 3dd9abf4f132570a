import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseContextUrl } from '../../common/context-url/parse';
import type { ConfiguredHost } from '../../common/context-url/hosts';
import type { ContextUrl } from '../../common/context-url/schema';
import { PaddockError, type PaddockErrorData } from '../../common/errors';
import type { ProviderView } from '../../common/provider-config';
import { catalogueEntry } from '../../common/providers';
import type {
  CloneDepth,
  ClonePhase,
  CreateEnvironmentRequest,
  EnvironmentChanges,
  EnvironmentCloneProgress,
  EnvironmentView,
  JobResult,
  JobView,
  ResolvedRef,
} from '../../common/runner-api';
import type { CredentialRequest, CredentialServer } from '../git/credential-helper';
import type { EnvironmentAnswer, EnvironmentCredentials } from '../git/environment-credentials';
import { runGit, type GitConfigEntry, type GitNetwork, type GitRunResult } from '../git/process';
import type { GitPhase, GitProgressEvent } from '../git/progress';
import type { InternalJobStart, JobContext } from '../jobs';
import type { RunnerLogger } from '../logger';
import type { HttpClientOptions } from '../providers/http';
import type { UsableToken } from '../token-service';
import { pullRequestSource } from './pull-requests';
import { checkoutPlan, parseLsRemote, resolveAmbiguous, type CheckoutPlan } from './refs';
import { MAX_ENVIRONMENTS_PER_CLIENT, type EnvironmentStore } from './store';

// Environments on this runner (PRODUCT E2–E4, issue 10): create records one
// and starts its clone as an `environment-clone` job; the job resolves the
// ref, runs `git clone --progress` with this run's credential helper (the
// token goes to git only through the helper, never argv, environment or a
// config file), checks the ref out, and leaves the environment ready — or
// failed / cancelled with its half-made folder removed.

export interface EnvironmentTokens {
  usable(clientId: string, host: string, organization: string | null, signal?: AbortSignal): Promise<UsableToken>;
  usableById(clientId: string, id: string, host: string, organization: string | null, signal?: AbortSignal): Promise<UsableToken>;
  rejected(clientId: string, id: string, reason: string, signal?: AbortSignal): Promise<UsableToken | null>;
}

export interface EnvironmentServiceOptions {
  readonly store: EnvironmentStore;
  readonly providers: () => ProviderView[];
  readonly tokens: EnvironmentTokens;
  /** Starts the clone job (JobManager.start). */
  readonly startJob: (start: InternalJobStart, owner: string) => JobView;
  readonly credentials: () => Promise<CredentialServer>;
  /**
   * The environments' long-lived credential endpoint (environment-credentials.ts):
   * a ready working copy's `.git/config` names its helper, so a `git push`
   * the user runs there gets a token from this runner. Null: none is written.
   */
  readonly environmentCredentials?: () => EnvironmentCredentials | null;
  /** The folder a workstation's working copies go in. */
  readonly root: (clientId: string) => string;
  readonly logger: RunnerLogger;
  /** The git program (default `git` on PATH). */
  readonly git?: string;
  readonly http?: HttpClientOptions;
  /** The same proxy and CA settings for the git runs that reach the network (git/network.ts). */
  readonly gitNetwork?: GitNetwork;
  /** Development builds: real API origins moved onto simulators (PADDOCK_DEV_PROVIDER_ENDPOINTS). */
  readonly endpoints?: Readonly<Record<string, string>>;
  /**
   * Development builds: real git origins moved onto a local git server
   * (PADDOCK_DEV_GIT_ENDPOINTS), given to git as `url.<to>.insteadOf` for
   * each run, so the working copy's remote stays the real URL.
   */
  readonly gitEndpoints?: Readonly<Record<string, string>>;
  readonly now?: () => Date;
}

/** How long one environment's record says what it is: the repository as people name it. */
function repositoryName(context: ContextUrl): string {
  return context.project ? `${context.owner}/${context.project}/${context.repo}` : `${context.owner}/${context.repo}`;
}

/** A folder name from the repository's: letters, digits, dot, dash and underscore; never empty, never a dot name. */
export function folderNameOf(repo: string): string {
  const cleaned = repo
    .normalize('NFKC')
    .replace(/\.git$/i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+|[.-]+$/g, '')
    .slice(0, 80);
  return cleaned === '' ? 'repository' : cleaned;
}

/** The user name git sends with the token, per provider (SCM-PROTOCOLS: §2.3, §3.3, §4.1, §4.2, §4.3; Azure DevOps §1.4). */
export function gitUsername(kind: ProviderView['kind'], token: Pick<UsableToken, 'method' | 'account'>): string {
  switch (kind) {
    case 'github':
      // GCM sends the login; any non-empty user name works with a token.
      return token.account ?? 'x-access-token';
    case 'gitlab':
      return 'oauth2';
    case 'bitbucket-cloud':
      return token.method === 'oauth' ? 'x-token-auth' : 'x-bitbucket-api-token-auth';
    case 'bitbucket-dc':
      // Its own user name (X-AUSERNAME), which the token check stored as the account.
      return token.account ?? 'paddock';
    case 'azure-devops':
    case 'azure-devops-server':
      return 'paddock';
  }
}

const phaseOf: Record<GitPhase, ClonePhase> = {
  enumerating: 'enumerating',
  counting: 'counting',
  compressing: 'compressing',
  receiving: 'receiving',
  resolving: 'resolving-deltas',
  updating: 'updating-files',
  filtering: 'filtering',
};

/** The last few lines git wrote, for a message: at most 3, each cut at 300 characters. */
function gitSaid(result: GitRunResult): string {
  const lines = result.stderrTail.filter((line) => line.trim() !== '').slice(-3);
  return lines.map((line) => line.slice(0, 300)).join(' ');
}

export class EnvironmentService {
  readonly #options: EnvironmentServiceOptions;
  readonly #now: () => Date;

  constructor(options: EnvironmentServiceOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  list(clientId: string): EnvironmentView[] {
    return this.#options.store.list(clientId);
  }

  #hosts(): ConfiguredHost[] {
    return this.#options.providers().map((entry) => ({ kind: entry.kind, baseUrl: entry.host }) as ConfiguredHost);
  }

  /** The context of a URL as this runner reads it, with its repository-access entry. */
  #read(url: string): { context: ContextUrl; entry: ProviderView; organization: string | null } {
    const parsed = parseContextUrl(url, this.#hosts());
    if (!parsed.ok) throw new PaddockError('invalid-input', parsed.error.message, [{ path: 'url', message: parsed.error.code }]);
    const context = parsed;
    // The entry whose host (with its path prefix, for a GitLab relative root or an Azure DevOps Server virtual directory) the clone URL is under.
    const entry = this.#options
      .providers()
      .find((candidate) => candidate.kind === context.provider && context.cloneUrl.toLowerCase().startsWith(`${candidate.host.replace(/\/+$/, '').toLowerCase()}/`));
    const name = catalogueEntry(context.provider).displayName;
    if (!entry || (!entry.oauth.enabled && !entry.pat.enabled)) {
      throw new PaddockError(
        'forbidden',
        `This runner has no repository access for ${name} at ${context.host}. An admin adds it in Runners → this runner → Repository access.`,
        undefined,
        { host: `https://${context.host}`, setting: 'Runners → Repository access' },
      );
    }
    let organization: string | null = null;
    if (entry.kind === 'azure-devops') {
      const named = entry.organizations.find((o) => o.name.toLowerCase() === context.owner.toLowerCase());
      if (!named) {
        throw new PaddockError(
          'forbidden',
          `This runner’s repository access for Azure DevOps does not include the organization ${context.owner}. An admin adds it in Runners → this runner → Repository access → Azure DevOps → Organizations.`,
          undefined,
          { host: entry.host, organization: context.owner, setting: 'Repository access → Azure DevOps → Organizations' },
        );
      }
      organization = named.name;
    }
    return { context, entry, organization };
  }

  /** A folder under the root that no environment and no file has: "repo", then "repo-2", … */
  #freeFolder(clientId: string, repo: string, taken: readonly EnvironmentView[]): string {
    const root = this.#options.root(clientId);
    const base = folderNameOf(repo);
    const used = new Set(taken.map((e) => e.path));
    for (let n = 1; n < 1000; n++) {
      const candidate = path.join(root, n === 1 ? base : `${base}-${n}`);
      if (!used.has(candidate) && !fs.existsSync(candidate)) return candidate;
    }
    throw new PaddockError('conflict', `There are too many folders named ${base} in ${root}. Delete some environments first.`);
  }

  /** Records a new environment and starts its clone. */
  create(clientId: string, request: CreateEnvironmentRequest): { environment: EnvironmentView; job: JobView } {
    const { context, entry, organization } = this.#read(request.url);
    const now = this.#now().toISOString();
    const id = `e_${randomBytes(16).toString('base64url')}`;
    const { store } = this.#options;
    const draft: EnvironmentView = {
      id,
      url: request.url,
      kind: entry.kind,
      host: entry.host,
      organization,
      repository: repositoryName(context),
      cloneUrl: context.cloneUrl,
      ref: context.ref,
      resolved: null,
      subPath: context.refAmbiguous ? null : context.path,
      depth: request.depth,
      tokenId: request.tokenId,
      path: '',
      state: 'creating',
      jobId: null,
      error: null,
      createdAt: now,
      updatedAt: now,
    };
    let folder = '';
    store.put(clientId, { ...draft, path: path.join(this.#options.root(clientId), folderNameOf(context.repo)) }, (current) => {
      if (current.length >= MAX_ENVIRONMENTS_PER_CLIENT) {
        throw new PaddockError('conflict', `You have ${current.length} environments on this runner, the most it keeps. Delete some first.`);
      }
      folder = this.#freeFolder(clientId, context.repo, current);
    });
    store.update(clientId, id, (e) => ({ ...e, path: folder }));
    return this.#start(clientId, id);
  }

  #start(clientId: string, id: string): { environment: EnvironmentView; job: JobView } {
    const job = this.#options.startJob({ kind: 'environment-clone', environmentId: id }, clientId);
    const environment = this.#options.store.update(clientId, id, (e) => ({ ...e, state: 'creating', jobId: job.id, error: null, updatedAt: this.#now().toISOString() }));
    if (!environment) throw new PaddockError('not-found', 'This environment no longer exists.');
    return { environment, job };
  }

  /** Clones a failed or cancelled environment again, into the same folder. */
  retry(clientId: string, id: string): { environment: EnvironmentView; job: JobView } {
    const environment = this.#options.store.get(clientId, id);
    if (!environment) throw new PaddockError('not-found', 'This environment no longer exists.');
    if (environment.state === 'creating') throw new PaddockError('conflict', 'This environment is being created already.');
    if (environment.state === 'ready') throw new PaddockError('conflict', 'This environment is ready: there is nothing to retry.');
    fs.rmSync(environment.path, { recursive: true, force: true });
    return this.#start(clientId, id);
  }

  /** What deleting would lose, counted in the working copy. */
  async changes(clientId: string, id: string): Promise<EnvironmentChanges> {
    const environment = this.#options.store.get(clientId, id);
    if (!environment) throw new PaddockError('not-found', 'This environment no longer exists.');
    if (environment.state !== 'ready' || !fs.existsSync(path.join(environment.path, '.git'))) return { uncommitted: 0, unpushed: 0, stashes: 0 };
    const lines = async (args: string[]) => {
      const out: string[] = [];
      const result = await runGit({ args, cwd: environment.path, onStdoutLine: (line) => out.push(line), ...(this.#options.git ? { git: this.#options.git } : {}) });
      if (result.outcome !== 'exited' || result.exitCode !== 0) {
        throw new PaddockError('internal', `Paddock could not read the working copy at ${environment.path} (${gitSaid(result) || 'git failed'}).`);
      }
      return out.filter((line) => line.trim() !== '');
    };
    const uncommitted = (await lines(['status', '--porcelain', '--untracked-files=all'])).length;
    const unpushed = Number((await lines(['rev-list', '--count', '--branches', '--not', '--remotes']))[0] ?? '0') || 0;
    const stashes = (await lines(['stash', 'list'])).length;
    return { uncommitted, unpushed, stashes };
  }

  /** Deletes an environment and its working copy. One being created is cancelled first by the caller. */
  delete(clientId: string, id: string): void {
    const environment = this.#options.store.get(clientId, id);
    if (!environment) throw new PaddockError('not-found', 'This environment no longer exists.');
    if (environment.state === 'creating') throw new PaddockError('conflict', 'This environment is still being created: cancel it first, then delete it.');
    this.#options.environmentCredentials?.()?.revoke(id);
    fs.rmSync(environment.path, { recursive: true, force: true });
    this.#options.store.remove(clientId, id);
    this.#options.logger.info('environment deleted', { environmentId: id });
  }

  /**
   * At start: a clone that was running when the runner stopped cannot go
   * on. Its environment is failed with the reason, and its half-made folder
   * removed.
   */
  recover(): number {
    let recovered = 0;
    for (const { clientId, environment } of this.#options.store.all()) {
      if (environment.state !== 'creating') continue;
      fs.rmSync(environment.path, { recursive: true, force: true });
      const error: PaddockErrorData = { code: 'internal', message: 'The runner stopped while this environment was being cloned, so nothing was kept. Retry to clone it again.' };
      this.#options.store.update(clientId, environment.id, (e) => ({ ...e, state: 'failed', error, updatedAt: this.#now().toISOString() }));
      recovered++;
    }
    if (recovered > 0) this.#options.logger.warn('environments left failed by a stop during their clone', { count: recovered });
    return recovered;
  }

  /** The URL git reaches the repository at (its credential requests name it), and whether its path matters (Azure DevOps: the organization is in it). */
  #gitUrl(environment: EnvironmentView): { url: URL; useHttpPath: boolean } {
    return { url: new URL(this.#rewrite(environment.cloneUrl)), useHttpPath: environment.kind === 'azure-devops' || environment.kind === 'azure-devops-server' };
  }

  /**
   * Writes the environment's credential helper into its `.git/config`
   * (nothing else: no token, no secret), scoped to the repository's URL,
   * with the helper list reset first for that URL so the user's own helpers
   * are not asked. Development builds also get the `insteadOf` their clone
   * had, so a push reaches the same local git server.
   */
  async #installHelper(environment: EnvironmentView): Promise<boolean> {
    const credentials = this.#options.environmentCredentials?.();
    if (!credentials) return false;
    const { url, useHttpPath } = this.#gitUrl(environment);
    const entries = [...credentials.install(environment.id, url.href, { useHttpPath }), ...this.#insteadOf()];
    const gitOptions = { cwd: environment.path, ...(this.#options.git ? { git: this.#options.git } : {}) };
    // Keys that already hold exactly the values wanted are left as they are,
    // so a push started meanwhile never sees them missing.
    for (const key of new Set(entries.map((e) => e.key))) {
      const wanted = entries.filter((e) => e.key === key).map((e) => e.value);
      const current: string[] = [];
      await runGit({ ...gitOptions, args: ['config', '--local', '--get-all', key], onStdoutLine: (line) => current.push(line) });
      if (current.length === wanted.length && current.every((value, i) => value === wanted[i])) continue;
      // Exit code 5: the key was not set, nothing to remove.
      const unset = await runGit({ ...gitOptions, args: ['config', '--local', '--unset-all', key] });
      if (unset.outcome !== 'exited' || (unset.exitCode !== 0 && unset.exitCode !== 5)) throw new PaddockError('internal', `Paddock could not set up git in ${environment.path} (${gitSaid(unset) || 'git config failed'}).`);
      for (const value of wanted) {
        const set = await runGit({ ...gitOptions, args: ['config', '--local', '--add', key, value] });
        if (set.outcome !== 'exited' || set.exitCode !== 0) throw new PaddockError('internal', `Paddock could not set up git in ${environment.path} (${gitSaid(set) || 'git config failed'}).`);
      }
    }
    this.#options.logger.info('environment credential helper written to its git config', { environmentId: environment.id });
    return true;
  }

  /**
   * At start: every ready environment whose working copy does not name this
   * runner's helper as it would write it now (made before environments had
   * one, or the runner's Node moved) gets it written. Returns how many.
   */
  async installHelpers(): Promise<number> {
    const credentials = this.#options.environmentCredentials?.();
    if (!credentials) return 0;
    let written = 0;
    for (const { environment } of this.#options.store.all()) {
      if (environment.state !== 'ready' || !fs.existsSync(path.join(environment.path, '.git'))) continue;
      const key = `credential.${this.#gitUrl(environment).url.href}.helper`;
      const out: string[] = [];
      await runGit({ args: ['config', '--local', '--get-all', key], cwd: environment.path, onStdoutLine: (line) => out.push(line), ...(this.#options.git ? { git: this.#options.git } : {}) });
      const wanted = credentials.helperValues(environment.id);
      if (out.length === wanted.length && out.every((line, i) => line === wanted[i])) continue;
      try {
        if (await this.#installHelper(environment)) written++;
      } catch (error) {
        this.#options.logger.warn('environment credential helper not written', { environmentId: environment.id, error: error instanceof Error ? error.message : String(error) });
      }
    }
    if (written > 0) this.#options.logger.info('environment credential helpers written at start', { count: written });
    return written;
  }

  /** The environment a credential request speaks for, when the request is for its repository. */
  #requested(environmentId: string, request: CredentialRequest): { clientId: string; environment: EnvironmentView } | { message: string } | null {
    const found = this.#options.store.all().find((e) => e.environment.id === environmentId);
    if (!found) return { message: 'Paddock no longer has this environment, so it gives no credentials for it. Create the environment again in Paddock.' };
    const { url, useHttpPath } = this.#gitUrl(found.environment);
    const protocol = url.protocol.replace(/:$/, '');
    if (request.protocol !== protocol || request.host.toLowerCase() !== url.host.toLowerCase()) {
      this.#options.logger.warn('git asked for a credential for another host than its environment’s: nothing given', { environmentId, protocol: request.protocol, host: request.host });
      return null;
    }
    if (useHttpPath || request.path !== null) {
      const decoded = (p: string) => {
        try {
          return decodeURIComponent(p);
        } catch {
          // A stray % git sent: compared as it is (it then matches no repository path).
          return p;
        }
      };
      const bare = (p: string) => decoded(p).replace(/^\/+|\/+$/g, '').replace(/\.git$/i, '').toLowerCase();
      if (request.path === null || bare(request.path) !== bare(url.pathname)) {
        this.#options.logger.warn('git asked for a credential for another repository than its environment’s: nothing given', { environmentId, host: request.host });
        return null;
      }
    }
    return found;
  }

  /** git's `get` from a working copy's helper: the token in use there, refreshed when it is OAuth and near its end. */
  async credentialFor(environmentId: string, request: CredentialRequest): Promise<EnvironmentAnswer> {
    const found = this.#requested(environmentId, request);
    if (!found || 'message' in found) return found;
    const { clientId, environment } = found;
    try {
      const { entry, organization } = this.#read(environment.url);
      const token = await this.#tokenOf(clientId, environment, entry.host, organization);
      return { credential: { username: gitUsername(entry.kind, token), password: token.token } };
    } catch (error) {
      if (error instanceof PaddockError) return { message: error.message };
      throw error;
    }
  }

  /** git's `erase` from a working copy's helper: the token was refused, so it is refreshed (OAuth) or marked rejected. */
  async credentialRefused(environmentId: string, request: CredentialRequest): Promise<void> {
    const found = this.#requested(environmentId, request);
    if (!found || 'message' in found) return;
    const { clientId, environment } = found;
    // git erases after any refusal for the URL, including a password of the user's own (in the URL, or typed):
    // only a refusal of this environment's token marks it.
    if (!request.passwordSha256) {
      this.#options.logger.info('git erased a credential without saying which: the token is not marked', { environmentId });
      return;
    }
    try {
      const { entry, organization } = this.#read(environment.url);
      const token = await this.#tokenOf(clientId, environment, entry.host, organization);
      const ours = createHash('sha256').update(token.token, 'utf8').digest();
      if (!timingSafeEqual(ours, Buffer.from(request.passwordSha256, 'hex'))) {
        this.#options.logger.info('git refused a password that is not this environment’s token: the token is not marked', { environmentId });
        return;
      }
      await this.#options.tokens.rejected(clientId, token.id, 'git refused it in a working copy');
    } catch (error) {
      if (!(error instanceof PaddockError)) throw error;
      // Already rejected, logged out or no longer allowed: nothing more to mark.
    }
  }

  #tokenOf(clientId: string, environment: EnvironmentView, host: string, organization: string | null, signal?: AbortSignal): Promise<UsableToken> {
    return environment.tokenId
      ? this.#options.tokens.usableById(clientId, environment.tokenId, host, organization, signal)
      : this.#options.tokens.usable(clientId, host, organization, signal);
  }

  /** The `environment-clone` job. */
  async clone(clientId: string, id: string, context: JobContext): Promise<Extract<JobResult, { kind: 'environment-clone' }>> {
    const { store, logger } = this.#options;
    const environment = store.get(clientId, id);
    if (!environment) throw new PaddockError('not-found', 'This environment no longer exists.');
    const finish = (change: Partial<EnvironmentView>) =>
      store.update(clientId, id, (e) => ({ ...e, ...change, updatedAt: this.#now().toISOString() })) ?? { ...environment, ...change };
    try {
      const { resolved, subPath } = await this.#clone(clientId, environment, context);
      await this.#installHelper(environment);
      const ready = finish({ state: 'ready', resolved, subPath, error: null });
      logger.info('environment ready', { environmentId: id, kind: environment.kind });
      return { kind: 'environment-clone', environment: ready };
    } catch (error) {
      fs.rmSync(environment.path, { recursive: true, force: true });
      if (context.signal.aborted) {
        finish({ state: 'cancelled', error: null });
        logger.info('environment clone cancelled', { environmentId: id });
        throw error;
      }
      const data: PaddockErrorData =
        error instanceof PaddockError
          ? { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}), ...(error.detail ? { detail: error.detail } : {}) }
          : { code: 'internal', message: 'The clone failed for a reason Paddock did not expect. Retry; if it fails again, the runner’s log says more.' };
      finish({ state: 'failed', error: data });
      logger.warn('environment clone failed', { environmentId: id, code: data.code, error: error instanceof PaddockError ? undefined : String(error) });
      throw error;
    }
  }

  async #clone(clientId: string, environment: EnvironmentView, job: JobContext): Promise<{ resolved: ResolvedRef; subPath: string | null }> {
    const { context, entry, organization } = this.#read(environment.url);
    const { signal } = job;
    const report = (phase: ClonePhase, title: string, overall: number, figures: Partial<EnvironmentCloneProgress> = {}) =>
      job.progress({ kind: 'environment-clone', environmentId: environment.id, phase, title, percent: null, processed: null, total: null, bytes: null, throughput: null, overall, ...figures });

    let token = environment.tokenId
      ? await this.#options.tokens.usableById(clientId, environment.tokenId, entry.host, organization, signal)
      : await this.#options.tokens.usable(clientId, entry.host, organization, signal);
    const server = await this.#options.credentials();
    const name = catalogueEntry(entry.kind).displayName;
    const where = organization ? `${organization} on ${entry.host}` : entry.host;

    const git = async (args: string[], options: { cwd: string; remoteUrl: string; weight?: [number, number]; stdout?: (line: string) => void }) => {
      const remote = new URL(this.#rewrite(options.remoteUrl));
      let erased = false;
      const run = server.register({
        origin: { protocol: remote.protocol === 'http:' ? 'http' : 'https', host: remote.host },
        resolve: async () => ({ username: gitUsername(entry.kind, token), password: token.token }),
        onErase: () => {
          erased = true;
        },
      });
      const [from, to] = options.weight ?? [0, 0];
      try {
        const result = await runGit({
          args,
          cwd: options.cwd,
          config: [...run.config, ...this.#insteadOf()],
          env: run.env,
          ...(this.#options.gitNetwork ? { network: this.#options.gitNetwork } : {}),
          signal,
          ...(this.#options.git ? { git: this.#options.git } : {}),
          ...(options.stdout ? { onStdoutLine: options.stdout } : {}),
          onProgress: (event: GitProgressEvent) => {
            if (event.kind !== 'progress' || to === from) return;
            report(phaseOf[event.phase], event.title, from + (to - from) * event.overall, {
              percent: event.percent,
              processed: event.processed,
              total: event.total,
              bytes: event.bytes,
              throughput: event.throughput,
            });
          },
        });
        return { result, erased: erased || run.erased };
      } finally {
        run.end();
      }
    };

    /** Runs git; a refused token is refreshed once (OAuth) and the command run again, else marked rejected. */
    const gitOrFail = async (args: string[], options: Parameters<typeof git>[1], doing: string) => {
      for (let attempt = 0; ; attempt++) {
        const { result, erased } = await git(args, options);
        if (result.outcome === 'cancelled' || signal.aborted) throw new PaddockError('cancelled', 'The clone was cancelled.');
        if (result.outcome === 'exited' && result.exitCode === 0) return result;
        if (result.outcome === 'not-started') {
          throw new PaddockError(
            'internal',
            result.reason === 'not-found' ? 'Git is not installed on this runner’s computer (or not on its PATH). Install git, then retry.' : 'Git could not be started on this runner’s computer.',
          );
        }
        const said = gitSaid(result);
        // Before the token checks: a proxy's 403 or 407 is not the provider refusing the token.
        const proxy = /Received HTTP code (\d{3}) from proxy|CONNECT tunnel failed, response (\d{3})|Proxy CONNECT aborted/i.exec(said);
        if (proxy) {
          const hint =
            (proxy[1] ?? proxy[2]) === '407'
              ? ' The proxy wants credentials, or refused the ones configured: put them in the proxy URL (http://user:password@proxy:port).'
              : ' Check that the proxy allows connections to this host, or add the host to the no-proxy list.';
          throw new PaddockError('unreachable', `The proxy refused to connect this runner to ${name} at ${entry.host} while ${doing} (${said}).${hint}`, undefined, { host: entry.host });
        }
        if (erased || /Authentication failed|could not read Username|terminal prompts disabled|HTTP 401|403/i.test(said)) {
          const next = attempt === 0 ? await this.#options.tokens.rejected(clientId, token.id, 'git refused it', signal) : null;
          if (next) {
            token = next;
            if (args[0] === 'clone') fs.rmSync(environment.path, { recursive: true, force: true });
            continue;
          }
          throw new PaddockError('reconnect-needed', `${name} refused your token for ${where} while ${doing}. Reconnect to try again.`, undefined, {
            host: entry.host,
            ...(organization ? { organization } : {}),
          });
        }
        if (/Repository not found|not found|does not appear to be a git repository|HTTP 404/i.test(said)) {
          throw new PaddockError('not-found', `${name} has no repository ${environment.repository} that your account can read (${said}).`, undefined, { host: entry.host });
        }
        if (/Could not resolve host|Failed to connect|Connection refused|timed out|SSL|certificate/i.test(said)) {
          throw new PaddockError('unreachable', `${name} at ${entry.host} could not be reached from this runner while ${doing} (${said}).`, undefined, { host: entry.host });
        }
        throw new PaddockError('internal', `Git failed while ${doing}${said ? `: ${said}` : '.'}`);
      }
    };

    const plan: CheckoutPlan = checkoutPlan(context);
    let cloneUrl = environment.cloneUrl;
    let subPath = environment.subPath;
    let checkout: { type: 'branch' | 'tag'; name: string } | { type: 'commit'; sha: string } | { type: 'pull'; number: number; fetch: { url: string; ref: string }; branch: string | null; commit: string | null } | null =
      null;

    // git runs in the environments folder from the first step on (ls-remote too): it must be there, even for the first environment.
    fs.mkdirSync(path.dirname(environment.path), { recursive: true, mode: 0o700 });

    // 1. Resolve what to check out.
    if (plan.type === 'ambiguous') {
      report('resolving', 'Finding the branch', 0);
      const out: string[] = [];
      await gitOrFail(['ls-remote', '--heads', '--tags', '--', cloneUrl], { cwd: path.dirname(environment.path), remoteUrl: cloneUrl, stdout: (line) => out.push(line) }, 'listing its branches');
      const found = resolveAmbiguous(plan.segments, parseLsRemote(out.join('\n')));
      checkout = { type: found.type, name: found.name };
      subPath = found.subPath;
    } else if (plan.type === 'branch' || plan.type === 'tag') {
      checkout = { type: plan.type, name: plan.name };
    } else if (plan.type === 'commit') {
      checkout = { type: 'commit', sha: plan.sha };
    } else if (plan.type === 'pull-ref') {
      checkout = { type: 'pull', number: plan.number, fetch: { url: cloneUrl, ref: plan.ref }, branch: null, commit: null };
    } else if (plan.type === 'pull-api') {
      report('resolving', 'Finding the pull request', 0);
      const source = await pullRequestSource(entry, context, plan.number, { value: token.token, method: token.method, username: gitUsername(entry.kind, token) === 'x-bitbucket-api-token-auth' ? token.account : null }, {
        ...(this.#options.http ? { http: this.#options.http } : {}),
        ...(this.#options.endpoints ? { endpoints: this.#options.endpoints } : {}),
        signal,
      });
      if (source.fork) {
        checkout = { type: 'pull', number: plan.number, fetch: { url: source.cloneUrl, ref: `refs/heads/${source.branch}` }, branch: source.branch, commit: source.commit };
      } else {
        // The source branch is in the base repository: clone it by name.
        checkout = { type: 'branch', name: source.branch };
        cloneUrl = environment.cloneUrl;
      }
    }

    // 2. Clone.
    const depth: Record<CloneDepth, string[]> = { full: [], shallow: ['--depth', '1'], blobless: ['--filter=blob:none'] };
    const byName = checkout && (checkout.type === 'branch' || checkout.type === 'tag') ? ['--branch', checkout.name] : [];
    const after = checkout && (checkout.type === 'commit' || checkout.type === 'pull');
    if (fs.existsSync(environment.path)) throw new PaddockError('conflict', `The folder ${environment.path} exists already. Move it away, then retry.`);
    report('counting', 'Connecting', 0);
    await gitOrFail(
      ['clone', '--progress', ...depth[environment.depth], ...byName, ...(after ? ['--no-checkout'] : []), '--', cloneUrl, environment.path],
      { cwd: path.dirname(environment.path), remoteUrl: cloneUrl, weight: [0, after ? 0.9 : 1] },
      'cloning',
    );

    // 3. Check out a commit or a pull request.
    const here = { cwd: environment.path, remoteUrl: cloneUrl };
    if (checkout?.type === 'commit') {
      report('checking-out', `Checking out ${checkout.sha.slice(0, 12)}`, 0.9);
      const has = await git(['cat-file', '-e', `${checkout.sha}^{commit}`], here);
      if (has.result.outcome !== 'exited' || has.result.exitCode !== 0) {
        await gitOrFail(['fetch', '--progress', ...(environment.depth === 'shallow' ? ['--depth', '1'] : []), 'origin', checkout.sha], here, 'fetching the commit');
      }
      await gitOrFail(['checkout', '--progress', '--detach', checkout.sha], here, 'checking out the commit');
    } else if (checkout?.type === 'pull') {
      const branch = `pr/${checkout.number}`;
      report('checking-out', `Fetching pull request ${checkout.number}`, 0.9);
      await gitOrFail(
        ['fetch', '--progress', ...(environment.depth === 'shallow' ? ['--depth', '1'] : []), '--', checkout.fetch.url, `+${checkout.fetch.ref}:refs/remotes/origin/${branch}`],
        { cwd: environment.path, remoteUrl: checkout.fetch.url },
        `fetching pull request ${checkout.number}`,
      );
      await gitOrFail(['checkout', '--progress', '-b', branch, `refs/remotes/origin/${branch}`], here, `checking out pull request ${checkout.number}`);
    }

    // 4. What is checked out.
    const head: string[] = [];
    await gitOrFail(['rev-parse', 'HEAD'], { ...here, stdout: (line) => head.push(line.trim()) }, 'reading what is checked out');
    const commit = head[0] ?? '';
    if (subPath !== null && !fs.existsSync(path.join(environment.path, subPath))) {
      this.#options.logger.info('environment sub-path not in the working copy', { environmentId: environment.id });
      subPath = null;
    }
    report('checking-out', 'Ready', 1);
    const resolved: ResolvedRef =
      checkout === null
        ? { type: 'branch', name: await this.#currentBranch(environment.path), number: null, commit }
        : checkout.type === 'commit'
          ? { type: 'commit', name: null, number: null, commit }
          : checkout.type === 'pull'
            ? { type: 'pull', name: checkout.branch, number: checkout.number, commit }
            : { type: checkout.type, name: checkout.name, number: null, commit };
    return { resolved, subPath };
  }

  async #currentBranch(cwd: string): Promise<string | null> {
    const out: string[] = [];
    const result = await runGit({ args: ['symbolic-ref', '--short', '-q', 'HEAD'], cwd, onStdoutLine: (line) => out.push(line.trim()), ...(this.#options.git ? { git: this.#options.git } : {}) });
    return result.outcome === 'exited' && result.exitCode === 0 && out[0] ? out[0] : null;
  }

  /** A clone URL as git reaches it in a development build (moved onto the local git server). */
  #rewrite(url: string): string {
    for (const [from, to] of Object.entries(this.#options.gitEndpoints ?? {})) {
      const origin = from.replace(/\/+$/, '');
      if (url.startsWith(`${origin}/`)) return `${to.replace(/\/+$/, '')}${url.slice(origin.length)}`;
    }
    return url;
  }

  #insteadOf(): GitConfigEntry[] {
    return Object.entries(this.#options.gitEndpoints ?? {}).map(([from, to]) => ({ key: `url.${to.replace(/\/+$/, '')}/.insteadOf`, value: `${from.replace(/\/+$/, '')}/` }));
  }
}
