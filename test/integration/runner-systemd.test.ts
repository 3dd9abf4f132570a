import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { RUNNER_CONFIGURATION_EXIT_CODES } from '../../electron/common/runner-api';
import { serverCommands } from '../../renderer/src/runner-commands';
import { startRemoteRunner } from '../helpers/remote-runner';

// build/runner/paddock-runner.service and its paddock-runner.env example
// (docs/runner-on-a-server.md): systemd accepts the unit as it is, its
// exit-code list is the runner's configuration errors, its hardening is
// there, and its command line starts a runner.

const execFileAsync = promisify(execFile);
const unitFile = path.resolve('build/runner/paddock-runner.service');
const envFile = path.resolve('build/runner/paddock-runner.env');

/** A unit file as systemd reads it: each section's settings, every value of a repeated key in order. */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1]!, current);
      continue;
    }
    const setting = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!setting || !current) throw new Error(`Not a unit file line: ${line}`);
    current.set(setting[1]!, [...(current.get(setting[1]!) ?? []), setting[2]!]);
  }
  return sections;
}

const unit = parseUnit(fs.readFileSync(unitFile, 'utf8'));
const service = unit.get('Service')!;
const one = (key: string) => {
  const values = service.get(key);
  expect(values, key).toHaveLength(1);
  return values![0]!;
};

/** The example environment file's settings (KEY=value lines). */
const environment = Object.fromEntries(
  fs
    .readFileSync(envFile, 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);

/** ExecStart's words with the environment file's values put in, as systemd does (${X}: one word; $X: split on spaces). */
function execStartWords(): string[] {
  return one('ExecStart')
    .split(/\s+/)
    .flatMap((word) => {
      const braced = /^\$\{([A-Z_]+)\}$/.exec(word);
      if (braced) return [environment[braced[1]!] ?? ''];
      const bare = /^\$([A-Z_]+)$/.exec(word);
      if (bare) return (environment[bare[1]!] ?? '').split(/\s+/).filter(Boolean);
      return [word];
    });
}

function hasCommand(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const noAnalyze = hasCommand('systemd-analyze') ? null : 'systemd-analyze is not installed (Debian package systemd; .ci/run installs it)';
if (noAnalyze) console.warn(`runner-systemd.test.ts, systemd-analyze verify skipped: ${noAnalyze}`);
const noCompiler = process.platform !== 'linux' ? 'not Linux' : hasCommand('cc') ? null : 'no C compiler (cc) to make the MemoryDenyWriteExecute probe';
if (noCompiler) console.warn(`runner-systemd.test.ts, MemoryDenyWriteExecute check skipped: ${noCompiler}`);

describe('the systemd unit', () => {
  it('does not restart on exactly the runner’s configuration exit codes, and restarts after other failures', () => {
    const codes = one('RestartPreventExitStatus').split(/\s+/).map(Number);
    expect(codes.toSorted((a, b) => a - b)).toEqual(RUNNER_CONFIGURATION_EXIT_CODES.toSorted((a, b) => a - b));
    expect(one('Restart')).toBe('on-failure');
    // The codes are the ones docs/runners.md documents.
    const docs = fs.readFileSync(path.resolve('docs/runners.md'), 'utf8');
    for (const code of codes) expect(docs).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'));
  });

  it('runs as its own unprivileged user with its data directory as StateDirectory, and is hardened', () => {
    expect(one('DynamicUser') === 'yes' || service.has('User')).toBe(true);
    expect(one('StateDirectory')).toBe('paddock-runner');
    const words = execStartWords();
    expect(words[words.indexOf('--data-dir') + 1]).toBe(`/var/lib/${one('StateDirectory')}`);
    expect(words).toEqual(expect.arrayContaining(['serve', '--listen', '--secret-store', 'file', '--log-format', 'json']));
    expect(words[words.indexOf('--secret-store') + 1]).toBe('file');
    for (const [key, value] of Object.entries({ NoNewPrivileges: 'yes', ProtectSystem: 'strict', ProtectHome: 'yes', PrivateTmp: 'yes', CapabilityBoundingSet: '', AmbientCapabilities: '' })) {
      expect(one(key), key).toBe(value);
    }
    expect(service.get('SystemCallFilter')).toContain('@system-service');
    expect(one('ExecReload')).toBe('/bin/kill -HUP $MAINPID');
    expect(unit.get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);
  });

  it('starts a runner with its command line and the example environment file', async () => {
    const words = execStartWords();
    expect(words[0]).toBe('/usr/local/bin/paddock-runner');
    // The unit's own flags and values, but a temporary data directory and a free port.
    const args = words.slice(1);
    const listen = args.indexOf('--listen');
    const dataDir = args.indexOf('--data-dir');
    expect(args[listen + 1]).toBe(environment.PADDOCK_RUNNER_LISTEN);
    args.splice(Math.max(listen, dataDir), 2);
    args.splice(Math.min(listen, dataDir), 2);
    expect(args[0]).toBe('serve');
    const runner = await startRemoteRunner({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-unit-')), extraArgs: args.slice(1).filter((a, i, all) => !(a === '--secret-store' || all[i - 1] === '--secret-store')) });
    try {
      expect(runner.url).toBe(environment.PADDOCK_RUNNER_PUBLIC_URL);
      expect(runner.stderr()).toBe('');
    } finally {
      expect(await runner.stop()).toBe(0);
    }
  });

  it('gets from the app’s “Add a runner on a server” the same settings as the example environment file has', () => {
    const commands = serverCommands('systemd', 'runner.example.com');
    const written = commands.start.find((command) => command.includes('/etc/paddock-runner/paddock-runner.env'))!;
    const settings = Object.fromEntries([...written.matchAll(/ (PADDOCK_RUNNER_[A-Z_]+)=(\S*)/g)].map((m) => [m[1]!, m[2]!]));
    expect(settings).toEqual(environment);
    expect(one('EnvironmentFile')).toBe('/etc/paddock-runner/paddock-runner.env');
  });

  it.skipIf(noAnalyze !== null)('passes systemd-analyze verify without a warning', async () => {
    // As installed, but with an executable that exists here in ExecStart's place (verify checks it).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-unit-'));
    const copy = path.join(dir, 'paddock-runner.service');
    fs.writeFileSync(copy, fs.readFileSync(unitFile, 'utf8').replace('ExecStart=/usr/local/bin/paddock-runner ', `ExecStart=${process.execPath} `));
    const { stdout, stderr } = await execFileAsync('systemd-analyze', ['verify', copy]);
    expect(`${stdout}${stderr}`).toBe('');
    // And it does say so when something is wrong, so the empty output above means something.
    fs.appendFileSync(copy, '[Service]\nProtectSystem=stricter\n');
    const broken = await execFileAsync('systemd-analyze', ['verify', copy]).catch((error: { stdout: string; stderr: string }) => error);
    expect(`${broken.stdout}${broken.stderr}`).toMatch(/protect system value, ignoring: stricter/);
  });

  it.skipIf(noCompiler !== null)('leaves MemoryDenyWriteExecute off exactly when Node cannot run with it', async () => {
    // systemd ≥ 253 applies MemoryDenyWriteExecute= with prctl(PR_SET_MDWE) where the kernel has it
    // (Linux ≥ 6.3), else with a seccomp filter of the same effect. The probe sets it and runs this Node.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-mdwe-'));
    fs.writeFileSync(
      path.join(dir, 'mdwe.c'),
      '#include <stdio.h>\n#include <sys/prctl.h>\n#include <unistd.h>\n' +
        'int main(int argc, char **argv) { (void)argc; if (prctl(65 /* PR_SET_MDWE */, 1, 0, 0, 0) != 0) { perror("prctl"); return 2; } execv(argv[1], argv + 1); perror("execv"); return 3; }\n',
    );
    await execFileAsync('cc', ['-o', path.join(dir, 'mdwe'), path.join(dir, 'mdwe.c')]);
    const probe = await execFileAsync(path.join(dir, 'mdwe'), [process.execPath, '-e', 'console.log(6 * 7)']).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    if (probe.code === 2) {
      console.warn('runner-systemd.test.ts: this kernel has no PR_SET_MDWE; the MemoryDenyWriteExecute check needs one');
      return;
    }
    const nodeRunsWithIt = probe.code === 0 && probe.stdout.trim() === '42';
    expect(service.get('MemoryDenyWriteExecute')?.[0] === 'yes').toBe(nodeRunsWithIt);
  });
});
