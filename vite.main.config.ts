import { defineConfig } from 'vite';

// Forge's Vite plugin supplies the entry, CommonJS output and externals.
// Native modules must stay outside the bundle.
export default defineConfig({
  build: {
    rollupOptions: { external: ['@github/keytar'] },
  },
});
