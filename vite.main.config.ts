import { defineConfig } from 'vite';

// Forge's Vite plugin supplies the entry, CommonJS output and externals.
// Native modules must stay outside the bundle. __PADDOCK_DEV__ is false in
// production builds, so test-only overrides (provider simulators, the policy
// file path) are ignored there.
export default defineConfig(({ mode }) => ({
  define: { __PADDOCK_DEV__: JSON.stringify(mode !== 'production') },
  build: {
    rollupOptions: { external: ['@github/keytar'] },
  },
}));
