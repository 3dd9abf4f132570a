import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';

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

/** The main process's log lines (main.log, JSON lines) with this message. */
function logLines(logDir: string, message: string): Record<string, unknown>[] {
  const file = path.join(logDir, 'main.log');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === message);
}

/** Starts the binary again as the user would (a second launch with a link); it hands its command line over and quits. */
function secondLaunch(args: string[], env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(executablePath!, args, { env, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
}

test.describe('Electron smoke test', () => {
  test.skip(!executablePath, SKIP_REASON);

  test('starts, shows the shell from app://, sets the tray up where one can show, takes a second launch’s link, and quits cleanly', async () => {
    test.setTimeout(180_000);
    execFileSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'scripts/build-app.ts')], { cwd: root, stdio: 'inherit' });
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-electron-'));
    // The same user data folder for both launches: the single-instance lock lives there.
    const env = { ...process.env, XDG_CONFIG_HOME: home, HOME: home };
    const app: ElectronApplication = await electron.launch({ executablePath: executablePath!, args: [root, '--no-sandbox'], env });
    let quit = false;
    try {
      const page = await app.firstWindow();
      const logDir = await app.evaluate(({ app: electronApp }) => electronApp.getPath('logs'));

      await test.step('the window opens on app://, its page without Node', async () => {
        await expect(page.getByRole('heading', { level: 1 })).toHaveText('Runners');
        const facts = await page.evaluate(() => ({
          protocol: location.protocol,
          require: typeof (globalThis as { require?: unknown }).require,
          process: typeof (globalThis as { process?: unknown }).process,
          api: typeof window.paddock.getPreferences,
        }));
        expect(facts).toEqual({ protocol: 'app:', require: 'undefined', process: 'undefined', api: 'function' });
        expect(await page.evaluate(() => window.paddock.getPreferences())).toMatchObject({ theme: 'system', keepInTray: true, startAtLogin: false });
      });

      await test.step('a tray icon is made exactly where the desktop can show one', async () => {
        // main.ts logs what tray-support.ts found and whether the tray's setup made an icon.
        await expect.poll(() => logLines(logDir, 'tray').length).toBe(1);
        const [tray] = logLines(logDir, 'tray') as [{ available: boolean; shown: boolean; via?: string; reason?: string }];
        test.info().annotations.push({ type: 'tray', description: tray.available ? `available (${tray.via})` : `not available here (${tray.reason})` });
        expect(tray.shown).toBe(tray.available);
      });

      await test.step('a paddock:// link given to a second launch reaches this instance', async () => {
        const url = 'https://github.com/octo/hello';
        const link = `paddock://open?url=${encodeURIComponent(url)}`;
        // Windows registers the scheme with --protocol-launcher (protocol-client.ts) and takes links only so.
        const linkArgs = process.platform === 'win32' ? ['--protocol-launcher', '--', link] : [link];
        expect(await secondLaunch([root, '--no-sandbox', ...linkArgs], env)).toBe(0);
        await expect.poll(() => page.evaluate(() => window.paddock.listEnvironmentRequests().then((requests) => requests.map((r) => [r.url, r.source])))).toEqual([[url, 'link']]);
        const panel = page.getByRole('group', { name: 'What will be created' });
        await expect(panel).toContainText('A Paddock link asked to create an environment from this address');
        await expect(panel.locator('dl')).toContainText(url);
      });

      await test.step('quitting stops the core first and ends the process with code 0', async () => {
        const exited = new Promise<number | null>((resolve) => app.process().once('exit', (code) => resolve(code)));
        // The connection to the main process closes as it quits: the evaluate's own answer may never come.
        await app.evaluate(({ app: electronApp }) => electronApp.quit()).catch(() => undefined);
        expect(await exited).toBe(0);
        quit = true;
        expect(logLines(logDir, 'Paddock did not stop cleanly')).toEqual([]);
      });
    } finally {
      if (!quit) await app.close();
    }
  });
});
