import { app } from 'electron';

/**
 * Takes the single-instance lock. Returns false (and quits) when another
 * instance holds it; that instance receives our argv via 'second-instance':
 * `onSecondInstance` first (it shows the window), then `onArgv`, which looks
 * for a paddock:// link in it (Windows and Linux pass links on the command line).
 */
export function setupSingleInstance(
  onSecondInstance: (argv: string[], workingDirectory: string) => void,
  onArgv?: (argv: readonly string[]) => void,
): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', (_event, argv, workingDirectory) => {
    onSecondInstance(argv, workingDirectory);
    onArgv?.(argv);
  });
  return true;
}
