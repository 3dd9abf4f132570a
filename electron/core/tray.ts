import { z } from 'zod';
import type { ConnectionState, Environment, HostAccess, Runner, RunnerState, UiAction } from '../common/api';
import { uiActionSchema } from '../common/api';
import { parseContextUrl } from '../common/context-url/parse';
import type { ConfiguredHost } from '../common/context-url/hosts';
import { PaddockError } from '../common/errors';
import type { ProviderKind } from '../common/provider-kind';
import { catalogueEntry } from '../common/providers';
import { environmentIdSchema, jobIdSchema, MAX_ENVIRONMENT_URL_LENGTH, type EnvironmentState } from '../common/runner-api';
import { isSafeText } from '../common/safe-text';
import type { AppJobEvent } from './jobs';
import type { Logger } from './logger';

// The tray (PRODUCT D1, A5; GIT-AND-DESKTOP §5.1): what the core knows,
// as one snapshot the tray menu is built from as a whole (./tray-menu.ts),
// and the actions its items carry, performed here after checking them
// against the current snapshot. Nothing here touches Electron: the main
// process (electron/main/tray.ts) and the web host's simulated tray both
// show the same menu from the same core.

/** How many environments the tray lists: the most recently changed. */
export const RECENT_ENVIRONMENTS = 5;

/** 'attention': something needs the user (a host to reconnect, a failed runner or environment); 'busy': a clone or sign-in runs. */
export type TrayOverall = 'ok' | 'attention' | 'busy';

export interface TrayRunner {
  id: string;
  name: string;
  state: RunnerState;
}

/** One host (and Azure DevOps organization) on one runner, with this user's connection there. */
export interface TrayConnection {
  runnerId: string;
  runnerName: string;
  host: string;
  kind: ProviderKind;
  organization: string | null;
  state: ConnectionState;
  /** The account in use, as the provider names it; null when there is none or the provider did not say. */
  account: string | null;
  /** How many accounts the user keeps for it. */
  accounts: number;
  /** Whether there is a way to connect (OAuth or a personal access token). */
  canConnect: boolean;
}

/** A clone or a sign-in under way. */
export interface TrayJob {
  runnerId: string;
  jobId: string;
  kind: 'environment-clone' | 'oauth-connect';
  /** The clone's repository ("octo/hello"), or the sign-in's provider and host ("GitHub (github.com)"); null when not known yet. */
  subject: string | null;
  /** The whole clone, 0–100; null while unknown (and for a sign-in). */
  percent: number | null;
}

export interface TrayEnvironment {
  runnerId: string;
  runnerName: string;
  id: string;
  repository: string;
  /** The ref in words: "main", "pull request 7", "tag v1.0". */
  ref: string;
  state: EnvironmentState;
  /** Held by the local runner: its folder can be opened on this computer. */
  local: boolean;
  updatedAt: string;
}

/** Everything the tray shows, as one value: the menu and the icon are functions of it. */
export interface TrayState {
  overall: TrayOverall;
  runners: TrayRunner[];
  connections: TrayConnection[];
  jobs: TrayJob[];
  /** The most recently changed environments, newest first, at most RECENT_ENVIRONMENTS. */
  environments: TrayEnvironment[];
  /** Every environment whose last clone failed (not only the recent ones). */
  failedEnvironments: number;
}

const idSchema = z.string().min(1).max(200);
const hostSchema = z.string().min(1).max(2048);
const organizationSchema = z.string().min(1).max(256).nullable();

/**
 * What a tray item does, as a value (no functions): a menu built in one
 * place is performed in another (the web host's simulated tray posts it
 * back), so it is checked with this schema, then against the current state.
 */
export const trayActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('open-window') }).strict(),
  z.object({ type: z.literal('quit') }).strict(),
  /** "Log in…" and "Reconnect…": the connect dialog in the window. */
  z.object({ type: z.literal('connect'), runnerId: idSchema, host: hostSchema, organization: organizationSchema }).strict(),
  z.object({ type: z.literal('log-out'), runnerId: idSchema, host: hostSchema, organization: organizationSchema }).strict(),
  z.object({ type: z.literal('cancel-job'), runnerId: idSchema, jobId: jobIdSchema }).strict(),
  z.object({ type: z.literal('open-environment'), runnerId: idSchema, id: environmentIdSchema, target: z.enum(['folder', 'editor']) }).strict(),
  z.object({ type: z.literal('show-environment'), runnerId: idSchema, id: environmentIdSchema }).strict(),
  z.object({ type: z.literal('show-screen'), screen: z.enum(['runners', 'environments', 'accounts', 'settings']) }).strict(),
  /** The address on the clipboard, read again when the item is chosen. */
  z.object({ type: z.literal('new-environment-from-clipboard') }).strict(),
]);
export type TrayAction = z.infer<typeof trayActionSchema>;

/** What the shell does after an action: show the window (the action continues there), quit, or nothing more. */
export type TrayActionResult = 'show-window' | 'quit' | 'done';

/** What the performer may do, given by the core. */
export interface TrayActionTarget {
  logOut(input: { runnerId: string; host: string; organization: string | null }): Promise<unknown>;
  cancelJob(input: { runnerId: string; jobId: string }): Promise<unknown>;
  openEnvironment(input: { runnerId: string; id: string; target: 'folder' | 'editor' }): Promise<unknown>;
  requestUi(action: UiAction): void;
  /** Adds a waiting environment request, which the user confirms in the window (./intake.ts). */
  requestEnvironment(url: string): void;
}

const stale = () => new PaddockError('not-found', 'This item has changed since the menu opened. Open the tray menu again.');

/**
 * Performs a tray item's action after checking it against the current
 * state: an item of a menu built before a host was removed, a job ended or
 * an environment went away is refused (`not-found`), never acted on.
 * `clipboardText` is read when the user chose "New environment from
 * clipboard"; when it no longer holds a repository URL the Environments
 * screen opens instead, where one can be pasted.
 */
export async function performTrayAction(
  input: unknown,
  state: TrayState,
  target: TrayActionTarget,
  context: { clipboardText?: string | null } = {},
): Promise<TrayActionResult> {
  const parsed = trayActionSchema.safeParse(input);
  if (!parsed.success) throw new PaddockError('invalid-input', 'The tray asked for something Paddock does not do.');
  const action = parsed.data;
  const connection = (a: { runnerId: string; host: string; organization: string | null }) =>
    state.connections.find((c) => c.runnerId === a.runnerId && c.host === a.host && c.organization === a.organization);
  const environment = (a: { runnerId: string; id: string }) => state.environments.find((e) => e.runnerId === a.runnerId && e.id === a.id);
  switch (action.type) {
    case 'open-window':
      return 'show-window';
    case 'quit':
      return 'quit';
    case 'connect': {
      if (!connection(action)?.canConnect) throw stale();
      target.requestUi(uiActionSchema.parse({ type: 'connect', runnerId: action.runnerId, host: action.host, organization: action.organization }));
      return 'show-window';
    }
    case 'log-out': {
      const found = connection(action);
      if (!found || found.state === 'none') throw stale();
      await target.logOut({ runnerId: action.runnerId, host: action.host, organization: action.organization });
      return 'done';
    }
    case 'cancel-job':
      if (!state.jobs.some((job) => job.runnerId === action.runnerId && job.jobId === action.jobId)) throw stale();
      await target.cancelJob({ runnerId: action.runnerId, jobId: action.jobId });
      return 'done';
    case 'open-environment': {
      const found = environment(action);
      if (!found || !found.local || found.state !== 'ready') throw stale();
      await target.openEnvironment({ runnerId: action.runnerId, id: action.id, target: action.target });
      return 'done';
    }
    case 'show-environment':
      if (!environment(action)) throw stale();
      target.requestUi({ type: 'show-environment', runnerId: action.runnerId, id: action.id });
      return 'show-window';
    case 'show-screen':
      target.requestUi({ type: 'show-screen', screen: action.screen });
      return 'show-window';
    case 'new-environment-from-clipboard': {
      const url = repositoryUrlIn(context.clipboardText ?? null, state);
      if (url === null) target.requestUi({ type: 'show-screen', screen: 'environments' });
      else target.requestEnvironment(url);
      return 'show-window';
    }
  }
}

/**
 * The repository URL in a text (the clipboard, a link dropped on the icon),
 * when the context-URL parser accepts it with the hosts the runners have
 * access to; null otherwise. An address that carries a user name and
 * password is refused: it would be shown and kept with its secret.
 */
export function repositoryUrlIn(text: string | null, state: Pick<TrayState, 'connections'>): string | null {
  if (typeof text !== 'string') return null;
  const url = text.trim();
  if (url.length === 0 || url.length > MAX_ENVIRONMENT_URL_LENGTH || /\s/.test(url) || !isSafeText(url)) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*:[^/?#]*@/i.test(url)) return null;
  const seen = new Set<string>();
  const configured: ConfiguredHost[] = [];
  for (const c of state.connections) {
    if (seen.has(`${c.kind} ${c.host}`)) continue;
    seen.add(`${c.kind} ${c.host}`);
    configured.push({ kind: c.kind, baseUrl: c.host } as ConfiguredHost);
  }
  return parseContextUrl(url, configured).ok ? url : null;
}

/** The ref in words, as the Environments screen says it. */
function refWords(environment: Environment): string {
  const resolved = environment.resolved;
  if (resolved) {
    if (resolved.type === 'pull') return `pull request ${resolved.number}`;
    if (resolved.type === 'commit') return `commit ${resolved.commit.slice(0, 8)}`;
    return resolved.type === 'tag' ? `tag ${resolved.name}` : (resolved.name ?? 'default branch');
  }
  const ref = environment.ref;
  if (!ref) return 'default branch';
  if (ref.type === 'pull') return `pull request ${ref.number}`;
  if (ref.type === 'commit') return `commit ${ref.sha.slice(0, 8)}`;
  return ref.type === 'tag' ? `tag ${ref.name}` : ref.name;
}

/** The provider and host as people read them: "GitHub (github.com)". */
export function hostWords(kind: ProviderKind, host: string): string {
  return `${catalogueEntry(kind).displayName} (${host.replace(/^https?:\/\//i, '').replace(/\/+$/, '')})`;
}

export interface TrayModelOptions {
  runners: () => Runner[];
  hosts: () => HostAccess[];
  /** Every reachable runner's environments (the core's listEnvironments). */
  listEnvironments: () => Promise<Environment[]>;
  logger: Logger;
}

interface TrackedJob {
  runnerId: string;
  jobId: string;
  kind: TrayJob['kind'];
  environmentId: string | null;
  percent: number | null;
}

const jobKey = (runnerId: string, jobId: string) => `${runnerId} ${jobId}`;

/**
 * The tray's view of the core, kept up to date from the core's own events
 * (runnersChanged, hostsChanged, jobEvent) and its environment list, asked
 * again when a clone ends, an environment is created or deleted, a runner
 * comes or goes, and once a minute. Listeners hear of a change only when
 * the snapshot changed (a heartbeat that changes nothing rebuilds no menu;
 * a clone's progress counts in whole percent).
 */
export class TrayModel {
  readonly #options: TrayModelOptions;
  readonly #listeners = new Set<(state: TrayState) => void>();
  readonly #jobs = new Map<string, TrackedJob>();
  /** Sign-ins this app started: what they sign in to. */
  readonly #signIns = new Map<string, string>();
  /** Jobs whose end arrived: the runner's record of their environment may still say "creating" for a moment. */
  readonly #ended = new Set<string>();
  #recheck: ReturnType<typeof setTimeout> | null = null;
  #environments: Environment[] = [];
  #last: string;
  #state: TrayState;
  #refreshing: Promise<void> | null = null;
  #again = false;
  #disposed = false;

  constructor(options: TrayModelOptions) {
    this.#options = options;
    this.#state = this.#compute();
    this.#last = JSON.stringify(this.#state);
  }

  state(): TrayState {
    return structuredClone(this.#state);
  }

  onChange(listener: (state: TrayState) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Computes the snapshot again (the runners or hosts changed) and tells the listeners when it differs. */
  update(): void {
    if (this.#disposed) return;
    const next = this.#compute();
    const text = JSON.stringify(next);
    this.#state = next;
    if (text === this.#last) return;
    this.#last = text;
    for (const listener of this.#listeners) {
      try {
        listener(this.state());
      } catch (error) {
        this.#options.logger.warn('tray listener failed', { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  /** A sign-in the app started: its job shows what it signs in to. */
  noteSignIn(runnerId: string, jobId: string, kind: ProviderKind, host: string, organization: string | null): void {
    this.#signIns.set(jobKey(runnerId, jobId), organization ? `${hostWords(kind, host)}, ${organization}` : hostWords(kind, host));
    this.update();
  }

  /** One job event from the core: clones and sign-ins are followed until they end. */
  jobEvent({ runnerId, jobId, event }: AppJobEvent): void {
    const key = jobKey(runnerId, jobId);
    const known = this.#jobs.get(key);
    if (event.type === 'state') {
      const kind = event.job.kind;
      if (event.job.state !== 'running' || (kind !== 'environment-clone' && kind !== 'oauth-connect')) {
        this.#end(key, known?.kind === 'environment-clone' || kind === 'environment-clone');
        return;
      }
      let environmentId = known?.environmentId ?? null;
      let percent = known?.percent ?? null;
      for (const { progress } of event.job.progress) {
        if (progress.kind === 'environment-clone') {
          environmentId = progress.environmentId;
          percent = Math.floor(progress.overall * 100);
        }
      }
      this.#jobs.set(key, { runnerId, jobId, kind, environmentId, percent });
      this.update();
    } else if (event.type === 'progress') {
      if (event.progress.kind !== 'environment-clone') return;
      const environmentId = event.progress.environmentId;
      const percent = Math.floor(event.progress.overall * 100);
      this.#jobs.set(key, { runnerId, jobId, kind: 'environment-clone', environmentId, percent });
      this.update();
    } else if (event.type === 'end') {
      this.#end(key, known?.kind === 'environment-clone' || (event.outcome.state === 'succeeded' && event.outcome.result.kind === 'environment-clone'));
    }
  }

  #end(key: string, refresh: boolean) {
    const had = this.#jobs.delete(key);
    this.#signIns.delete(key);
    this.#ended.add(key);
    // Bounded: the oldest ends are forgotten first.
    if (this.#ended.size > 200) this.#ended.delete(this.#ended.values().next().value!);
    if (had) this.update();
    if (refresh) void this.refreshEnvironments();
  }

  /** Asks the runners for their environments again; one request at a time, another after it when asked meanwhile. */
  refreshEnvironments(): Promise<void> {
    if (this.#refreshing) {
      this.#again = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      do {
        this.#again = false;
        try {
          this.#environments = await this.#options.listEnvironments();
          // A clone that ended but whose environment its runner still records as being made: ask again shortly.
          const late = this.#environments.some((e) => e.state === 'creating' && e.jobId && this.#ended.has(jobKey(e.runnerId, e.jobId)));
          if (late && !this.#recheck && !this.#disposed) {
            this.#recheck = setTimeout(() => {
              this.#recheck = null;
              void this.refreshEnvironments();
            }, 1000);
            this.#recheck.unref?.();
          }
        } catch (error) {
          this.#options.logger.info('tray: environments could not be listed', { error: error instanceof Error ? error.message : String(error) });
        }
        this.update();
      } while (this.#again && !this.#disposed);
    })().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  dispose(): void {
    this.#disposed = true;
    this.#listeners.clear();
    if (this.#recheck) clearTimeout(this.#recheck);
  }

  #compute(): TrayState {
    const runners = this.#options.runners();
    const runnerIds = new Set(runners.map((r) => r.id));
    const localIds = new Set(runners.filter((r) => r.kind === 'local').map((r) => r.id));
    const connections: TrayConnection[] = this.#options.hosts().flatMap((access) =>
      access.connections.map((connection) => ({
        runnerId: access.runnerId,
        runnerName: access.runnerName,
        host: access.host,
        kind: access.kind,
        organization: connection.organization,
        state: connection.state,
        account: connection.account,
        accounts: Math.max(connection.accounts.length, connection.state === 'none' ? 0 : 1),
        canConnect: access.methods.oauth || access.methods.pat,
      })),
    );
    // The environments of runners that are still there (a removed runner's go with it).
    const all = this.#environments.filter((e) => runnerIds.has(e.runnerId));
    const byId = new Map(all.map((e) => [`${e.runnerId} ${e.id}`, e]));
    const jobs: TrayJob[] = [...this.#jobs.values()]
      .filter((job) => runnerIds.has(job.runnerId))
      .map((job) => ({
        runnerId: job.runnerId,
        jobId: job.jobId,
        kind: job.kind,
        subject:
          job.kind === 'oauth-connect'
            ? (this.#signIns.get(jobKey(job.runnerId, job.jobId)) ?? null)
            : job.environmentId
              ? (byId.get(`${job.runnerId} ${job.environmentId}`)?.repository ?? null)
              : (all.find((e) => e.runnerId === job.runnerId && e.jobId === job.jobId)?.repository ?? null),
        percent: job.kind === 'environment-clone' ? job.percent : null,
      }));
    // A clone the runner reports under way that this app does not follow (it started before the app did).
    for (const e of all) {
      if (e.state !== 'creating' || !e.jobId || this.#ended.has(jobKey(e.runnerId, e.jobId)) || jobs.some((j) => j.runnerId === e.runnerId && j.jobId === e.jobId)) continue;
      jobs.push({ runnerId: e.runnerId, jobId: e.jobId, kind: 'environment-clone', subject: e.repository, percent: null });
    }
    const environments = [...all]
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.createdAt.localeCompare(a.createdAt))
      .slice(0, RECENT_ENVIRONMENTS)
      .map((e) => ({
        runnerId: e.runnerId,
        runnerName: e.runnerName,
        id: e.id,
        repository: e.repository,
        ref: refWords(e),
        state: e.state,
        local: localIds.has(e.runnerId),
        updatedAt: e.updatedAt,
      }));
    const failedEnvironments = all.filter((e) => e.state === 'failed').length;
    const state: Omit<TrayState, 'overall'> = {
      runners: runners.map((r) => ({ id: r.id, name: r.name, state: r.health.state })),
      connections,
      jobs,
      environments,
      failedEnvironments,
    };
    return { overall: overallOf(state), ...state };
  }
}

/** Something needs the user first; else a clone or sign-in under way; else all is well. */
export function overallOf(state: Omit<TrayState, 'overall'>): TrayOverall {
  if (state.runners.some((r) => r.state === 'failed') || state.connections.some((c) => c.state === 'reconnect-needed') || state.failedEnvironments > 0) {
    return 'attention';
  }
  return state.jobs.length > 0 ? 'busy' : 'ok';
}
