import { useState, type RefObject } from 'react';
import type { ConnectionState, HostAccess, HostConnection, PaddockApi, Runner } from '../../../electron/common/api';
import { catalogueEntry } from '../../../electron/common/providers';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { EmptyState, LoadError, Screen } from '../components/Screen';
import { exactTime, relativeToNow } from '../format';
import { useApiValue, useNow, useRunners } from '../hooks';
import { PatDialog } from './accounts/PatDialog';

const badgeClass: Record<ConnectionState, string> = {
  connected: 'badge-online',
  expiring: 'badge-degraded',
  'reconnect-needed': 'badge-failed',
  none: 'badge-offline',
};

/** The state in words, never by colour alone: "Connected", "Expires in 5 days", "Needs reconnecting", "Not connected". */
export function connectionStateLabel(connection: HostConnection, now: Date): string {
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

const targetName = ({ access, organization }: Target) => (organization ? `${organization} (${access.host})` : access.host);

/**
 * Settings → Accounts (PRODUCT A1–A4): every host a runner has repository
 * access to, live from the hosts model, with this user's connection per
 * Azure DevOps organization: its state, account, how it was made and when
 * it expires, and what can be done — provide or replace a personal access
 * token (PatDialog), log out.
 */
export function AccountsScreen({ api, headingRef }: { api: PaddockApi; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const hosts = useApiValue(
    () => api.listHosts(),
    (listener) => api.onHostsChanged(listener),
  );
  const runners = useRunners(api);
  const now = useNow(60_000);
  const [providing, setProviding] = useState<Target | null>(null);
  const [loggingOut, setLoggingOut] = useState<Target | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);

  const runnerOf = (runnerId: string): Runner | null =>
    runners.state === 'ready' ? (runners.value.find((runner) => runner.id === runnerId) ?? null) : null;

  return (
    <Screen title="Accounts" headingRef={headingRef}>
      <p className="muted">Your connections to the source-control hosts your runners have access to. Each is yours alone.</p>
      {/* Always present, so that an outcome put in it is announced. */}
      <div role="status">{outcome && <p className="flash">{outcome}</p>}</div>
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
                  const canProvide = access.methods.pat && connection.state === 'none';
                  const canReplace = access.methods.pat && connection.source === 'pat' && (connection.state === 'expiring' || connection.state === 'reconnect-needed');
                  return (
                    <li key={connection.organization ?? ''} className="connection">
                      {connection.organization && <h3 className="small-heading">{connection.organization}</h3>}
                      <p>
                        <span className={`badge ${badgeClass[connection.state]}`}>{connectionStateLabel(connection, now)}</span>
                      </p>
                      {connection.state !== 'none' && (
                        <dl className="facts">
                          <dt>Account</dt>
                          <dd>{connection.account ?? 'Not reported by the provider'}</dd>
                          {connection.source && (
                            <>
                              <dt>Connected with</dt>
                              <dd>{sourceLabel[connection.source]}</dd>
                            </>
                          )}
                          <dt>{connection.expiresAt && new Date(connection.expiresAt) <= now ? 'Expired' : 'Expires'}</dt>
                          <dd>
                            {connection.expiresAt ? (
                              <time dateTime={connection.expiresAt} title={exactTime(new Date(connection.expiresAt))}>
                                {relativeToNow(new Date(connection.expiresAt), now)}
                              </time>
                            ) : (
                              'No expiry reported'
                            )}
                          </dd>
                        </dl>
                      )}
                      {connection.state === 'none' && !access.methods.pat && (
                        <p className="field-hint">This host is set up for signing in with {provider} only.</p>
                      )}
                      <div className="actions">
                        {(canProvide || canReplace) && (
                          <button type="button" className={canProvide ? 'button-primary' : undefined} onClick={() => { setOutcome(null); setProviding(target); }}>
                            {canProvide ? 'Provide a token' : 'Replace token'}
                            <span className="visually-hidden"> for {name}</span>
                          </button>
                        )}
                        {connection.state !== 'none' && (
                          <button type="button" onClick={() => { setOutcome(null); setLoggingOut(target); }}>
                            Log out<span className="visually-hidden"> of {name}</span>
                          </button>
                        )}
                      </div>
                    </li>
                  );
                })}
              </ul>
            </section>
          );
        })}
      {providing && (
        <PatDialog
          api={api}
          access={providing.access}
          organization={providing.organization}
          runner={runnerOf(providing.access.runnerId)}
          fallbackFocus={() => headingRef.current}
          onClose={(token) => {
            setProviding(null);
            if (token) {
              const as = token.account ? ` as ${token.account}` : '';
              const organization = providing.organization ? ` for ${providing.organization}` : '';
              setOutcome(`${catalogueEntry(providing.access.kind).displayName} is now connected${as}${organization}.`);
            }
          }}
        />
      )}
      {loggingOut && (
        <ConfirmDialog
          title={`Log out of ${targetName(loggingOut)}?`}
          confirm={{
            label: 'Log out',
            busyLabel: 'Logging out…',
            run: async () => {
              await api.logOut({ runnerId: loggingOut.access.runnerId, host: loggingOut.access.host, organization: loggingOut.organization });
              setOutcome(`Logged out of ${targetName(loggingOut)}.`);
            },
          }}
          onClose={(confirmed) => {
            setLoggingOut(null);
            // The Log out button has left the page with the connection.
            if (confirmed) headingRef.current?.focus();
          }}
          fallbackFocus={() => headingRef.current}
        >
          <p>
            The runner {loggingOut.access.runnerName} deletes your token for {targetName(loggingOut)}. Until you connect again, Paddock cannot
            clone, pull or push there for you.
          </p>
        </ConfirmDialog>
      )}
    </Screen>
  );
}
