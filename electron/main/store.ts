import ElectronStore from 'electron-store';
import { openStore, type AppStore } from '../core/store/store';

/** The app's store: electron-store in the user data directory, behind core's interface. */
export function openAppStore(directory: string): AppStore {
  return openStore({
    directory,
    createBackend: ({ configName, ...options }) => new ElectronStore({ ...options, name: configName }) as never,
  });
}
