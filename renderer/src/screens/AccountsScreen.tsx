import { useEffect, useRef, useState, type RefObject } from 'react';
import type { ConnectionState, HostAccess, HostAccount, HostConnection, PaddockApi, Runner } from '../../../electron/common/api';
import { catalogueEntry } from '../../../electron/common/providers';
import type { JobOutcome, JobView, TokenState, TokenView } from '../../../electron/common/runner-api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { EmptyState, LoadError, Screen } from '../components/Screen';
import { errorView } from '../errors';
import { exactTime, relativeToNow, tokenNameInSentence } from '../format';
import { useApiValue, useNow, useRunners } from '../hooks';
import { useJob } from '../jobs';
import { ConnectDialog } from './accounts/ConnectDialog';
import { PatDialog } from './accounts/PatDialog';

const badgeClass: Record<ConnectionState, string> = {
  connected: 'badge-online',
  expiring: 'badge-degraded',
  'reconnect-needed': 'badge-failed',
  none: 'badge-offline',
};

/** The state in words, never by colour alone: "Connected", "Expires in 5 days", "Needs reconnecting", "Not connected". */
export function connectionStateLabel(connection: { state: ConnectionState; expiresAt: string | null }, now: Date): string {
  switch (connection.state) {
    case 'connected':
      return 'Connected';
    case 'expiring':
      return connection.expiresAt ? `Expires ${relativeToNow(new Date(connection.expiresAt), now)}` : 'Expires soon';
    case 'reconnect-needed':
      return 'Needs reconnecting';
    case 'none':
      return 'Not connected';
  }
}

const sourceLabel = { oauth: 'OAuth', pat: 'Personal access token' } as const;

/** One host on one runner, and one organization for Azure DevOps: what the dialogs act on. */
interface Target {
  access: HostAccess;
  organization: string | null;
}

/** Log out of one account, or (an older hosts model without ids) of the host and organization. */
interface LogOutTarget extends Target {
  account: (ListedAccount & { tokenId: HostAccount['tokenId'] }) | null;
}

const targetName = ({ access, organization }: Target) => (organization ? `${organization} (${access.host})` : access.host);

/** An account as the screen lists it; `tokenId` null where the hosts model reports only the account in use, without its id. */
type ListedAccount = Omit<HostAccount, 'tokenId'> & { tokenId: HostAccount['tokenId'] | null };

/** The accounts a connection lists: the hosts model's, or the one in use where it reports only that. */
function accountsOf(connection: HostConnection): ListedAccount[] {
  if (connection.accounts.length > 0) return connection.accounts;
  if (connection.state === 'none' || !connection.source) return [];
  const { tokenId, account, source, state, expiresAt } = connection;
  return [{ tokenId, account, source, state, expiresAt, renews: false, inUse: true }];
}

const accountName = (account: ListedAccount) => account.account ?? 'Unnamed account';

/** What the screen says after an action: done, or a problem to act on (never shown as a success). */
interface Outcome {
  text: string;
  problem: boolean;
}

const done = (text: string): Outcome => ({ text, problem: false });
const problem = (text: string): Outcome => ({ text, problem: true });

/** A token check's outcome in words. */
function checkOutcome(outcome: JobOutcome, name: string): Outcome {
  if (outcome.state === 'cancelled') return done(`The check of your token for ${name} was cancelled.`);
  if (outcome.state === 'failed') return problem(errorView(outcome.error).message);
  if (outcome.result.kind !== 'token-check') return done(`${name} was checked.`);
  const token: TokenView = outcome.result.token;
  const state: TokenState = token.state;
  if (state === 'reconnect-needed') return problem(`The provider refused your token for ${name}: reconnect to go on using it.`);
  return done(outcome.result.refreshed ? `Your token for ${name} works; it was renewed.` : `Your token for ${name} works.`);
}

/** Follows one token-check job and reports its end. Renders nothing. */
function CheckWatch({ api, runnerId, job, onEnd }: { api: PaddockApi; runnerId: string; job: JobView; onEnd: (outcome: JobOutcome) => void }) {
  const watch = useJob(api, runnerId, job.id, job);
  const outcome = watch?.outcome ?? null;
  useEffect(() => {
    if (outcome) onEnd(outcome);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [outcome]);
  return null;
}

/** The tray's "Log in…" or "Reconnect…" for a host (and organization) of a runner: the connect dialog opens for it. */
export interface ConnectRequest {
  runnerId: string;
  host: string;
  organization: string | null;
  /** Tells one request from the next for the same host. */
  nonce: number;
}

/**
 * Settings → Accounts (PRODUCT A1–A4): every host a runner has repository
 * access to, live from the hosts model, with this user's connection per
 * Azure DevOps organization and every account kept for it: state, how it
 * was made, when it expires, the one used for new environments, and what
 * can be done — Connect or Reconnect (ConnectDialog), Replace token for a
 * personal access token close to its expiry (PatDialog), Check, Use this
 * account, Log out, Add another account.
 */
export function AccountsScreen({ api, headingRef, connectRequest = null, onConnectRequestTaken }: {
  api: PaddockApi;
  headingRef: RefObject<HTMLHeadingElement | null>;
  /** Open the connect dialog for this host once the hosts are listed (the tray asked). */
  connectRequest?: ConnectRequest | null;
  onConnectRequestTaken?: () => void;
}) {
  const hosts = useApiValue(
    () => api.listHosts(),
    (listener) => api.onHostsChanged(listener),
  );
  const runners = useRunners(api);
  const now = useNow(60_000);
  const [connecting, setConnecting] = useState<(Target & { reconnect: boolean }) | null>(null);
  const [replacing, setReplacing] = useState<Target | null>(null);
  const [loggingOut, setLoggingOut] = useState<LogOutTarget | null>(null);
  const [checks, setChecks] = useState<Record<string, { runnerId: string; job: JobView; name: string }>>({});
  const [busy, setBusy] = useState<Record<string, boolean>>({});
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  // The tray's Log in… or Reconnect…: the same dialog as the screen's own buttons, once the hosts are known.
  const openFor = (request: ConnectRequest, list: HostAccess[]) => {
    const access = list.find((a) => a.runnerId === request.runnerId && a.host === request.host);
    const wanted = request.organization?.toLowerCase() ?? null;
    const connection = access?.connections.find((c) => (c.organization?.toLowerCase() ?? null) === wanted);
    if (!access || !connection || !(access.methods.oauth || access.methods.pat)) {
      setOutcome(problem('That host is no longer set up for connecting on its runner, so there is nothing to log in to. The list below is up to date.'));
      return;
    }
    setOutcome(null);
    setConnecting({ access, organization: connection.organization, reconnect: connection.state === 'reconnect-needed' || connection.state === 'expiring' });
  };
  const openRequested = useRef(openFor);
  useEffect(() => {
    openRequested.current = openFor;
  });
  useEffect(() => {
    if (!connectRequest || hosts.state === 'loading') return;
    onConnectRequestTaken?.();
    openRequested.current(connectRequest, hosts.state === 'ready' ? hosts.value : []);
    // The request is taken once; later changes of the hosts list do not open it again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [connectRequest, hosts.state]);

  const runnerOf = (runnerId: string): Runner | null =>
    runners.state === 'ready' ? (runners.value.find((runner) => runner.id === runnerId) ?? null) : null;

  const connectedText = (target: Target, token: TokenView) => {
    const as = token.account ? ` as ${token.account}` : '';
    const organization = target.organization ? ` for ${target.organization}` : '';
    return `${catalogueEntry(target.access.kind).displayName} is now connected${as}${organization}.`;
  };

  const check = (access: HostAccess, id: HostAccount['tokenId'], name: string) => {
    const key = id;
    if (checks[key]) return;
    setOutcome(null);
    api.startJob({ runnerId: access.runnerId, job: { kind: 'token-check', id } }).then(
      (job) => setChecks((current) => ({ ...current, [key]: { runnerId: access.runnerId, job, name } })),
      (error: unknown) => setOutcome(problem(errorView(error).message)),
    );
  };

  const use = (access: HostAccess, account: ListedAccount & { tokenId: HostAccount['tokenId'] }, name: string) => {
    const key = account.tokenId;
    if (busy[key]) return;
    setOutcome(null);
    setBusy((current) => ({ ...current, [key]: true }));
    api.useToken({ runnerId: access.runnerId, id: account.tokenId }).then(
      () => {
        setBusy((current) => ({ ...current, [key]: false }));
        setOutcome(done(`${accountName(account)} is now used for new environments on ${name}.`));
      },
      (error: unknown) => {
        setBusy((current) => ({ ...current, [key]: false }));
        setOutcome(problem(errorView(error).message));
      },
    );
  };

  return (
    <Screen title="Accounts" headingRef={headingRef}>
      <p className="muted">Your connections to the source-control hosts your runners have access to. Each is yours alone.</p>
      {/* Always present, so that an outcome put in it is announced. */}
      <div role="status">{outcome && <p className={outcome.problem ? 'flash flash-problem' : 'flash'}>{outcome.text}</p>}</div>
      {hosts.state === 'loading' && <p aria-busy="true">Loading accounts…</p>}
      {hosts.state === 'failed' && <LoadError message={hosts.message} />}
      {hosts.state === 'ready' && hosts.value.length === 0 && (
        <EmptyState title="No hosts yet">
          <p>
            There is nothing to connect to yet. An admin first adds repository access to a runner (Runners → the runner → Repository access); the
            hosts then appear here.
          </p>
        </EmptyState>
      )}
      {hosts.state === 'ready' &&
        hosts.value.map((access) => {
          const provider = catalogueEntry(access.kind).displayName;
          const canConnect = access.methods.oauth || access.methods.pat;
          return (
            <section key={`${access.runnerId} ${access.host}`} className="panel account-host" aria-label={`${provider} ${access.host} on ${access.runnerName}`}>
              <h2>
                {provider} <span className="muted">{access.host}</span>
              </h2>
              <p className="muted">Runner: {access.runnerName}</p>
              {access.connections.length === 0 && (
                <p>No organizations are set up for this host yet. An admin adds them in the runner’s repository access.</p>
              )}
              <ul className="connection-list">
                {access.connections.map((connection) => {
                  const target = { access, organization: connection.organization };
                  const name = targetName(target);
                  const accounts = accountsOf(connection);
                  const several = accounts.length > 1;
                  const open = (reconnect: boolean) => {
                    setOutcome(null);
                    setConnecting({ ...target, reconnect });
                  };
                  const addAnother = canConnect && connection.state !== 'none' && (
                    <button type="button" onClick={() => open(false)}>
                      Add another account<span className="visually-hidden"> for {name}</span>
                    </button>
                  );
                  return (
                    <li key={connection.organization ?? ''} className="connection">
                      {connection.organization && <h3 className="small-heading">{connection.organization}</h3>}
                      <p>
                        <span className={`badge ${badgeClass[connection.state]}`}>{connectionStateLabel(connection, now)}</span>
                      </p>
                      {connection.state === 'none' && !canConnect && <p className="field-hint">There is no way to connect to this host yet.</p>}
                      {accounts.length > 0 && (
                        <ul className="account-list" aria-label={`Accounts for ${name}`}>
                          {accounts.map((account) => {
                            const label = accountName(account);
                            // Completes each button's accessible name: which account, where.
                            const which = several ? ` ${label} on ${name}` : ` ${name}`;
                            const about = several ? which : ` of ${name}`;
                            const expires = account.expiresAt ? new Date(account.expiresAt) : null;
                            const remind = account.source === 'pat' && account.state === 'expiring' && expires && expires > now;
                            const id = account.tokenId;
                            const withId = id === null ? null : { ...account, tokenId: id };
                            const checking = id !== null && checks[id] !== undefined;
                            return (
                              <li key={id ?? 'in-use'} className="account">
                                {several && (
                                  <p className="account-name">
                                    <strong>{label}</strong>{' '}
                                    {account.inUse ? (
                                      <span className="badge badge-online">Used for new environments</span>
                                    ) : (
                                      <span className={`badge ${badgeClass[account.state]}`}>{connectionStateLabel(account, now)}</span>
                                    )}
                                  </p>
                                )}
                                <dl className="facts">
                                  {!several && (
                                    <>
                                      <dt>Account</dt>
                                      <dd>{account.account ?? 'Not reported by the provider'}</dd>
                                    </>
                                  )}
                                  <dt>Connected with</dt>
                                  <dd>{sourceLabel[account.source]}</dd>
                                  <dt>{expires && expires <= now && !account.renews ? 'Expired' : 'Expires'}</dt>
                                  <dd>
                                    {account.renews ? (
                                      'Never while you stay connected: renewed automatically'
                                    ) : account.expiresAt && expires ? (
                                      <time dateTime={account.expiresAt} title={exactTime(expires)}>
                                        {relativeToNow(expires, now)}
                                      </time>
                                    ) : (
                                      'No expiry reported'
                                    )}
                                  </dd>
                                </dl>
                                {remind && expires && (
                                  <p className="reminder">This token expires {relativeToNow(expires, now)}. Replace it to keep working without interruption.</p>
                                )}
                                <div className="actions">
                                  {account.state === 'reconnect-needed' && canConnect && (
                                    <button type="button" className="button-primary" onClick={() => open(true)}>
                                      Reconnect<span className="visually-hidden">{which}</span>
                                    </button>
                                  )}
                                  {remind && access.methods.pat && (
                                    <button type="button" className="button-primary" onClick={() => { setOutcome(null); setReplacing(target); }}>
                                      Replace token<span className="visually-hidden"> for{which}</span>
                                    </button>
                                  )}
                                  {several && !account.inUse && withId && (
                                    <button type="button" onClick={() => use(access, withId, name)} aria-disabled={busy[withId.tokenId] || undefined}>
                                      Use this account<span className="visually-hidden">{which}</span>
                                    </button>
                                  )}
                                  {id !== null && (
                                    <button type="button" onClick={() => check(access, id, several ? `${label} on ${name}` : name)} aria-disabled={checking || undefined}>
                                      {checking ? 'Checking…' : 'Check'}
                                      <span className="visually-hidden">{which}</span>
                                    </button>
                                  )}
                                  <button type="button" onClick={() => { setOutcome(null); setLoggingOut({ ...target, account: withId }); }}>
                                    Log out<span className="visually-hidden">{about}</span>
                                  </button>
                                  {/* With one account, adding another sits with its actions; with several, below the list. */}
                                  {!several && addAnother}
                                </div>
                              </li>
                            );
                          })}
                        </ul>
                      )}
                      {canConnect && connection.state === 'none' && (
                        <div className="actions">
                          <button type="button" className="button-primary" onClick={() => open(false)}>
                            Connect<span className="visually-hidden"> to {name}</span>
                          </button>
                        </div>
                      )}
                      {(several || accounts.length === 0) && addAnother && <div className="actions">{addAnother}</div>}
                    </li>
                  );
                })}
              </ul>
            </section>
          );
        })}
      {Object.entries(checks).map(([key, { runnerId, job, name }]) => (
        <CheckWatch
          key={key}
          api={api}
          runnerId={runnerId}
          job={job}
          onEnd={(ended) => {
            setOutcome(checkOutcome(ended, name));
            setChecks(({ [key]: _done, ...rest }) => rest);
          }}
        />
      ))}
      {connecting && (
        <ConnectDialog
          api={api}
          access={connecting.access}
          organization={connecting.organization}
          runner={runnerOf(connecting.access.runnerId)}
          reconnect={connecting.reconnect}
          fallbackFocus={() => headingRef.current}
          onClose={(token) => {
            const target = connecting;
            setConnecting(null);
            if (token) setOutcome(done(connectedText(target, token)));
          }}
        />
      )}
      {replacing && (
        <PatDialog
          api={api}
          access={replacing.access}
          organization={replacing.organization}
          runner={runnerOf(replacing.access.runnerId)}
          title={`Replace the ${tokenNameInSentence(catalogueEntry(replacing.access.kind).pat.name, { short: true })}`}
          fallbackFocus={() => headingRef.current}
          onClose={(token) => {
            const target = replacing;
            setReplacing(null);
            if (token) setOutcome(done(connectedText(target, token)));
          }}
        />
      )}
      {loggingOut && (
        <ConfirmDialog
          title={loggingOut.account ? `Log out ${accountName(loggingOut.account)} from ${targetName(loggingOut)}?` : `Log out of ${targetName(loggingOut)}?`}
          confirm={{
            label: 'Log out',
            busyLabel: 'Logging out…',
            run: async () => {
              await api.logOut({
                runnerId: loggingOut.access.runnerId,
                host: loggingOut.access.host,
                organization: loggingOut.organization,
                ...(loggingOut.account ? { id: loggingOut.account.tokenId } : {}),
              });
              const who = loggingOut.account ? ` ${accountName(loggingOut.account)} from` : ' of';
              setOutcome(done(`Logged out${who} ${targetName(loggingOut)}.`));
            },
          }}
          onClose={(confirmed) => {
            setLoggingOut(null);
            // The Log out button has left the page with the account.
            if (confirmed) headingRef.current?.focus();
          }}
          fallbackFocus={() => headingRef.current}
        >
          <p>
            The runner {loggingOut.access.runnerName} deletes your token
            {loggingOut.account ? ` for ${accountName(loggingOut.account)}` : ''} on {targetName(loggingOut)}. Until you connect again, Paddock
            cannot clone, pull or push there for you{loggingOut.account ? ' with this account' : ''}.
          </p>
        </ConfirmDialog>
      )}
    </Screen>
  );
}
