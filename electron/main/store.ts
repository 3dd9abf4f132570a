import ElectronStore from 'electron-store';
import { app, dialog } from 'electron';
import { openStore, StoreUnavailableError, type AppStore } from '../core/store/store';

/** The app's store: electron-store in the user data directory, behind core's interface. */
export function openAppStore(directory: string): AppStore {
  return openStore({
    directory,
    createBackend: ({ configName, ...options }) => new ElectronStore({ ...options, name: configName }) as never,
  });
}

/**
 * Opens the store, or — when it cannot be used (StoreUnavailableError: its
 * message says what to do) — says so in an error box and ends the app with
 * exit code 1, answering null. Any other error is a bug and is thrown.
 */
export function setupStore(directory: string = app.getPath('userData')): AppStore | null {
  try {
    return openAppStore(directory);
  } catch (error) {
    if (error instanceof StoreUnavailableError) {
      dialog.showErrorBox('Paddock cannot start', error.message);
      app.exit(1);
      return null;
    }
    throw error;
  }
}
