import { z } from 'zod';
import { hostAccessSchema, type ConnectionState, type HostAccess, type HostConnection } from '../common/api/hosts';
import type { ProviderView } from '../common/provider-config';
import type { TokenView } from '../common/runner-api';
import type { Logger } from './logger';

export interface HostsModelOptions {
  /** The runners that can be asked now (online or degraded), with their names. */
  runners: () => { id: string; name: string }[];
  listProviders: (runnerId: string) => Promise<ProviderView[]>;
  /** This workstation's tokens on that runner. */
  listTokens: (runnerId: string) => Promise<TokenView[]>;
  onChange: (hosts: HostAccess[]) => void;
  logger: Logger;
}

const MAX_CONNECTIONS_PER_HOST = 500;

const MAX_ACCOUNTS = 20;

/**
 * What a user's tokens for one host and organization mean: the connection to
 * show. The account in use is the runner's choice (`inUse`); when it reports
 * none, the most usable one (then the latest expiry).
 */
const rank: Record<TokenView['state'], number> = { connected: 2, expiring: 1, 'reconnect-needed': 0 };
function connectionOf(organization: string | null, tokens: TokenView[]): HostConnection {
  const ordered = [...tokens].sort(
    (a, b) => Number(b.inUse) - Number(a.inUse) || rank[b.state] - rank[a.state] || (b.expiresAt ?? '9999').localeCompare(a.expiresAt ?? '9999'),
  );
  const used = ordered[0];
  if (!used) return { organization, state: 'none', source: null, account: null, expiresAt: null, tokenId: null, accounts: [] };
  return {
    organization,
    state: used.state as ConnectionState,
    source: used.method,
    account: used.account,
    expiresAt: used.expiresAt,
    tokenId: used.id,
    accounts: ordered.slice(0, MAX_ACCOUNTS).map((token) => ({
      tokenId: token.id,
      account: token.account,
      source: token.method,
      state: token.state,
      expiresAt: token.expiresAt,
      renews: token.renews ?? false,
      inUse: token === used,
    })),
  };
}

/** The access entries of one runner, joined with this workstation's tokens there. */
export function hostAccessFor(runner: { id: string; name: string }, providers: ProviderView[], tokens: TokenView[]): HostAccess[] {
  return providers
    .filter((p) => p.oauth.enabled || p.pat.enabled)
    .map((provider) => {
      const mine = tokens.filter((t) => t.host === provider.host);
      const byOrganization = new Map<string | null, TokenView[]>();
      for (const token of mine) {
        const key = token.organization?.toLowerCase() ?? null;
        byOrganization.set(key, [...(byOrganization.get(key) ?? []), token]);
      }
      let connections: HostConnection[];
      if (provider.kind === 'azure-devops') {
        // One connection per organization the entry names, and any other organization this user has a token for.
        const names = provider.organizations.map((o) => o.name);
        for (const token of mine) if (token.organization && !names.some((n) => n.toLowerCase() === token.organization!.toLowerCase())) names.push(token.organization);
        // At most what the app API carries for one host: a runner that reports more cannot blank the list.
        connections = names.slice(0, MAX_CONNECTIONS_PER_HOST).map((name) => connectionOf(name, byOrganization.get(name.toLowerCase()) ?? []));
      } else {
        connections = [connectionOf(null, byOrganization.get(null) ?? [])];
      }
      return {
        host: provider.host,
        kind: provider.kind,
        runnerId: runner.id,
        runnerName: runner.name,
        methods: { oauth: provider.oauth.enabled, pat: provider.pat.enabled },
        managed: provider.managed,
        connections,
      };
    });
}

/**
 * The hosts model, kept per runner: refreshed when a runner comes online,
 * after repository access or tokens change, and on a slow timer (a token
 * becomes "expiring" with time alone). Listeners hear only real changes.
 */
export class HostsModel {
  readonly #byRunner = new Map<string, HostAccess[]>();
  readonly #pending = new Map<string, Promise<void>>();
  readonly #again = new Map<string, Promise<void>>();
  #last = '[]';

  constructor(private readonly options: HostsModelOptions) {}

  list(): HostAccess[] {
    return [...this.#byRunner.values()].flat().sort((a, b) => a.host.localeCompare(b.host) || a.runnerName.localeCompare(b.runnerName));
  }

  /** Asks one runner (or every reachable one) again. A runner that cannot answer keeps what it last said, until it is forgotten. */
  async refresh(runnerId?: string): Promise<HostAccess[]> {
    const runners = this.options.runners().filter((r) => runnerId === undefined || r.id === runnerId);
    await Promise.all(runners.map((runner) => this.#refreshOne(runner)));
    this.#publish();
    return this.list();
  }

  #refreshOne(runner: { id: string; name: string }): Promise<void> {
    const pending = this.#pending.get(runner.id);
    if (pending) {
      // That one may have asked before the change that prompts this call: ask once more when it is
      // done. Later calls join that second one, so a burst of changes asks twice at most.
      let again = this.#again.get(runner.id);
      if (!again) {
        again = pending.then(() => {
          this.#again.delete(runner.id);
          return this.#refreshOne(runner);
        });
        this.#again.set(runner.id, again);
      }
      return again;
    }
    const next = (async () => {
      try {
        const [providers, tokens] = await Promise.all([this.options.listProviders(runner.id), this.options.listTokens(runner.id)]);
        // Checked per runner: one runner's odd answer is left out, the others' hosts stay.
        const access = z.array(hostAccessSchema).safeParse(hostAccessFor(runner, providers, tokens));
        if (!access.success) throw new Error(`its answer does not fit the hosts model (${access.error.issues[0]?.path.join('.')})`);
        this.#byRunner.set(runner.id, access.data);
      } catch (error) {
        this.options.logger.warn('hosts: a runner did not answer', { runnerId: runner.id, error: error instanceof Error ? error.message : String(error) });
      }
    })().finally(() => this.#pending.delete(runner.id));
    this.#pending.set(runner.id, next);
    return next;
  }

  /** A runner was removed: its hosts go. */
  forget(runnerId: string): void {
    if (this.#byRunner.delete(runnerId)) this.#publish();
  }

  #publish() {
    const hosts = this.list();
    const text = JSON.stringify(hosts);
    if (text === this.#last) return;
    this.#last = text;
    this.options.onChange(hosts);
  }
}
