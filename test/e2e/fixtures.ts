import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import { silentLogger } from '../../electron/core/logger';
import { startGitHubSimulator } from '../fakes/github';
import type { Simulator } from '../fakes/simulator';
import { startProviderSimulators } from '../helpers/provider-simulators';
import { startWebHost, type WebHost } from '../web-host/server';

interface Fixtures {
  /** Files to put in the data directory before the host starts. */
  seedFiles: Record<string, string>;
  /** Whether the web host starts a local runner, as the app does on first start (R1). */
  localRunner: boolean;
  /** Simulate mode (`npm run dev:web -- --simulate`): the web host starts the provider simulators itself and the page shows them. */
  simulate: boolean;
  /** How often the core checks its runners (ms); long, so that only the page reloads what a test expects it to. */
  heartbeatMs: number;
  /** More environment for the local runner (e.g. PADDOCK_DEV_OAUTH_ATTEMPT_MS, which shortens an OAuth attempt). */
  runnerEnv: Record<string, string>;
  /** Whether the web host plays the OS handing paddock:// links back (WebHostOptions.customSchemeHandled): OAuth then uses the scheme where the provider prefers it. */
  customSchemeHandled: boolean;
  /** With the local runner (not in simulate mode): a GitHub Enterprise Server simulator of the test's own, which it can make fail. */
  withTestProvider: boolean;
  /** That simulator, at `host` for the runners (a host name that leads only to it); null without `withTestProvider`. */
  testProvider: TestProvider | null;
  host: WebHost;
  app: Page;
}

export interface TestProvider {
  host: string;
  simulator: Simulator;
  /** A CA bundle that trusts it, and the environment that maps `host` onto it: for a runner the test starts (`--ca-file`). */
  caFile: string;
  env: NodeJS.ProcessEnv;
}

const testProviderHost = 'https://ghe-under-test.example.test';

/** Each test gets its own web host (real core, fresh data directory) and a page on it. */
export const test = base.extend<Fixtures>({
  seedFiles: [{}, { option: true }],
  localRunner: [false, { option: true }],
  simulate: [false, { option: true }],
  heartbeatMs: [1000, { option: true }],
  runnerEnv: [{}, { option: true }],
  customSchemeHandled: [false, { option: true }],
  withTestProvider: [false, { option: true }],
  testProvider: async ({ withTestProvider }, use) => {
    if (!withTestProvider) return use(null);
    const simulator = await startGitHubSimulator({ layout: 'enterprise-server' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-e2e-provider-'));
    const caFile = path.join(dir, 'ca.pem');
    fs.writeFileSync(caFile, simulator.ca);
    await use({
      host: testProviderHost,
      simulator,
      caFile,
      env: { ...process.env, PADDOCK_DEV_PROVIDER_ENDPOINTS: JSON.stringify({ [testProviderHost]: simulator.origin }) },
    });
    await simulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  },
  host: async ({ seedFiles, localRunner, simulate, heartbeatMs, runnerEnv, customSchemeHandled, testProvider }, use) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-e2e-'));
    for (const [name, content] of Object.entries(seedFiles)) fs.writeFileSync(path.join(dataDir, name), content);
    // The local runner validates provider entries against simulators, never the real services.
    const simulators = localRunner && !simulate ? await startProviderSimulators() : null;
    // The test's own provider joins them (the simulators of one test process share one certificate).
    const endpoints = { ...simulators?.endpoints, ...(testProvider ? { [testProvider.host]: testProvider.simulator.origin } : {}) };
    const host = await startWebHost({
      dataDir,
      logger: silentLogger,
      localRunner,
      simulate,
      heartbeatMs,
      customSchemeHandled,
      ...(simulators
        ? { runnerArgs: simulators.runnerArgs, runnerEnv: { ...simulators.runnerEnv, PADDOCK_DEV_PROVIDER_ENDPOINTS: JSON.stringify(endpoints), ...runnerEnv } }
        : { runnerEnv }),
    });
    await use(host);
    await host.close();
    await simulators?.close();
  },
  app: async ({ page, host }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(host.url);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await use(page);
    // CSP violations and uncaught errors show up here.
    expect(errors).toEqual([]);
  },
});

export { expect };

/** axe-core on the current page: no serious or critical violation. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  // The check really ran: it looked at rules and found things that pass.
  expect(results.passes.length).toBeGreaterThan(10);
}

/** axe in light and in dark, then back to the OS's scheme. */
export async function expectAccessibleInBothSchemes(page: Page) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectAccessible(page);
  }
  await page.emulateMedia({ colorScheme: null });
}

/** A screenshot to look at (SCREENSHOTS=dir), in light and dark; nothing without SCREENSHOTS. */
export async function screenshot(page: Page, name: string) {
  const dir = process.env.SCREENSHOTS;
  if (!dir) return;
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `${dir}/${name}-${colorScheme}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: null });
}
