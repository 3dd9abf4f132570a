import { tryParseUrl } from '../context-url/text';
import type { ProviderKind } from '../provider-kind';
import { providerCatalogue } from './catalogue';
import { callbackPath, customSchemeCallback, fixedLoopbackPort } from './constants';
import type { CallbackKind, CallbackRule } from './schema';

// The callback (redirect) URL an admin registers on the provider's OAuth
// app, per runner (SCM-PROTOCOLS decisions): the app's custom scheme, a
// loopback listener on the workstation open only during an attempt, or a
// remote runner's own https address.

/** What callbackUrl needs of a runner (the Runner of the app API fits). */
export interface CallbackRunner {
  readonly kind: 'local' | 'remote';
  /**
   * The remote runner's https URL when it receives callbacks itself (its
   * admin's certificate: callbackRunnerOf); null for the local runner and for
   * a remote runner whose users' redirects come to the workstation.
   */
  readonly url: string | null;
}

export interface CallbackOption {
  readonly kind: CallbackKind;
  /** The exact string to register on the provider. */
  readonly url: string;
  /** Whether the token exchange then needs the client secret ("not-used": a public client must not send one). */
  readonly secret: CallbackRule['secret'];
  /** Where the loopback listener binds during an attempt: a fixed port, or null for any free port; null for other kinds. */
  readonly listen: { readonly host: '127.0.0.1' | 'localhost'; readonly port: number | null } | null;
  /** False when the catalogue could not confirm that the provider accepts this kind. */
  readonly confirmed: boolean;
  readonly note: string | null;
}

export type CallbackResult = ({ readonly ok: true } & CallbackOption) | { readonly ok: false; readonly message: string };

function optionFor(rule: CallbackRule, runnerOrigin: string | null): CallbackOption | null {
  const base = { kind: rule.kind, secret: rule.secret, confirmed: rule.confirmed, note: rule.note ?? null };
  switch (rule.kind) {
    case 'custom-scheme':
      return { ...base, url: customSchemeCallback, listen: null };
    case 'loopback': {
      const loopback = rule.loopback;
      if (!loopback) return null;
      // A provider that ignores the port gets the URL without one; the listener takes any free port.
      const port = loopback.port === 'fixed' ? fixedLoopbackPort : null;
      return {
        ...base,
        url: `http://${loopback.host}${port === null ? '' : `:${port}`}${callbackPath}`,
        listen: { host: loopback.host, port },
      };
    }
    case 'runner-https':
      return runnerOrigin === null ? null : { ...base, url: `${runnerOrigin}${callbackPath}`, listen: null };
  }
}

/**
 * The CallbackRunner of a runner as the app lists it: a remote runner's own
 * https callback counts only when the runner offers one (its admin's
 * certificate, which browsers trust; `oauthCallback` in its status). A
 * self-signed runner is never shown to a browser: its users' redirects come
 * to the workstation (custom scheme or loopback), which hands them on.
 */
export function callbackRunnerOf(runner: { readonly kind: 'local' | 'remote'; readonly oauthCallback?: string | null | undefined }): CallbackRunner {
  if (runner.kind !== 'remote' || !runner.oauthCallback) return { kind: runner.kind, url: null };
  const url = tryParseUrl(runner.oauthCallback);
  return { kind: 'remote', url: url && url.protocol === 'https:' && url.hostname !== '' ? `https://${url.hostname}${url.port === '' ? '' : `:${url.port}`}` : null };
}

/** The origin of a remote runner's https URL, or null when it is not one. */
function runnerOrigin(runner: CallbackRunner): string | null {
  if (runner.kind !== 'remote' || runner.url === null) return null;
  const url = tryParseUrl(runner.url.trim());
  if (!url || url.protocol !== 'https:' || url.hostname === '') return null;
  return `https://${url.port === '' ? url.hostname : `${url.hostname}:${url.port}`}`;
}

/**
 * Every callback URL this runner can use with the provider, best first:
 * a remote runner's https URL, then the catalogue's order of preference,
 * confirmed kinds before unconfirmed ones. Empty for a provider
 * without OAuth.
 */
export function callbackOptions(kind: ProviderKind, runner: CallbackRunner): CallbackOption[] {
  const oauth = providerCatalogue[kind].oauth;
  if (!oauth.supported) return [];
  const origin = runnerOrigin(runner);
  // The catalogue lists callbacks by preference; a remote runner's own https URL goes first.
  const rules = [...oauth.callbacks].sort((a, b) => Number(b.kind === 'runner-https') - Number(a.kind === 'runner-https'));
  const options = rules.map((rule) => optionFor(rule, origin)).filter((option) => option !== null);
  return [...options.filter((option) => option.confirmed), ...options.filter((option) => !option.confirmed)];
}

/** The callback URL to register for this runner and provider: the first of callbackOptions. */
export function callbackUrl(kind: ProviderKind, runner: CallbackRunner): CallbackResult {
  const entry = providerCatalogue[kind];
  if (!entry.oauth.supported) return { ok: false, message: entry.oauth.reason };
  // A remote runner without an https callback of its own (url null) sends users' redirects to the workstation.
  if (runner.kind === 'remote' && runner.url !== null && runnerOrigin(runner) === null) {
    return { ok: false, message: 'The runner has no valid https:// address to receive the callback.' };
  }
  const [best] = callbackOptions(kind, runner);
  if (!best) return { ok: false, message: `${entry.displayName} accepts no callback this runner can receive.` };
  return { ok: true, ...best };
}
