import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Builds the web host's stand-in for the preload into dist/web-bridge/bridge.js.
export default defineConfig({
  root,
  build: {
    outDir: path.join(root, 'dist/web-bridge'),
    emptyOutDir: true,
    sourcemap: true,
    lib: {
      entry: path.join(root, 'test/web-host/bridge-client.ts'),
      formats: ['es'],
      fileName: () => 'bridge.js',
    },
  },
});
