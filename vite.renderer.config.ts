import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

// The React renderer. Forge uses this for `npm start` (with hot reload);
// `npm run build:web` builds the same app into dist/web for the web host.
export default defineConfig({
  root: path.join(here, 'renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: path.join(here, '.vite/renderer/main_window'),
    emptyOutDir: true,
    sourcemap: true,
  },
});
