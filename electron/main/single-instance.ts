import { app } from 'electron';

/**
 * Takes the single-instance lock. Returns false (and quits) when another
 * instance holds it; that instance receives our argv via 'second-instance'.
 */
export function setupSingleInstance(onSecondInstance: (argv: string[], workingDirectory: string) => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', (_event, argv, workingDirectory) => {
    onSecondInstance(argv, workingDirectory);
  });
  return true;
}
