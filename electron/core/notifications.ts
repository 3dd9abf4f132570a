import type { HostAccess, HostAccount, HostConnection, Runner, UiAction } from '../common/api';
import { catalogueEntry, tokenNameInSentence } from '../common/providers';
import type { EnvironmentView, JobOutcome, JobView } from '../common/runner-api';
import type { DesktopIntegration } from './desktop';
import type { AppJobEvent } from './jobs';
import type { Logger } from './logger';

// System notifications (issue 11 point 3): the core decides what is worth
// one, the desktop shows it (electron/main/notifications.ts). Fed by the
// core's own events; the transitions that decide are pure functions of the
// previous and the next snapshot, tested directly.
//
// Each is shown once:
// * a host (and Azure DevOps organization) connected: its connection went
//   from none or reconnect-needed to usable — never for one first seen
//   already connected (at start, or when a runner comes online);
// * an environment's clone ended ready or failed (not cancelled): the clones
//   the core started (createEnvironment, retryEnvironment);
// * a token entered "expiring" (and the runner does not renew it): once per
//   token and expiry, so again only after it was renewed or replaced; tokens
//   already expiring when Paddock starts are told once per run of Paddock;
// * a runner entered failed: once until it works again (online or degraded).
//
// The focus rule: an outcome of something the user did in Paddock (a
// connection, an environment created or retried, a runner added, registered,
// set up or restarted, a token they just connected) is not shown when a
// Paddock window has focus as it arrives — they see it there. What happens on
// its own (a token nearing its end, a runner failing by itself) is shown
// whatever the focus. With preferences.notifications off, nothing is shown;
// what would have been shown counts as told (turning them on replays nothing).

/** One notification the core decided on. */
export interface CoreNotification {
  /** What it is about, for the log (ids and hosts only). */
  readonly about: string;
  readonly title: string;
  readonly body: string;
  /** What a click opens in the window. */
  readonly action: UiAction | null;
  /** The outcome of something the user did in Paddock: not shown while a Paddock window has focus. */
  readonly byUser: boolean;
}

const MAX_TITLE = 120;
const MAX_BODY = 300;

/**
 * Text fit for a notification: one line, no user name or password inside an
 * address (a git message can quote a remote URL), cut to length.
 */
export function notificationText(text: string, max = MAX_BODY): string {
  const plain = text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length <= max ? plain : `${plain.slice(0, max - 1).trimEnd()}…`;
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'always' });
const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "in 3 days", "in 5 hours", "in 20 minutes"; within a minute, "now". */
export function relativeToNow(then: Date, now: Date): string {
  const seconds = Math.round((then.getTime() - now.getTime()) / 1000);
  const size = Math.abs(seconds);
  for (const [unit, length] of units) if (size >= length) return relative.format(Math.sign(seconds) * Math.floor(size / length), unit);
  return 'now';
}

/** A host as people know it: the provider's own name, with the host where it is not the public service, and the Azure DevOps organization. */
export function providerName(access: Pick<HostAccess, 'kind' | 'host'>, organization: string | null): string {
  const entry = catalogueEntry(access.kind);
  const trim = (url: string) => url.replace(/\/+$/, '').toLowerCase();
  let where: string | null = null;
  if (organization) where = organization;
  else if (entry.host.default === null || trim(entry.host.default) !== trim(access.host)) {
    try {
      const url = new URL(access.host);
      where = `${url.host}${url.pathname.replace(/\/+$/, '')}`;
    } catch {
      where = null;
    }
  }
  return where ? `${entry.displayName} (${where})` : entry.displayName;
}

const usable = (state: HostConnection['state']) => state === 'connected' || state === 'expiring';
const connectionKey = (access: HostAccess, connection: HostConnection) => `${access.runnerId}\n${access.host}\n${connection.organization?.toLowerCase() ?? ''}`;

function connectionsOf(hosts: readonly HostAccess[]): Map<string, HostConnection> {
  const map = new Map<string, HostConnection>();
  for (const access of hosts) for (const connection of access.connections) map.set(connectionKey(access, connection), connection);
  return map;
}

/** A token that ends and that the runner will not renew: the user must act before then. */
const ending = (account: HostAccount) => account.state === 'expiring' && !account.renews && account.expiresAt !== null;

/**
 * The hosts model changed (`previous` null: the first snapshot): the hosts
 * that became connected, the tokens that entered "expiring".
 */
export function hostNotifications(previous: readonly HostAccess[] | null, next: readonly HostAccess[], now: Date): CoreNotification[] {
  const before = connectionsOf(previous ?? []);
  const out: CoreNotification[] = [];
  for (const access of next) {
    for (const connection of access.connections) {
      const was = before.get(connectionKey(access, connection));
      const name = providerName(access, connection.organization);
      const about = `${access.runnerId} ${access.host}${connection.organization ? ` ${connection.organization}` : ''}`;
      if (was && !usable(was.state) && usable(connection.state)) {
        out.push({
          about: `host connected: ${about}`,
          title: notificationText(`${name} is now connected`, MAX_TITLE),
          body: notificationText(connection.account ? `Signed in as ${connection.account}. You can now create environments from its repositories.` : 'You can now create environments from its repositories.'),
          action: { type: 'show-screen', screen: 'accounts' },
          byUser: true,
        });
      }
      for (const account of connection.accounts) {
        if (!ending(account)) continue;
        const old = was?.accounts.find((a) => a.tokenId === account.tokenId);
        if (old && ending(old) && old.expiresAt === account.expiresAt) continue;
        const when = relativeToNow(new Date(account.expiresAt!), now);
        const whose = account.account ? ` for ${account.account}` : '';
        out.push({
          about: `token expiring: ${about} ${account.tokenId}`,
          title: notificationText(`${name}: access expires ${when}`, MAX_TITLE),
          body: notificationText(
            account.source === 'pat'
              ? `The ${tokenNameInSentence(catalogueEntry(access.kind).pat.name, { short: true })}${whose} expires ${when}. Replace it to keep cloning and pushing without interruption.`
              : `The sign-in${whose} ends ${when}. Reconnect to keep cloning and pushing without interruption.`,
          ),
          action: { type: 'connect', runnerId: access.runnerId, host: access.host, organization: connection.organization },
          // A connection already known whose token is new or replaced: the user just connected it (and sees its expiry there).
          byUser: was !== undefined && (old === undefined || old.expiresAt !== account.expiresAt),
        });
      }
    }
  }
  return out;
}

/**
 * The runner list changed: the runners that entered failed. `told` holds the
 * runners whose failure was told and that have not worked since; the answer
 * says who they are now. A runner in `userActed` (just added, registered,
 * set up or restarted by the user) fails as the outcome of what they did.
 */
export function runnerNotifications(
  next: readonly Runner[],
  told: ReadonlySet<string>,
  userActed: ReadonlySet<string> = new Set(),
): { notifications: CoreNotification[]; told: Set<string> } {
  const nowTold = new Set<string>();
  const notifications: CoreNotification[] = [];
  for (const runner of next) {
    const { state, message } = runner.health;
    if (state === 'online' || state === 'degraded') continue;
    if (told.has(runner.id)) {
      nowTold.add(runner.id);
      continue;
    }
    if (state !== 'failed') continue;
    nowTold.add(runner.id);
    notifications.push({
      about: `runner failed: ${runner.id}`,
      title: notificationText(`Runner failed: ${runner.name}`, MAX_TITLE),
      body: notificationText(message ?? 'Paddock cannot use this runner now. Open Runners to see what to do.'),
      action: { type: 'show-screen', screen: 'runners' },
      byUser: userActed.has(runner.id),
    });
  }
  return { notifications, told: nowTold };
}

/** A clone the core started, as the runner answered: what to say when it ends. */
export interface StartedClone {
  runnerId: string;
  runnerName: string;
  environment: EnvironmentView;
}

/** What checked-out ref an environment has: "Branch main", "Pull request 12"; null when nothing is known. */
function checkedOut(environment: EnvironmentView): string | null {
  const ref = environment.resolved;
  if (!ref) return null;
  if (ref.type === 'pull') return ref.number ? `Pull request ${ref.number}` : 'The pull request';
  if (ref.type === 'commit') return `Commit ${ref.commit.slice(0, 7)}`;
  return ref.name ? `${ref.type === 'tag' ? 'Tag' : 'Branch'} ${ref.name}` : null;
}

/** A clone ended: ready or failed (a cancelled one was the user's own doing, and says nothing). */
export function cloneNotification(clone: StartedClone, outcome: JobOutcome | null): CoreNotification | null {
  if (!outcome || outcome.state === 'cancelled') return null;
  const environment = outcome.state === 'succeeded' && outcome.result.kind === 'environment-clone' ? outcome.result.environment : clone.environment;
  const action: UiAction = { type: 'show-environment', runnerId: clone.runnerId, id: clone.environment.id };
  const about = `${clone.runnerId} ${clone.environment.id}`;
  if (outcome.state === 'succeeded') {
    const ref = checkedOut(environment);
    return {
      about: `environment ready: ${about}`,
      title: notificationText(`Environment ready: ${environment.repository}`, MAX_TITLE),
      body: notificationText(`${ref ? `${ref} is checked out` : 'Cloned'} on ${clone.runnerName}. Open it from Paddock.`),
      action,
      byUser: true,
    };
  }
  return {
    about: `environment failed: ${about}`,
    title: notificationText(`Environment failed: ${environment.repository}`, MAX_TITLE),
    body: notificationText(outcome.error.message || 'The clone did not finish. Open the environment in Paddock to retry it.'),
    action,
    byUser: true,
  };
}

export interface NotificationCenterOptions {
  desktop: Pick<DesktopIntegration, 'notify' | 'windowFocused' | 'showWindow'>;
  /** preferences.notifications, read at each notification. */
  enabled: () => boolean;
  /** The main surface's requestUi: a click asks the window to show what it is about. */
  requestUi: (action: UiAction) => void;
  logger: Logger;
  now?: () => Date;
}

/** The most clones followed at once; older ones are forgotten (their end then says nothing). */
const MAX_FOLLOWED_CLONES = 200;

/** The notifications model: fed the core's events, it shows each notification once, or not at all. */
export class NotificationCenter {
  readonly #options: NotificationCenterOptions;
  #hosts: HostAccess[] | null = null;
  #runnerIds = new Set<string>();
  /** How many runner additions the user has under way: the runners that appear meanwhile are theirs. */
  #adding = 0;
  #failedTold = new Set<string>();
  readonly #userActed = new Set<string>();
  /** The user's runner actions under way (restart, register, set up), per runner: its mark stays while one is. */
  readonly #acting = new Map<string, number>();
  readonly #clones = new Map<string, StartedClone>();
  #disposed = false;

  constructor(options: NotificationCenterOptions) {
    this.#options = options;
  }

  hostsChanged(hosts: HostAccess[]): void {
    const previous = this.#hosts;
    this.#hosts = hosts;
    for (const n of hostNotifications(previous, hosts, (this.#options.now ?? (() => new Date()))())) this.#show(n);
  }

  runnersChanged(runners: Runner[]): void {
    if (this.#adding > 0) for (const runner of runners) if (!this.#runnerIds.has(runner.id)) this.#userActed.add(runner.id);
    this.#runnerIds = new Set(runners.map((r) => r.id));
    const { notifications, told } = runnerNotifications(runners, this.#failedTold, this.#userActed);
    this.#failedTold = told;
    // What the user started has its outcome once their action has answered and the runner is no longer on its way
    // (starting, or stopped for a restart): a health answer from before the action says nothing of its outcome.
    for (const runner of runners) {
      if (this.#acting.has(runner.id)) continue;
      if (runner.health.state !== 'starting' && runner.health.state !== 'offline') this.#userActed.delete(runner.id);
    }
    for (const id of this.#userActed) if (!runners.some((r) => r.id === id)) this.#userActed.delete(id);
    for (const n of notifications) this.#show(n);
  }

  /** The user restarted, registered or set up this runner in Paddock: its next failure is theirs to see. */
  userActedOnRunner(runnerId: string): void {
    this.#userActed.add(runnerId);
  }

  /**
   * The user restarts, registers or sets up this runner: a failure while the
   * action is under way, or once it answered and before the runner is no
   * longer on its way, is theirs to see.
   */
  async userActsOnRunner<T>(runnerId: string, action: () => T | Promise<T>): Promise<T> {
    this.#userActed.add(runnerId);
    this.#acting.set(runnerId, (this.#acting.get(runnerId) ?? 0) + 1);
    try {
      return await action();
    } finally {
      const left = (this.#acting.get(runnerId) ?? 1) - 1;
      if (left > 0) this.#acting.set(runnerId, left);
      else this.#acting.delete(runnerId);
    }
  }

  /** The user adds a runner (its id is known only once it is there): the runners that appear while it is under way are theirs. */
  async userAddsRunner<T>(add: () => Promise<T>): Promise<T> {
    this.#adding++;
    try {
      return await add();
    } finally {
      this.#adding--;
    }
  }

  /** The core started an environment's clone (the user created or retried it). */
  cloneStarted(clone: StartedClone, job: JobView): void {
    if (job.state !== 'running') {
      this.#showOrNot(cloneNotification(clone, job.outcome));
      return;
    }
    this.#clones.set(`${clone.runnerId} ${job.id}`, clone);
    while (this.#clones.size > MAX_FOLLOWED_CLONES) this.#clones.delete(this.#clones.keys().next().value!);
  }

  jobEvent({ runnerId, jobId, event }: AppJobEvent): void {
    const key = `${runnerId} ${jobId}`;
    const clone = this.#clones.get(key);
    if (!clone) return;
    let outcome: JobOutcome | null;
    if (event.type === 'end') outcome = event.outcome;
    else if (event.type === 'state' && event.job.state !== 'running') outcome = event.job.outcome;
    else return;
    this.#clones.delete(key);
    this.#showOrNot(cloneNotification(clone, outcome));
  }

  dispose(): void {
    this.#disposed = true;
    this.#clones.clear();
  }

  #showOrNot(notification: CoreNotification | null) {
    if (notification) this.#show(notification);
  }

  #show(notification: CoreNotification) {
    const { desktop, enabled, requestUi, logger } = this.#options;
    if (this.#disposed) return;
    if (!enabled()) {
      logger.info('notification not shown: notifications are off', { about: notification.about });
      return;
    }
    if (notification.byUser && desktop.windowFocused()) {
      logger.info('notification not shown: the window has focus', { about: notification.about });
      return;
    }
    const { action } = notification;
    logger.info('notification shown', { about: notification.about });
    try {
      desktop.notify({
        title: notification.title,
        body: notification.body,
        ...(action
          ? {
              onClick: () => {
                if (this.#disposed) return;
                requestUi(action);
                desktop.showWindow();
              },
            }
          : {}),
      });
    } catch (error) {
      logger.warn('a notification could not be shown', { about: notification.about, error: error instanceof Error ? error.message : String(error) });
    }
  }
}
