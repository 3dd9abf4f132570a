import { app } from 'electron';
import { receiveDeepLink, type DeepLinkDelivery, type DeepLinkSource, type DeepLinkTarget } from '../core/deep-links';
import type { Logger } from '../core/logger';

// Where paddock:// links reach the main process: macOS sends 'open-url' (also
// for the link that launched the app, before 'ready'); Windows and Linux put
// the link on the command line of a cold start or of a second instance, whose
// argv the single-instance lock hands over. Links that arrive before the core
// exists wait for it, in order.

export interface DeepLinks {
  /** A second instance's argv (from setupSingleInstance). */
  receiveArgv(argv: readonly string[]): void;
  /** From now on links go to the core; those that waited go first. */
  deliverTo(core: DeepLinkTarget, logger: Logger): void;
}

/** Links kept until the core is ready (the cold start's argv counts as one). */
export const maxWaiting = 16;

/**
 * Registers 'open-url' (call this before 'ready', or macOS's launch link is
 * lost) and keeps the cold start's argv for when the core is ready.
 */
export function setupDeepLinks(coldStartArgv: readonly string[]): DeepLinks {
  const waiting: [DeepLinkDelivery, DeepLinkSource][] = [[{ argv: [...coldStartArgv] }, 'cold-start']];
  let target: { core: DeepLinkTarget; logger: Logger } | undefined;
  let dropped = 0;

  const receive = (delivery: DeepLinkDelivery, source: DeepLinkSource) => {
    if (!target) {
      // Nobody clicks more than a few links while Paddock starts; a page that sends hundreds gets the first few.
      if (waiting.length < maxWaiting) waiting.push([delivery, source]);
      else dropped += 1;
      return;
    }
    const { logger } = target;
    receiveDeepLink(target.core, logger, delivery, source).catch((error: unknown) => {
      // The error's message could quote the link; its name is enough to find the bug.
      logger.error('deep link could not be handled', { source, error: error instanceof Error ? error.name : typeof error });
    });
  };

  app.on('open-url', (event, url) => {
    // Electron's docs: call preventDefault when the app handles the link itself.
    event.preventDefault();
    receive({ link: url }, 'open-url');
  });

  return {
    receiveArgv: (argv) => receive({ argv: [...argv] }, 'second-instance'),
    deliverTo(core, logger) {
      target = { core, logger };
      if (dropped > 0) logger.warn('deep links dropped while Paddock started', { count: dropped });
      for (const [delivery, source] of waiting.splice(0)) receive(delivery, source);
    },
  };
}
