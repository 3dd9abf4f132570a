import fs from 'node:fs';
import { defineConfig } from '@playwright/test';

// Debian's Chromium where present (build machines cannot download Playwright's).
const chromium = process.env.PADDOCK_CHROMIUM ?? (fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig({
  testDir: '.',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  // Each test starts a web host with its own runners (under tsx, cold on a fresh clone) and checks every state
  // with axe in both schemes: on a 2-core machine running two at once, 30 s was too close.
  timeout: 60_000,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: '../../.test-reports/e2e.json' }]],
  outputDir: '../../test-results',
  use: {
    browserName: 'chromium',
    trace: 'retain-on-failure',
    launchOptions: {
      ...(chromium ? { executablePath: chromium } : {}),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
