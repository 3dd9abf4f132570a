import type { Ref } from 'react';
import type { ErrorView } from '../errors';

/** Each failure its own alert, so that a second failure with the same words is said again. */
const alertKeys = new WeakMap<ErrorView, number>();
let nextKey = 0;
function alertKey(view: ErrorView): number {
  let key = alertKeys.get(view);
  if (key === undefined) {
    key = nextKey++;
    alertKeys.set(view, key);
  }
  return key;
}

/**
 * A failed call as the page shows it: the message, and what the error's code
 * says can be done about it (errors.ts). A button is offered only when the
 * screen gives its handler: `retry` for retry, `refresh` for refresh,
 * `connect` for connect and reconnect (the connect dialog, where a screen
 * has one). `busy` marks the retry under way.
 */
export function ErrorNotice({
  error,
  retry,
  refresh,
  connect,
  busy = false,
  retryLabel = 'Try again',
  what,
  buttonRef,
}: {
  error: ErrorView;
  retry?: () => void;
  refresh?: () => void;
  connect?: (target: { host: string; organization: string | null }, reconnect: boolean) => void;
  busy?: boolean;
  retryLabel?: string;
  /** Added to the button's accessible name where a page has several ("of GitHub https://github.com"). */
  what?: string;
  buttonRef?: Ref<HTMLButtonElement>;
}) {
  const offer =
    error.action === 'retry' && retry
      ? { label: retryLabel, busyLabel: 'Trying again…', run: retry }
      : error.action === 'refresh' && refresh
        ? { label: 'Reload', busyLabel: 'Reloading…', run: refresh }
        : error.connect && connect
          ? {
              label: error.action === 'reconnect' ? `Reconnect to ${error.connect.host}` : `Connect to ${error.connect.host}`,
              busyLabel: 'Connecting…',
              run: () => error.connect && connect(error.connect, error.action === 'reconnect'),
            }
          : null;
  return (
    <div className="error-notice" data-error-code={error.code ?? undefined}>
      <p key={alertKey(error)} className="error" role="alert">
        {error.message}
      </p>
      {error.setting && (
        <p className="error-setting">
          Where to change it: <strong>{error.setting.path}</strong>
          {error.setting.url && (
            <>
              {' '}
              <a href={error.setting.url} target="_blank" rel="noreferrer noopener">
                Open this setting<span className="visually-hidden"> (opens in your browser)</span>
              </a>
            </>
          )}
        </p>
      )}
      {offer && (
        <div className="actions">
          <button type="button" ref={buttonRef} onClick={() => !busy && offer.run()} aria-disabled={busy || undefined}>
            {busy ? offer.busyLabel : offer.label}
            {what && <span className="visually-hidden"> {what}</span>}
          </button>
        </div>
      )}
    </div>
  );
}
