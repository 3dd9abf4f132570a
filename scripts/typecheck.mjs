// Type-checks each process folder with its own tsconfig, so that a file
// using an API its process does not have (DOM in core, Node in common or the
// renderer) fails here. Runs the checks in parallel.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const projects = [
  'electron/common',
  'electron/core',
  'electron/main',
  'electron/preload',
  'electron/runner',
  'renderer',
  'test',
];
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');

// A folder with no sources yet (the runner, until it exists) has nothing to check.
const hasSources = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).some((entry) =>
    entry.isDirectory() ? entry.name !== 'node_modules' && hasSources(path.join(dir, entry.name)) : /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts'),
  );

const results = await Promise.all(
  projects.filter((project) => hasSources(path.join(root, project))).map(
    (project) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [tsc, '-p', path.join(root, project), '--noEmit', '--pretty'], { cwd: root });
        let output = '';
        child.stdout.on('data', (chunk) => (output += chunk));
        child.stderr.on('data', (chunk) => (output += chunk));
        child.on('close', (code) => resolve({ project, code, output }));
      }),
  ),
);

let failed = 0;
for (const { project, code, output } of results) {
  if (code === 0) {
    console.log(`typecheck ${project}: ok`);
  } else {
    failed++;
    console.log(`typecheck ${project}: FAILED\n${output}`);
  }
}
process.exit(failed ? 1 : 0);
