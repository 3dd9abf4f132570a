import type { ForgeConfig } from '@electron-forge/shared-types';
import fs from 'node:fs';
import { VitePlugin } from '@electron-forge/plugin-vite';

// The native git credential helper (`npm run build:helper`): a packaged app's Electron cannot run the Node one.
const gitHelper = ['dist/helper/paddock-git-helper', 'dist/helper/paddock-git-helper.exe'].filter((file) => fs.existsSync(file));

// Forge runs the app in development only (`npm start`). Installers are made
// by electron-builder from build/electron-builder.json, which alone holds
// what installers need (protocols, fuses, unpacked native modules, the
// native git credential helper as an extra resource). A `forge package`
// ships the helper too when it is built.
const config: ForgeConfig = {
  packagerConfig: { asar: true, ...(gitHelper.length ? { extraResource: gitHelper } : {}) },
  // keytar is a Node-API module with prebuilt binaries that load in Electron
  // as they are; rebuilding it would need Electron's headers from the network.
  rebuildConfig: { onlyModules: [] },
  plugins: [
    new VitePlugin({
      build: [
        { entry: 'electron/main/main.ts', config: 'vite.main.config.ts', target: 'main' },
        { entry: 'electron/preload/preload.ts', config: 'vite.preload.config.ts', target: 'preload' },
        // The runner, started by the main process as a utility process.
        { entry: 'electron/runner/runner.ts', config: 'vite.main.config.ts', target: 'main' },
        // The git credential helper the runner gives git (git runs it with the runner's Node): next to runner.cjs.
        { entry: 'electron/runner/git/paddock-credential-helper.cjs', config: 'vite.main.config.ts', target: 'main' },
      ],
      renderer: [{ name: 'main_window', config: 'vite.renderer.config.ts' }],
    }),
  ],
};

export default config;
