import {
  errorActionOf,
  paddockErrorData,
  type ErrorAction,
  type ErrorCode,
  type ErrorDetail,
  type ErrorIssue,
} from '../../electron/common/errors';

/**
 * What the page can offer for a failed call, read from the error's code
 * through the catalogue (`errorActionOf`), never from its message:
 *
 * - `retry` (runner-unavailable, unreachable, timeout): "Try again", which does the call again;
 * - `refresh` (not-found, conflict): reload what is shown, it changed meanwhile;
 * - `ask-admin` (forbidden, policy-blocked): the message, and the setting that refuses when `detail` names it;
 * - `connect` / `reconnect` (auth-required, reconnect-needed): the host (and organization) to connect to,
 *   for the connect dialog; a screen without one shows the message;
 * - `fix-input`: the `issues`, which forms put next to their fields (form-errors.ts);
 * - `update`, `report`, `none`: the message says what there is to say.
 */
export interface ErrorView {
  /** Null when the failure is not an app API error (a bug in the page). */
  code: ErrorCode | null;
  action: ErrorAction;
  message: string;
  issues: readonly ErrorIssue[];
  detail: ErrorDetail;
  /** For ask-admin: the setting that refuses, as a path a person can follow, and where it is changed. */
  setting: { path: string; url: string | null } | null;
  /** For connect and reconnect: what to connect to. */
  connect: { host: string; organization: string | null } | null;
}

export function errorView(error: unknown): ErrorView {
  const data = paddockErrorData(error);
  if (!data) {
    return {
      code: null,
      action: 'report',
      message: error instanceof Error && error.message ? error.message : 'Something went wrong.',
      issues: [],
      detail: {},
      setting: null,
      connect: null,
    };
  }
  const action = errorActionOf(data.code);
  const detail = data.detail ?? {};
  return {
    code: data.code,
    action,
    message: data.message,
    issues: data.issues ?? [],
    detail,
    setting: action === 'ask-admin' && detail.setting ? { path: detail.setting, url: safeLink(detail.settingUrl) } : null,
    connect:
      (action === 'connect' || action === 'reconnect') && detail.host ? { host: detail.host, organization: detail.organization ?? null } : null,
  };
}

/** Whether "Try again" (the same call once more) is what the error asks for. */
export const offersRetry = (view: ErrorView): boolean => view.action === 'retry';

/** Only https pages become links: `detail` comes from a runner, and a link must not run script. */
function safeLink(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}
