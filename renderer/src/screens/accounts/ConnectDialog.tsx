import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { HostAccess, OAuthAttempt, PaddockApi, Runner } from '../../../../electron/common/api';
import type { ProviderKind } from '../../../../electron/common/provider-kind';
import { catalogueEntry, oauthScopes } from '../../../../electron/common/providers';
import type { JobOutcome, TokenView } from '../../../../electron/common/runner-api';
import { CopyButton } from '../../components/CopyButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { errorView, type ErrorView } from '../../errors';
import { relativeToNow } from '../../format';
import { useNow, useRunners } from '../../hooks';
import { useJob } from '../../jobs';
import { PatForm } from './PatDialog';
import { tokenNameInSentence } from '../../format';

/** Where the dialog is: choosing, waiting for the browser, a PAT form, or how it ended. */
type Phase =
  | { name: 'choose' }
  | { name: 'starting' }
  | { name: 'waiting'; attempt: OAuthAttempt }
  | { name: 'pat' }
  | { name: 'connected'; token: TokenView }
  | { name: 'cancelled' }
  | { name: 'failed'; error: ErrorView };

type Step = 'authorize' | 'exchanging' | 'checking';
const steps: readonly Step[] = ['authorize', 'exchanging', 'checking'];

/** A scope as the user reads it: its name and why Paddock asks for it. */
interface ScopeLine {
  name: string;
  reason: string;
}

/** The sign-in scopes every OpenID provider shares, in the user's words (the catalogue says them for admins). */
const signInScopes: Record<string, ScopeLine> = {
  offline_access: { name: 'Stay connected', reason: 'So that you stay connected when the short-lived access expires, without signing in again.' },
  openid: { name: 'Who you are', reason: 'Your name and account, to show which account is connected.' },
};

/**
 * The OAuth scopes in the user's words. Azure DevOps' Code scope is said as
 * the product's own story says it; its resource prefix (a GUID) means nothing
 * to a user; `profile` goes with `openid` ("Who you are").
 */
export function connectScopes(kind: ProviderKind): ScopeLine[] {
  return oauthScopes(kind).flatMap((scope) => {
    const name = scope.scope.slice(scope.scope.lastIndexOf('/') + 1);
    if (kind === 'azure-devops' && name === 'vso.code_write') {
      return [
        {
          name: 'Code (read and write)',
          reason:
            'The Code (read and write) scope is required so that the context URL can be parsed, your environment can clone the repository and changes can be pushed.',
        },
      ];
    }
    if (name === 'profile') return [];
    return [signInScopes[name] ?? { name, reason: scope.reason }];
  });
}

/** "in 4 minutes", and in the last minute "in 40 seconds" (relativeToNow says "now" there). */
export function remaining(expiresAt: Date, now: Date): string {
  const seconds = Math.ceil((expiresAt.getTime() - now.getTime()) / 1000);
  if (seconds <= 0) return 'now';
  if (seconds < 60) return `in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
  return relativeToNow(expiresAt, now);
}

/** The time left, again every second; outside the live region, so it is read only when asked. */
function Countdown({ expiresAt }: { expiresAt: Date }) {
  const now = useNow(1000);
  return <time dateTime={expiresAt.toISOString()}>{remaining(expiresAt, now)}</time>;
}

function endedPhase(outcome: JobOutcome): Phase {
  if (outcome.state === 'succeeded') {
    return outcome.result.kind === 'oauth-connect'
      ? { name: 'connected', token: outcome.result.token }
      : { name: 'failed', error: errorView(new Error('The connection ended without a token.')) };
  }
  if (outcome.state === 'cancelled' || outcome.error.code === 'cancelled') return { name: 'cancelled' };
  return { name: 'failed', error: errorView(outcome.error) };
}

/** Only an http(s) address becomes a link (the runner built it). */
function safeHttp(url: string): string | null {
  try {
    return ['https:', 'http:'].includes(new URL(url).protocol) ? url : null;
  } catch {
    return null;
  }
}

/**
 * Connect (PRODUCT A1–A3, S8): one dialog for connecting the user to a host
 * (and, for Azure DevOps, one organization), wherever Connect is offered.
 * It names the provider, the host and organization, the ways the runner's
 * entry allows and what Paddock asks for and why. OAuth: the core opens the
 * provider's page in the browser and the dialog follows the attempt's job
 * (waiting for the browser → exchanging → checking) until the provider is
 * connected, the attempt expires (Start again), fails (the reason, the
 * setting that refuses, the other way offered) or is cancelled (Cancel or
 * Escape end it on the runner). When the browser cannot hand the answer
 * back, the address it ended at can be pasted. A personal access token is
 * entered in the same dialog (PatForm).
 *
 * Render it only while it is open: it opens when it mounts. `onConnected`
 * is called as soon as an account is connected; `onClose` once the dialog
 * has closed, with that token or null.
 */
export function ConnectDialog({
  api,
  access,
  organization: givenOrganization,
  runner: givenRunner,
  onConnected,
  onClose,
  fallbackFocus,
  reconnect = false,
}: {
  api: PaddockApi;
  access: HostAccess;
  /** Azure DevOps: the organization to connect; null to let the user choose among the host's organizations (or for other kinds). */
  organization: string | null;
  /** The runner that keeps the token (its key seals a pasted token); looked up when not given. */
  runner?: Runner | null;
  onConnected?: (token: TokenView) => void;
  onClose: (connected: TokenView | null) => void;
  /** Where focus goes when the button that opened the dialog has left the page. */
  fallbackFocus?: () => HTMLElement | null;
  /** Says "Reconnect" rather than "Connect" (the account's token was refused or its refresh failed). */
  reconnect?: boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = useId();
  const organizationId = useId();
  const pastedId = useId();
  const pastedErrorId = useId();
  const live = useRef(true);
  const runners = useRunners(api);
  const entry = catalogueEntry(access.kind);
  const provider = entry.displayName;
  const perOrganization = entry.units?.tokensPerUnit === true && entry.units.unit === 'organization';
  const organizations = access.connections.map((c) => c.organization).filter((o): o is string => o !== null);
  const [organization, setOrganization] = useState<string | null>(givenOrganization ?? (perOrganization ? (organizations[0] ?? null) : null));
  const [chosen, setPhase] = useState<Phase>(access.methods.oauth ? { name: 'choose' } : { name: 'pat' });
  const [patBusy, setPatBusy] = useState(false);
  const [pasted, setPasted] = useState('');
  const [pastedError, setPastedError] = useState<string | null>(null);
  const [pasting, setPasting] = useState(false);
  const connected = useRef<TokenView | null>(null);

  const runner =
    givenRunner !== undefined ? givenRunner : runners.state === 'ready' ? (runners.value.find((r) => r.id === access.runnerId) ?? null) : null;
  const attempt = chosen.name === 'waiting' ? chosen.attempt : null;
  const watch = useJob(api, access.runnerId, attempt?.job.id ?? null, attempt?.job ?? null);
  // The job's end decides how a waiting attempt ended.
  const jobOutcome = watch?.outcome ?? null;
  // Made once per outcome: a new error view each render would announce its alert again.
  const ended = useMemo(() => (jobOutcome ? endedPhase(jobOutcome) : null), [jobOutcome]);
  const phase: Phase = chosen.name === 'waiting' && ended ? ended : chosen;
  const connectedToken = phase.name === 'connected' ? phase.token : null;
  // Kept for the unmount: an attempt left running when the dialog goes is cancelled on the runner.
  const running = useRef<OAuthAttempt | null>(null);
  useEffect(() => {
    running.current = phase.name === 'waiting' ? phase.attempt : null;
  });

  useEffect(() => {
    live.current = true;
    const element = dialog.current;
    if (element && !element.open) {
      opener.current = document.activeElement;
      element.showModal();
    }
    return () => {
      live.current = false;
      const left = running.current;
      if (left) api.cancelJob({ runnerId: left.runnerId, jobId: left.job.id }).catch(() => {});
    };
    // Opens once; the API object is stable for the page's life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (!connectedToken || connected.current === connectedToken) return;
    connected.current = connectedToken;
    onConnected?.(connectedToken);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [connectedToken]);

  // A new phase puts focus on its first action, so that keyboard users are where the dialog now is.
  useEffect(() => {
    const element = dialog.current;
    const first = element?.querySelector<HTMLElement>('[data-autofocus]') ?? element?.querySelector<HTMLElement>('a[href], button, input, select');
    first?.focus();
  }, [phase.name]);

  const succeed = (token: TokenView) => setPhase({ name: 'connected', token });

  const start = () => {
    if (phase.name === 'starting') return;
    setPastedError(null);
    setPasted('');
    setPhase({ name: 'starting' });
    api.connectOAuth({ runnerId: access.runnerId, host: access.host, organization: perOrganization ? organization : null }).then(
      (started) => {
        if (!live.current) {
          api.cancelJob({ runnerId: started.runnerId, jobId: started.job.id }).catch(() => {});
          return;
        }
        setPhase({ name: 'waiting', attempt: started });
      },
      (error: unknown) => live.current && setPhase({ name: 'failed', error: errorView(error) }),
    );
  };

  const cancelAttempt = () => {
    if (!attempt) return;
    // Said at once; the runner's answer (or the job's end) only confirms it.
    setPhase({ name: 'cancelled' });
    api.cancelJob({ runnerId: attempt.runnerId, jobId: attempt.job.id }).catch(() => {});
  };

  const submitPasted = (event: FormEvent) => {
    event.preventDefault();
    if (pasting) return;
    const url = pasted.trim();
    if (url === '') {
      setPastedError('Paste the whole address from the browser’s address bar first.');
      return;
    }
    setPasting(true);
    setPastedError(null);
    api.completeOAuth({ url }).then(
      ({ matched }) => {
        if (!live.current) return;
        setPasting(false);
        if (matched) setPasted('');
        else
          setPastedError(
            `This address is not the one for this connection. After you allow access at ${provider}, copy the whole address the browser then shows, and paste it here.`,
          );
      },
      (error: unknown) => {
        if (!live.current) return;
        setPasting(false);
        setPastedError(errorView(error).message);
      },
    );
  };

  const close = () => {
    if (patBusy) return;
    dialog.current?.close();
  };

  const closed = () => {
    const back = opener.current;
    const target = back instanceof HTMLElement && back.isConnected ? back : (fallbackFocus?.() ?? null);
    target?.focus();
    onClose(connected.current);
  };

  const where = organization ? `${organization} on ${access.host}` : access.host;
  const verb = reconnect ? 'Reconnect' : 'Connect';
  const step: Step = (() => {
    const last = watch?.progress.at(-1)?.progress;
    return last?.kind === 'oauth-connect' ? last.step : 'authorize';
  })();
  const expiresAt = attempt ? new Date(attempt.expiresAt) : null;
  const authorizePage = attempt ? safeHttp(attempt.authorizeUrl) : null;
  const scopes = connectScopes(access.kind);
  const canChooseOrganization = perOrganization && givenOrganization === null && organizations.length > 1;
  const others =
    phase.name === 'connected'
      ? (access.connections.find((c) => c.organization === (phase.token.organization ?? null))?.accounts ?? []).filter(
          (account) => account.tokenId !== phase.token.id,
        )
      : [];

  const stepText: Record<Step, string> = {
    authorize: `Waiting for you to allow access in the browser`,
    exchanging: `Getting the token from ${provider}`,
    checking: 'Checking the token',
  };

  return (
    <dialog
      ref={dialog}
      className="dialog dialog-wide connect-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Escape ends a waiting attempt (the dialog says so) instead of leaving it running behind a closed dialog.
        if (phase.name === 'waiting') {
          event.preventDefault();
          cancelAttempt();
        } else if (phase.name === 'starting' || patBusy) event.preventDefault();
      }}
      onClose={closed}
    >
      <h2 id={titleId}>
        {verb} {provider}
      </h2>
      <p className="connect-target">
        <span className="muted">Host:</span> {access.host}
        {perOrganization && !canChooseOrganization && organization && (
          <>
            {' '}
            · <span className="muted">Organization:</span> {organization}
          </>
        )}
        {' '}
        · <span className="muted">Runner:</span> {access.runnerName}
      </p>
      {canChooseOrganization && (phase.name === 'choose' || phase.name === 'pat') && (
        <div className="field">
          <label htmlFor={organizationId}>Organization</label>
          <select id={organizationId} value={organization ?? ''} onChange={(event) => setOrganization(event.target.value)} disabled={patBusy}>
            {organizations.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
      )}

      <div role="status" aria-live="polite" className="connect-status">
        {phase.name === 'waiting' && (
          <p>
            A browser window opened at {provider}. Sign in and allow access; Paddock continues here. <span className="visually-hidden">{stepText[step]}.</span>
          </p>
        )}
        {phase.name === 'connected' && (
          <p className="flash">
            {provider} is now connected{phase.token.account ? ` as ${phase.token.account}` : ''}
            {phase.token.organization ? ` for ${phase.token.organization}` : ''}.
            {phase.token.inUse && others.length > 0 && ` It is now the account used for new environments on ${where}.`}
          </p>
        )}
        {phase.name === 'cancelled' && <p>Cancelled. Nothing was connected.</p>}
      </div>

      {phase.name === 'choose' && (
        <>
          <p>
            Paddock connects you to {where} so that your environments can clone, pull and push there. {access.runnerName} keeps the token for you
            alone.
          </p>
          {scopes.length > 0 && (
            <>
              <h3 className="small-heading">What Paddock asks {provider} for</h3>
              <ul className="connect-scopes">
                {scopes.map((scope) => (
                  <li key={scope.name}>
                    <strong>{scope.name}</strong>
                    <span className="field-hint"> {scope.reason}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
          <p>
            {verb} opens {provider} in your browser, where you sign in and allow access.
            {access.methods.pat && ` Or provide ${tokenNameInSentence(entry.pat.name, { article: true, short: true })} instead.`}
          </p>
          <div className="actions">
            <button type="button" className="button-primary" data-autofocus onClick={start}>
              {verb}
            </button>
            {access.methods.pat && (
              <button type="button" onClick={() => setPhase({ name: 'pat' })}>
                Provide {tokenNameInSentence(entry.pat.name, { article: true, short: true })}
              </button>
            )}
            <button type="button" onClick={close}>
              Cancel
            </button>
          </div>
        </>
      )}

      {phase.name === 'starting' && <p aria-busy="true">Opening {provider} in your browser…</p>}

      {phase.name === 'waiting' && attempt && (
        <>
          <ol className="connect-steps">
            {steps.map((name, index) => {
              const current = steps.indexOf(step);
              const state = index < current ? 'done' : index === current ? 'current' : 'pending';
              return (
                <li key={name} className={`connect-step connect-step-${state}`} aria-current={state === 'current' ? 'step' : undefined}>
                  {stepText[name]}
                  {state === 'done' && <span className="visually-hidden"> (done)</span>}
                </li>
              );
            })}
          </ol>
          {expiresAt && step === 'authorize' && (
            <p className="muted">
              This attempt expires <Countdown expiresAt={expiresAt} />.
            </p>
          )}
          <p>
            No browser window?{' '}
            {authorizePage && (
              <a href={authorizePage} target="_blank" rel="noreferrer noopener">
                Open {provider}’s page again<span className="visually-hidden"> (opens in your browser)</span>
              </a>
            )}{' '}
            <CopyButton text={attempt.authorizeUrl} what={`the address of ${provider}’s page`} />
          </p>
          <details className="connect-paste" open={attempt.pasteNeeded === true || undefined}>
            <summary>Paste the address you were sent to</summary>
            <form onSubmit={submitPasted} noValidate>
              <p className="field-hint">
                If the browser did not come back to Paddock after you allowed access, copy the whole address from its address bar and paste it
                here.
              </p>
              <div className="field">
                <label htmlFor={pastedId}>Address from the browser</label>
                <div className="connect-paste-row">
                  <input
                    id={pastedId}
                    type="url"
                    value={pasted}
                    autoComplete="off"
                    spellCheck={false}
                    onChange={(event) => {
                      setPasted(event.target.value);
                      setPastedError(null);
                    }}
                    aria-invalid={pastedError ? true : undefined}
                    aria-describedby={pastedError ? pastedErrorId : undefined}
                  />
                  <button type="submit" aria-disabled={pasting || undefined}>
                    {pasting ? 'Continuing…' : 'Continue'}
                  </button>
                </div>
                {pastedError && (
                  <p id={pastedErrorId} className="error field-error">
                    {pastedError}
                  </p>
                )}
              </div>
            </form>
          </details>
          <div className="actions">
            <button type="button" data-autofocus onClick={cancelAttempt}>
              Cancel
            </button>
          </div>
        </>
      )}

      {phase.name === 'pat' && (
        <PatForm
          key={organization ?? ''}
          api={api}
          access={access}
          organization={perOrganization ? organization : null}
          runner={runner}
          onConnected={succeed}
          onCancel={close}
          onBusyChange={setPatBusy}
        />
      )}

      {phase.name === 'connected' && (
        <>
          {others.length > 0 && !phase.token.inUse && (
            <p>Your other account stays the one used for new environments; you can change that in Accounts.</p>
          )}
          {others.length > 0 && phase.token.inUse && (
            <p className="field-hint">Your other {others.length === 1 ? 'account stays' : 'accounts stay'} in Accounts, where you can switch back.</p>
          )}
          <div className="actions">
            <button type="button" data-autofocus onClick={close}>
              Close
            </button>
          </div>
        </>
      )}

      {phase.name === 'failed' && (
        <>
          <ErrorNotice error={phase.error} />
          <div className="actions">
            {/* A setting blocks OAuth: a token is the way on. Anything else (a timeout, a refusal) may go through on a second try. */}
            {phase.error.code !== 'policy-blocked' && (
              <button type="button" className="button-primary" data-autofocus onClick={start}>
                Start again
              </button>
            )}
            {access.methods.pat && (
              <button
                type="button"
                className={phase.error.code === 'policy-blocked' ? 'button-primary' : undefined}
                data-autofocus={phase.error.code === 'policy-blocked' || undefined}
                onClick={() => setPhase({ name: 'pat' })}
              >
                Provide {tokenNameInSentence(entry.pat.name, { article: true, short: true })} instead
              </button>
            )}
            <button type="button" onClick={close}>
              Close
            </button>
          </div>
        </>
      )}

      {phase.name === 'cancelled' && (
        <div className="actions">
          <button type="button" data-autofocus onClick={start}>
            Start again
          </button>
          <button type="button" onClick={close}>
            Close
          </button>
        </div>
      )}
    </dialog>
  );
}
