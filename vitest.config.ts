import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          // The renderer's component tests (test/unit/renderer/components/) ask for a DOM
          // per file with `// @vitest-environment happy-dom`; everything else runs under Node.
          environment: 'node',
          // Property tests run hundreds of pure-JS X25519 operations; on a loaded 2-core machine 5 s is too tight.
          testTimeout: 30_000,
          setupFiles: ['test/unit/dom-setup.ts'],
          // Transformed by Vite so that vi.mock('electron') reaches its own
          // `import electron` (the real package would start a download).
          server: { deps: { inline: ['electron-store'] } },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Integration tests share one keyring and start real processes.
          fileParallelism: false,
        },
      },
    ],
  },
});
