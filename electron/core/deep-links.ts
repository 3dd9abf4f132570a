import { deepLinkFromArgv, parseDeepLink, type DeepLinkAction, type DeepLinkOutcome } from '../common/deep-link';
import type { Logger } from './logger';

// What happens to a paddock:// link once the operating system has handed it
// over: the one function the Electron main process calls (electron/main/deep-links.ts)
// and the web host calls to simulate that hand-off, so tests drive exactly
// this path. No Electron here.

/** Where the link came from, for the log line. */
export type DeepLinkSource = 'open-url' | 'second-instance' | 'cold-start' | 'web-host';

export type DeepLinkDelivery = { link: string } | { argv: readonly string[] };

export type DeepLinkReceipt =
  /** The command line had no paddock: link (an ordinary launch). */
  | { status: 'none' }
  | { status: 'refused'; code: string }
  | { status: 'handed'; outcome: DeepLinkOutcome };

export interface DeepLinkTarget {
  main: { handleDeepLink(action: DeepLinkAction, from?: 'link' | 'command line'): Promise<DeepLinkOutcome> };
}

/**
 * Parses a link (or finds it on a command line) and hands the typed action to
 * the core's main-only surface, or refuses it with one log line. The line
 * carries the error code and the link's length only: a link may hold an OAuth
 * code and state, and its other parts are whatever its author wrote. (The
 * field is `reason`: loggers redact any field called `code`.)
 */
export async function receiveDeepLink(core: DeepLinkTarget, logger: Logger, delivery: DeepLinkDelivery, source: DeepLinkSource): Promise<DeepLinkReceipt> {
  let link: string;
  /** A command line's `open <url>` rather than a paddock: link on it (the user's words differ: "from the command line"). */
  let from: 'link' | 'command line' = 'link';
  if ('argv' in delivery) {
    const found = deepLinkFromArgv(delivery.argv);
    if (!found.ok) {
      logger.warn('deep link refused', { source, reason: found.error.code });
      return { status: 'refused', code: found.error.code };
    }
    if (found.link === null) return { status: 'none' };
    link = found.link;
    if (!delivery.argv.slice(1).some((argument) => /^paddock:/i.test(argument))) from = 'command line';
  } else {
    link = delivery.link;
  }
  const parsed = parseDeepLink(link);
  if (!parsed.ok) {
    logger.warn('deep link refused', { source, reason: parsed.error.code, length: link.length });
    return { status: 'refused', code: parsed.error.code };
  }
  // Only an `open` link cares where it came from (the user is told).
  const outcome = parsed.action.type === 'open' ? await core.main.handleDeepLink(parsed.action, from) : await core.main.handleDeepLink(parsed.action);
  return { status: 'handed', outcome };
}
