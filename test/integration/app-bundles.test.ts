import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RUNNER_EXIT } from '../../electron/common/runner-api';
import { SIMULATED_TOKENS, SIMULATED_USER } from '../helpers/provider-simulators';
import { BRIDGE_PROTOCOL_PREFIX, TOKEN_META_NAME } from '../web-host/protocol';

// Simulated providers are reached only by the web host in simulate mode and
// by tests: the app's bundles (`npm run build:app`, what a packaged app
// ships) hold none of the simulator or web-host code, and their runner
// ignores PADDOCK_DEV_PROVIDER_ENDPOINTS, which development builds honour.

const root = path.resolve('.vite');
const runnerBundle = path.join(root, 'build/runner.cjs');

beforeAll(() => {
  if (!fs.existsSync(runnerBundle)) execFileSync(process.execPath, [path.resolve('node_modules/tsx/dist/cli.mjs'), 'scripts/build-app.ts'], { stdio: 'inherit' });
});

function bundleFiles(): { file: string; text: string }[] {
  return ['build', 'renderer']
    .flatMap((dir) => fs.readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true }).map((entry) => ({ entry, dir: entry.parentPath })))
    .filter(({ entry }) => entry.isFile() && /\.(c?js|map|html)$/.test(entry.name))
    .map(({ entry, dir }) => {
      const file = path.join(dir, entry.name);
      return { file: path.relative(root, file), text: fs.readFileSync(file, 'utf8') };
    });
}

describe('the app bundles', () => {
  it('contain no simulator or web-host code', () => {
    const files = bundleFiles();
    // The bundles are there and are the app: main, preload, runner and the renderer.
    expect(files.map((f) => f.file)).toEqual(expect.arrayContaining(['build/main.cjs', 'build/preload.cjs', 'build/runner.cjs', 'renderer/main_window/index.html']));
    expect(files.find((f) => f.file === 'build/runner.cjs')!.text).toContain('PADDOCK_DEV_PROVIDER_ENDPOINTS');
    // Strings that only test/fakes, test/helpers/provider-simulators.ts and test/web-host hold.
    const markers = [
      ...Object.values(SIMULATED_TOKENS),
      SIMULATED_USER.email,
      'paddock-simulator-', // test/fakes/simulator.ts: its certificate's directory
      '<form action="/login">', // test/fakes/simulator.ts: the HTML failure page
      'paddock-sims-', // test/helpers/provider-simulators.ts: the CA bundle's directory
      BRIDGE_PROTOCOL_PREFIX,
      TOKEN_META_NAME,
    ];
    for (const { file, text } of files) for (const marker of markers) expect(text.includes(marker), `${marker} in ${file}`).toBe(false);
  });

  function runServe(entry: string, execArgv: string[]): Promise<{ started: boolean; code: number | null; output: string }> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-bundle-'));
    const child = spawn(process.execPath, [...execArgv, entry, 'serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--secret-store', 'file'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Not an origin → origin map: a development build refuses to start with it.
      env: { ...process.env, PADDOCK_DEV_PROVIDER_ENDPOINTS: JSON.stringify({ 'https://dev.azure.com': 'not a URL' }) },
    });
    let output = '';
    let started = false;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`The runner neither started nor exited in 20 s:\n${output}`));
      }, 20_000);
      const onData = (chunk: Buffer) => {
        output += String(chunk);
        if (!started && /fingerprint.*sha256\//.test(output)) {
          started = true;
          child.kill('SIGTERM');
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ started, code: started ? null : code, output });
      });
    });
  }

  it('run a runner that ignores PADDOCK_DEV_PROVIDER_ENDPOINTS, which the development runner reads', async () => {
    const development = await runServe(path.resolve('electron/runner/runner.ts'), ['--import', 'tsx']);
    expect(development).toMatchObject({ started: false, code: RUNNER_EXIT.usage });
    expect(development.output).toContain('PADDOCK_DEV_PROVIDER_ENDPOINTS must be a JSON object');

    const production = await runServe(runnerBundle, []);
    expect(production.output).not.toContain('PADDOCK_DEV_PROVIDER_ENDPOINTS');
    expect(production.started).toBe(true);
  });
});
