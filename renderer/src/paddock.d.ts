import type { PaddockApi } from '../../electron/common/api';

declare global {
  interface Window {
    /** The app API, put here by the preload (Electron) or the web bridge (web host). */
    readonly paddock: PaddockApi;
  }
}
