import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Builds the script of the web host's simulated tray page (./tray.ts) into
// dist/web-bridge/tray.js, one file (after the bridge, whose build empties the folder).
export default defineConfig({
  root,
  build: {
    outDir: path.join(root, 'dist/web-bridge'),
    emptyOutDir: false,
    sourcemap: true,
    lib: {
      entry: path.join(root, 'test/web-host/tray-client.ts'),
      formats: ['es'],
      fileName: () => 'tray.js',
    },
  },
});
