import { deepLinkFromArgv, parseDeepLink, type DeepLinkErrorCode } from '../common/deep-link';
import type { DeepLinkDelivery } from '../core/deep-links';

// What a command line asks of Paddock (a cold start's process.argv, or the
// argv a second launch hands the running instance). Pure.

/**
 * Windows starts Paddock for a paddock:// link as
 * `"Paddock.exe" --protocol-launcher -- "%1"` (how it registers:
 * ./protocol-client.ts), as GitHub Desktop does. Only a command line with
 * this switch carries a link there; `--` ends Chromium's switches, so the
 * link can never be read as one.
 */
export const protocolLauncherArg = '--protocol-launcher';

/** Start at login: no window at start when a tray shows (the settings' start-at-login entry passes it). */
export const backgroundArg = '--background';

/** Whether the command line asks to start without a window (`--background`, before any `--`). */
export function startsInBackground(argv: readonly string[]): boolean {
  return switchesOf(argv).includes(backgroundArg);
}

/** The arguments before `--` (after it nothing is a switch), without the executable. */
function switchesOf(argv: readonly string[]): string[] {
  const rest = argv.slice(1);
  const end = rest.indexOf('--');
  return end < 0 ? rest : rest.slice(0, end);
}

export type ArgvReading =
  /** Hand this to the core's receiveDeepLink. */
  | { kind: 'deliver'; delivery: DeepLinkDelivery }
  /** Refused here: the code goes to the log (never the argument's value). */
  | { kind: 'refused'; reason: DeepLinkErrorCode | 'link-without-protocol-launcher' };

/**
 * What a command line hands over, per OS. On Windows a link is taken only
 * from a `--protocol-launcher` command line, and only when exactly one of
 * its arguments is a Paddock link that parses (the rest — Chromium's added
 * switches, the development build's entry script — is passed over); a
 * paddock: argument on any other command line is refused. Elsewhere (Linux's
 * `Exec=… %U`) the link is found by its scheme (deepLinkFromArgv). The
 * command line's `open <url>` works everywhere, without the switch.
 */
export function readArgv(argv: readonly string[], platform: NodeJS.Platform): ArgvReading {
  if (platform !== 'win32') return { kind: 'deliver', delivery: { argv: [...argv] } };
  const args = argv.slice(1).filter((argument): argument is string => typeof argument === 'string');
  const candidates = args.filter((argument) => /^paddock:/i.test(argument));
  if (!switchesOf(argv).includes(protocolLauncherArg)) {
    if (candidates.length > 0) return { kind: 'refused', reason: 'link-without-protocol-launcher' };
    return { kind: 'deliver', delivery: { argv: [...argv] } };
  }
  const parsed = candidates.map((argument) => ({ argument, result: parseDeepLink(argument) }));
  const links = parsed.filter(({ result }) => result.ok);
  if (links.length === 1) return { kind: 'deliver', delivery: { link: links[0]!.argument } };
  if (links.length > 1) return { kind: 'refused', reason: 'several-links' };
  const firstError = parsed.find(({ result }) => !result.ok)?.result;
  return { kind: 'refused', reason: firstError && !firstError.ok ? firstError.error.code : 'not-a-deep-link' };
}

/** Whether a command line carries something for the window (a link, `open <url>`): it is then shown even with --background. */
export function carriesAction(argv: readonly string[], platform: NodeJS.Platform): boolean {
  const reading = readArgv(argv, platform);
  if (reading.kind !== 'deliver') return false;
  if ('link' in reading.delivery) return true;
  const found = deepLinkFromArgv(reading.delivery.argv);
  return !found.ok || found.link !== null;
}
