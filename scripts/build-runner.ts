// `npm run build:runner`: the standalone runner package for servers,
// dist/paddock-runner-<version>.tgz (docs/runner-on-a-server.md). The runner
// is bundled into one file exactly as the app's runner.cjs (the same Forge
// Vite configs, production mode); only the OS keychain module stays outside,
// as an optional dependency, so servers with `--secret-store file` install no
// native module. Installed with `npm install -g ./paddock-runner-<version>.tgz`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildStrict, forgeGenerator, root } from './forge-bundles';

const app = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  version: string;
  engines: { node: string };
  dependencies: Record<string, string>;
};
const staging = path.join(root, 'dist/paddock-runner');
fs.rmSync(staging, { recursive: true, force: true });
fs.mkdirSync(path.join(staging, 'bin'), { recursive: true });

// The runner and the git credential helper it gives git (which it looks for next to runner.cjs).
const generator = await forgeGenerator((entry) => entry.startsWith('electron/runner/'));
const configs = await generator.getBuildConfigs();
if (configs.length !== 2) throw new Error(`forge.config.ts should have two runner entries (the runner and its git credential helper), not ${configs.length}.`);
await buildStrict(configs, 'The runner package', staging);
for (const file of ['runner.cjs', 'paddock-credential-helper.cjs']) {
  if (!fs.existsSync(path.join(staging, file))) throw new Error(`The runner build made no ${file}.`);
}

// The only module the bundle requires from outside: the OS keychain (a native module), optional.
const external = 'vite.main.config.ts';
const keytar = '@github/keytar';
if (!fs.readFileSync(path.join(root, external), 'utf8').includes(keytar)) throw new Error(`${external} no longer keeps ${keytar} outside the bundle.`);

fs.writeFileSync(
  path.join(staging, 'bin/paddock-runner.cjs'),
  "#!/usr/bin/env node\n// paddock-runner: see `paddock-runner --help`.\n'use strict';\nrequire('../runner.cjs');\n",
  { mode: 0o755 },
);
// The systemd unit and its settings, for `install` from the installed package (docs/runner-on-a-server.md).
fs.mkdirSync(path.join(staging, 'systemd'));
for (const file of ['paddock-runner.service', 'paddock-runner.env']) fs.copyFileSync(path.join(root, 'build/runner', file), path.join(staging, 'systemd', file));

const manifest = {
  name: 'paddock-runner',
  version: app.version,
  description: 'Paddock runner for servers: holds source-control credentials and creates environments for the workstations registered with it.',
  license: 'UNLICENSED',
  bin: { 'paddock-runner': 'bin/paddock-runner.cjs' },
  files: ['bin/', 'systemd/', 'runner.cjs', 'paddock-credential-helper.cjs', 'README.md'],
  engines: { node: app.engines.node.replace(/\s*<\d+$/, '') },
  os: ['linux', 'darwin', 'win32'],
  // Only for `--secret-store keychain` (the default where an OS keychain exists); servers use `--secret-store file`.
  optionalDependencies: { [keytar]: app.dependencies[keytar] },
};
fs.writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
fs.writeFileSync(
  path.join(staging, 'README.md'),
  `# paddock-runner ${app.version}

The Paddock runner for a server: it keeps the repository access, the tokens
of the workstations registered with it, and their environments.

    npm install -g ./paddock-runner-${app.version}.tgz
    paddock-runner --help

A systemd unit and its settings are in systemd/ (see the comments in them).
Running it as a systemd service or in a container, TLS, backups, upgrades and
logs: docs/runner-on-a-server.md in Paddock's repository. On a server without
an OS keychain start it with \`--secret-store file\`; the OS keychain module
(${keytar}) is an optional dependency that only \`--secret-store keychain\` needs.
`,
);

const output = execFileSync('npm', ['pack', '--json', '--pack-destination', path.join(root, 'dist')], { cwd: staging, encoding: 'utf8' });
const [packed] = JSON.parse(output) as { filename: string; size: number }[];
console.log(`Built dist/${packed!.filename} (${Math.round(packed!.size / 1024)} KiB).`);
