import { app } from 'electron';
import { receiveDeepLink, type DeepLinkDelivery, type DeepLinkSource, type DeepLinkTarget } from '../core/deep-links';
import type { Logger } from '../core/logger';
import { readArgv } from './launch-args';

// Where paddock:// links reach the main process: macOS sends 'open-url' (also
// for the link that launched the app, before 'ready'); Windows and Linux put
// the link on the command line of a cold start or of a second instance, whose
// argv the single-instance lock hands over (Windows: only from a
// `--protocol-launcher` command line, ./launch-args.ts). Links that arrive
// before the core exists wait for it, in order; the core keeps what the
// window has not taken yet (environment requests, UI actions).

export interface DeepLinks {
  /** A second instance's argv (from setupSingleInstance). */
  receiveArgv(argv: readonly string[]): void;
  /** From now on links go to the core; those that waited go first. */
  deliverTo(core: DeepLinkTarget, logger: Logger): void;
}

export interface DeepLinkOptions {
  /** Which OS's command-line rules apply (tests pass another). */
  platform?: NodeJS.Platform;
  /** macOS: a link arrived with 'open-url' once the core is there (the window is shown for it; a second launch shows it itself). */
  onOpenUrl?: () => void;
}

/** Links kept until the core is ready (the cold start's argv counts as one). */
export const maxWaiting = 16;

type Arrival = { delivery: DeepLinkDelivery; source: DeepLinkSource } | { refused: string; source: DeepLinkSource };

/**
 * Registers 'open-url' (call this before 'ready', or macOS's launch link is
 * lost) and keeps the cold start's argv for when the core is ready.
 */
export function setupDeepLinks(coldStartArgv: readonly string[], options: DeepLinkOptions = {}): DeepLinks {
  const platform = options.platform ?? process.platform;
  const fromArgv = (argv: readonly string[], source: DeepLinkSource): Arrival => {
    const reading = readArgv(argv, platform);
    return reading.kind === 'deliver' ? { delivery: reading.delivery, source } : { refused: reading.reason, source };
  };
  const waiting: Arrival[] = [fromArgv(coldStartArgv, 'cold-start')];
  let target: { core: DeepLinkTarget; logger: Logger } | undefined;
  let dropped = 0;

  const receive = (arrival: Arrival) => {
    if (!target) {
      // Nobody clicks more than a few links while Paddock starts; a page that sends hundreds gets the first few.
      if (waiting.length < maxWaiting) waiting.push(arrival);
      else dropped += 1;
      return;
    }
    const { logger } = target;
    if ('refused' in arrival) {
      logger.warn('deep link refused', { source: arrival.source, reason: arrival.refused });
      return;
    }
    receiveDeepLink(target.core, logger, arrival.delivery, arrival.source).catch((error: unknown) => {
      // The error's message could quote the link; its name is enough to find the bug.
      logger.error('deep link could not be handled', { source: arrival.source, error: error instanceof Error ? error.name : typeof error });
    });
  };

  app.on('open-url', (event, url) => {
    // Electron's docs: call preventDefault when the app handles the link itself.
    event.preventDefault();
    receive({ delivery: { link: url }, source: 'open-url' });
    if (target) options.onOpenUrl?.();
  });

  return {
    receiveArgv: (argv) => receive(fromArgv(argv, 'second-instance')),
    deliverTo(core, logger) {
      target = { core, logger };
      if (dropped > 0) logger.warn('deep links dropped while Paddock started', { count: dropped });
      for (const arrival of waiting.splice(0)) receive(arrival);
    },
  };
}
