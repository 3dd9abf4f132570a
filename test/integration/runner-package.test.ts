import { execFile } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { RUNNER_API_VERSION } from '../../electron/common/runner-api';
import { PADDOCK_VERSION } from '../../electron/common/version';
import { selfSignedCertificate, spkiOfCertificate } from '../../electron/runner/tls';
import { registerWorkstation, runnerCall, runnerCli, startRemoteRunner, type RunnerProgram } from '../helpers/remote-runner';

// The standalone runner package (`npm run build:runner`, docs/runner-on-a-server.md),
// installed as an admin installs it: `npm install -g` of the tarball into an
// empty prefix, then run with nothing of the checkout on PATH, in the working
// directory or in the environment.
//
// The install is `--offline` with an empty npm cache: the package has no
// dependency but the optional OS keychain module (@github/keytar), which npm
// then cannot fetch and leaves out, as optional dependencies that fail to
// install are. So these tests also prove that `--secret-store file` needs no
// native module. (On a server with network access npm installs keytar too; it
// is loaded only for `--secret-store keychain`.)

const execFileAsync = promisify(execFile);
const root = path.resolve('.');
const tarball = path.join(root, `dist/paddock-runner-${PADDOCK_VERSION}.tgz`);

/** The 0.1.0 data directory (test/fixtures/runner-data-0.1.0/README.md) and what its runner and workstation are. */
const FIXTURE = {
  dir: path.join(root, 'test/fixtures/runner-data-0.1.0'),
  runnerId: 'r_f45e278c-bee1-4e6e-bd5e-888a0be6addb',
  publicKey: 'QHmIkRstq1OdX+X/K48JZ7Ne+oOwoIjL3fkzCyxYhE0=',
  spki: 'sha256/8FnMCML+ahnx9x5UL1HFNcZqh/vtSu6CwP/SbY8t6rM=',
  admin: { clientId: 'c_Zy0Lq6xpSOR2OCMu', apiToken: 'prk_VKkEuXn6NgMz8MQ2x_dNcTTPxJQ7_vDlgveefM8QEmE' },
};

let work: string;
let installed: string;
let program: RunnerProgram;

beforeAll(async () => {
  await execFileAsync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/build-runner.ts'], { cwd: root });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-package-'));
  const prefix = path.join(work, 'prefix');
  const home = path.join(work, 'home');
  fs.mkdirSync(home);
  // Only the Node 24 these tests run with (node and npm), the prefix's bin and the system's tools.
  const env = { PATH: [path.join(prefix, 'bin'), path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter), HOME: home, LANG: 'C.UTF-8' };
  fs.copyFileSync(tarball, path.join(work, path.basename(tarball)));
  await execFileAsync(
    'npm',
    ['install', '--global', '--prefix', prefix, '--offline', '--cache', path.join(work, 'npm-cache'), '--no-audit', '--no-fund', '--loglevel', 'error', `./${path.basename(tarball)}`],
    { cwd: work, env },
  );
  installed = path.join(prefix, 'lib/node_modules/paddock-runner');
  program = { command: path.join(prefix, 'bin/paddock-runner'), args: [], cwd: home, env };
}, 180_000);

/** The certificate a TLS client sees at the runner's URL. */
function presented(url: string): Promise<{ fingerprint256: string; spki: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: hostname, port: Number(port), rejectUnauthorized: false }, () => {
      const certificate = socket.getPeerX509Certificate()!;
      socket.end();
      resolve({ fingerprint256: certificate.fingerprint256, spki: spkiOfCertificate(certificate.toString()) });
    });
    socket.once('error', reject);
  });
}

async function until(condition: () => boolean, what: string, output: () => string) {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  if (!condition()) throw new Error(`Waited in vain for ${what}:\n${output()}`);
}

/** The runner CLI's exit code and output (execFile rejects on a non-zero exit). */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await runnerCli(args, { program });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the paddock-runner package', () => {
  it('installs with nothing but the bundled runner and answers --version and --help', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ name: 'paddock-runner', version: PADDOCK_VERSION, bin: { 'paddock-runner': 'bin/paddock-runner.cjs' } });
    expect(manifest.dependencies).toBeUndefined();
    expect(Object.keys(manifest.optionalDependencies as object)).toEqual(['@github/keytar']);
    // Offline with an empty cache: the optional keychain module was left out, and nothing else was needed.
    expect(fs.existsSync(path.join(installed, 'node_modules'))).toBe(false);
    expect(fs.readdirSync(installed).sort()).toEqual(['README.md', 'bin', 'package.json', 'paddock-credential-helper.cjs', 'runner.cjs', 'systemd']);
    // The systemd unit and its settings, as build/runner has them.
    for (const file of ['paddock-runner.service', 'paddock-runner.env']) {
      expect(fs.readFileSync(path.join(installed, 'systemd', file), 'utf8')).toBe(fs.readFileSync(path.join(root, 'build/runner', file), 'utf8'));
    }
    // No path of the checkout is baked into the bundle.
    expect(fs.readFileSync(path.join(installed, 'runner.cjs'), 'utf8')).not.toContain(root);

    expect(await run(['--version'])).toEqual({ code: 0, stdout: `paddock-runner ${PADDOCK_VERSION} (runner API v${RUNNER_API_VERSION})\n`, stderr: '' });
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['serve --data-dir DIR --listen HOST:PORT', 'registration create --data-dir DIR', 'status --data-dir DIR', 'health --data-dir DIR', '--log-format']) {
      expect(help.stdout).toContain(command);
    }
    expect((await run(['serve', '--data-dir', path.join(work, 'x'), '--log-format', 'xml'])).code).toBe(64);
  });

  it('serves, makes registration tokens of each role, and answers the workstations registered with them', async () => {
    const runner = await startRemoteRunner({ program, dataDir: path.join(work, 'serve-data') });
    try {
      const admin = await registerWorkstation(runner, 'admin', 'Admin workstation');
      const user = await registerWorkstation(runner, 'user', 'User workstation');
      const status = await runnerCall(runner, admin.apiToken, 'GET', '/v1/status');
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({ version: PADDOCK_VERSION, mode: 'remote', secretStore: 'file', spki: runner.spki, client: { id: admin.clientId, role: 'admin' } });
      expect((await runnerCall(runner, admin.apiToken, 'GET', '/v1/clients')).status).toBe(200);
      expect((await runnerCall(runner, user.apiToken, 'GET', '/v1/clients')).status).toBe(403);

      const shown = await run(['status', '--data-dir', runner.dataDir, '--json']);
      expect(shown.code).toBe(0);
      expect(JSON.parse(shown.stdout)).toMatchObject({ spki: runner.spki, workstations: [{ role: 'admin' }, { role: 'user' }], server: expect.stringMatching(/^answering at 127\.0\.0\.1:\d+/) });
      const healthy = await run(['health', '--data-dir', runner.dataDir]);
      expect(healthy).toMatchObject({ code: 0, stdout: expect.stringMatching(/^healthy: answering at /) });
    } finally {
      expect(await runner.stop()).toBe(0);
    }
    expect(await run(['health', '--data-dir', runner.dataDir])).toMatchObject({ code: 1, stdout: expect.stringMatching(/^unhealthy: not answering at /) });
    expect(await run(['health', '--data-dir', path.join(work, 'no-runner-here')])).toMatchObject({ code: 1, stdout: expect.stringMatching(/^unhealthy: .* holds no runner/) });
  });

  it('logs JSON lines with --log-format json, reloads its TLS certificate and key on SIGHUP, and stops cleanly on SIGTERM', async () => {
    const certs = fs.mkdtempSync(path.join(work, 'certs-'));
    const [certFile, keyFile] = [path.join(certs, 'cert.pem'), path.join(certs, 'key.pem')];
    const newKey = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const keyA = newKey();
    const certA = await selfSignedCertificate(keyA, ['127.0.0.1', 'localhost']);
    fs.writeFileSync(certFile, certA);
    fs.writeFileSync(keyFile, keyA, { mode: 0o600 });
    const runner = await startRemoteRunner({ program, dataDir: path.join(work, 'json-data'), extraArgs: ['--tls-cert', certFile, '--tls-key', keyFile, '--log-format', 'json'] });
    const lines = () => runner.stdout().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { msg: string; level: number; spki?: string });
    const reloads = () => lines().filter((line) => line.msg === 'TLS certificate reloaded').length;
    let stopped = false;
    try {
      expect(runner.spki).toBe(spkiOfCertificate(certA));
      const user = await registerWorkstation(runner, 'user', 'Workstation');
      expect((await presented(runner.url)).fingerprint256).toBe(new X509Certificate(certA).fingerprint256);

      // A renewed certificate over the same key: served at once, and the workstations' pin (the SPKI) holds.
      const certB = await selfSignedCertificate(keyA, ['127.0.0.1', 'localhost']);
      fs.writeFileSync(certFile, certB);
      process.kill(runner.pid, 'SIGHUP');
      await until(() => reloads() === 1, 'the first reload', runner.output);
      expect(await presented(runner.url)).toEqual({ fingerprint256: new X509Certificate(certB).fingerprint256, spki: runner.spki });
      expect((await runnerCall(runner, user.apiToken, 'GET', '/v1/status')).status).toBe(200);

      // A new key: served too, with a warning, since every workstation pinned the old one; registrations are kept.
      const keyC = newKey();
      const certC = await selfSignedCertificate(keyC, ['127.0.0.1', 'localhost']);
      fs.writeFileSync(certFile, certC);
      fs.writeFileSync(keyFile, keyC);
      process.kill(runner.pid, 'SIGHUP');
      await until(() => reloads() === 2, 'the second reload', runner.output);
      expect((await presented(runner.url)).spki).toBe(spkiOfCertificate(certC));
      expect(lines().find((line) => line.msg.startsWith('TLS key changed'))).toMatchObject({ spki: spkiOfCertificate(certC) });
      const status = await runnerCall(runner, user.apiToken, 'GET', '/v1/status');
      expect(status).toMatchObject({ status: 200, body: { spki: spkiOfCertificate(certC) } });
      expect(await run(['health', '--data-dir', runner.dataDir])).toMatchObject({ code: 0 });

      // A key that does not match the certificate: refused, and the previous certificate stays.
      fs.writeFileSync(keyFile, keyA);
      process.kill(runner.pid, 'SIGHUP');
      await until(() => lines().some((line) => line.msg.startsWith('TLS certificate not reloaded')), 'the refused reload', runner.output);
      expect((await presented(runner.url)).spki).toBe(spkiOfCertificate(certC));

      expect(await runner.stop()).toBe(0);
      stopped = true;
      // Everything on stdout was a JSON line (parsed above), nothing went to stderr, and no line has a terminal escape.
      expect(lines().map((line) => line.msg)).toEqual(expect.arrayContaining(['runner listening', 'runner stopped']));
      expect(lines().find((line) => line.msg === 'runner listening')).toMatchObject({ url: runner.url, spki: spkiOfCertificate(certA), publicKey: runner.publicKey });
      expect(runner.stderr()).toBe('');
      expect(runner.stdout()).not.toContain('\u001b');
    } finally {
      if (!stopped) await runner.stop();
    }
  });

  it('keeps a data directory made by 0.1.0: the same identity, fingerprint and registered workstations', async () => {
    const dataDir = path.join(work, 'upgraded-data');
    fs.cpSync(FIXTURE.dir, dataDir, { recursive: true, filter: (source) => path.basename(source) !== 'README.md' });
    // git keeps no permissions but the executable bit; the runner made these 0600 in 0700 folders.
    for (const entry of fs.readdirSync(dataDir, { recursive: true, withFileTypes: true })) fs.chmodSync(path.join(entry.parentPath, entry.name), entry.isDirectory() ? 0o700 : 0o600);
    const runner = await startRemoteRunner({ program, dataDir });
    try {
      expect({ spki: runner.spki, publicKey: runner.publicKey }).toEqual({ spki: FIXTURE.spki, publicKey: FIXTURE.publicKey });
      const status = await runnerCall(runner, FIXTURE.admin.apiToken, 'GET', '/v1/status');
      expect(status).toMatchObject({ status: 200, body: { runnerId: FIXTURE.runnerId, version: PADDOCK_VERSION, client: { id: FIXTURE.admin.clientId, role: 'admin' } } });
      const another = await registerWorkstation(runner, 'user', 'New workstation');
      const clients = await runnerCall(runner, FIXTURE.admin.apiToken, 'GET', '/v1/clients');
      expect(clients.body).toMatchObject({ clients: [{ id: FIXTURE.admin.clientId, name: 'Admin workstation' }, { id: another.clientId }] });
    } finally {
      await runner.stop();
    }
  });
});

const notRoot = process.platform === 'win32' || process.getuid?.() !== 0 ? 'not run as root, so it cannot give the data directory to another user' : null;
if (notRoot) console.warn(`runner-package.test.ts, registration create as root skipped: ${notRoot}`);

describe.skipIf(notRoot !== null)('registration create run as root on a service’s data directory', () => {
  it('leaves the files it writes to the directory’s owner', async () => {
    const runner = await startRemoteRunner({ program, dataDir: path.join(work, 'service-data') });
    const spki = runner.spki;
    await runner.stop();
    // As systemd's StateDirectory= leaves it for the service's user (nobody here).
    const [uid, gid] = [65534, 65534];
    for (const entry of [{ parentPath: path.dirname(runner.dataDir), name: path.basename(runner.dataDir) }, ...fs.readdirSync(runner.dataDir, { recursive: true, withFileTypes: true })]) {
      fs.chownSync(path.join(entry.parentPath, entry.name), uid, gid);
    }
    const made = await run(['registration', 'create', '--data-dir', runner.dataDir, '--role', 'admin', '--json']);
    expect(made.code).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ role: 'admin', spki });
    const written = fs.statSync(path.join(runner.dataDir, 'registrations.json'));
    expect({ uid: written.uid, gid: written.gid, mode: written.mode & 0o777 }).toEqual({ uid, gid, mode: 0o600 });
    for (const entry of fs.readdirSync(runner.dataDir, { recursive: true, withFileTypes: true })) {
      const file = path.join(entry.parentPath, entry.name);
      expect(fs.statSync(file).uid, file).toBe(uid);
    }
  });
});
