import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';

// The real app in a real Electron. It runs only where an Electron binary is
// given: build machines cannot download one, and merely resolving the
// `electron` package would start that download.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const binaryNames: Record<string, string> = {
  linux: 'electron',
  win32: 'electron.exe',
  darwin: 'Electron.app/Contents/MacOS/Electron',
};
const executablePath =
  process.env.PADDOCK_ELECTRON_BINARY ??
  (process.env.ELECTRON_OVERRIDE_DIST_PATH ? path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, binaryNames[process.platform] ?? 'electron') : undefined);

const SKIP_REASON =
  'skipped: no Electron binary on this machine (set ELECTRON_OVERRIDE_DIST_PATH to an Electron dist folder, or PADDOCK_ELECTRON_BINARY to the binary, to run it)';

test.describe('Electron smoke test', () => {
  test.skip(!executablePath, SKIP_REASON);

  test('starts, shows the shell from app://, and gives the page no Node', async () => {
    execFileSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'scripts/build-app.ts')], { cwd: root, stdio: 'inherit' });
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-electron-'));
    const app = await electron.launch({
      executablePath: executablePath!,
      args: [root, '--no-sandbox'],
      env: { ...process.env, XDG_CONFIG_HOME: home, HOME: home },
    });
    try {
      const page = await app.firstWindow();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Runners');
      const facts = await page.evaluate(() => ({
        protocol: location.protocol,
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        api: typeof window.paddock.getPreferences,
      }));
      expect(facts).toEqual({ protocol: 'app:', require: 'undefined', process: 'undefined', api: 'function' });
      const prefs = await page.evaluate(() => window.paddock.getPreferences());
      expect(prefs).toEqual({ theme: 'system' });
    } finally {
      await app.close();
    }
  });
});
