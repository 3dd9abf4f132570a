// Runs electronegativity (offline) over the Electron code and the renderer,
// then fails if any finding of medium severity or above is not one that
// docs/security.md explains. Each accepted finding names its check and file there.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const cli = path.join(path.dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist/index.js');
const electronVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const reportDir = path.join(root, '.test-reports');
fs.mkdirSync(reportDir, { recursive: true });

/** Findings of medium severity or above that docs/security.md explains: `CHECK file`. */
const accepted = new Set([
  'CSP_GLOBAL_CHECK N/A',
  'PRELOAD_JS_CHECK electron/main/windows.ts',
  'OPEN_EXTERNAL_JS_CHECK electron/main/desktop.ts',
  'OPEN_EXTERNAL_JS_CHECK electron/core/oauth.ts',
  'PROTOCOL_HANDLER_JS_CHECK electron/main/protocol-client.ts',
]);

/** Findings of MEDIUM severity or above (`-s medium`), from the SARIF report. */
function scan(input) {
  const output = path.join(reportDir, 'electronegativity.sarif');
  fs.rmSync(output, { force: true });
  const result = spawnSync(
    process.execPath,
    [
      '--require',
      path.join(root, 'scripts/electronegativity-offline.cjs'),
      cli,
      '-i',
      input,
      '-e',
      electronVersion,
      '-x',
      'AvailableSecurityFixesGlobalCheck',
      '-s',
      'medium',
      '-o',
      output,
      '-v',
      'false',
    ],
    { cwd: root, encoding: 'utf8', env: { ...process.env, LANG: 'en-US' } },
  );
  if (result.status !== 0 || !fs.existsSync(output)) {
    console.error(result.stdout, result.stderr);
    throw new Error(`electronegativity failed on ${input} (exit ${result.status}).`);
  }
  const sarif = JSON.parse(fs.readFileSync(output, 'utf8'));
  return sarif.runs[0].results.map((finding) => {
    const location = finding.locations?.[0]?.physicalLocation;
    const uri = location?.artifactLocation?.uri ?? 'file:///';
    return {
      check: finding.ruleId,
      file: uri === 'file:///' ? 'N/A' : path.relative(input, uri).split(path.sep).join('/'),
      location: location?.region ? `${location.region.startLine}:${location.region.startColumn}` : '0:0',
      message: finding.message?.text ?? '',
    };
  });
}

// One scan over the app's sources (its global checks need main and renderer
// together), copied to a temporary tree so node_modules stays out of it.
const tree = fs.mkdtempSync(path.join(reportDir, 'electronegativity-src-'));
for (const folder of ['electron', 'renderer']) {
  fs.cpSync(path.join(root, folder), path.join(tree, folder), { recursive: true, filter: (src) => !src.includes('node_modules') });
}
let findings;
try {
  findings = scan(tree);
} finally {
  fs.rmSync(tree, { recursive: true, force: true });
}
const docs = fs.readFileSync(path.join(root, 'docs/security.md'), 'utf8');
let failed = 0;
for (const finding of findings) {
  const key = `${finding.check} ${finding.file}`;
  const explained = accepted.has(key) && docs.includes(finding.check);
  if (!explained) failed++;
  console.log(`electronegativity: ${key}:${finding.location} (${finding.message}) — ${explained ? 'explained in docs/security.md' : 'FAIL: fix it, or explain it in docs/security.md'}`);
}
console.log(`electronegativity: ${findings.length} finding(s) of medium severity or above, ${failed} unexplained`);
process.exit(failed ? 1 : 0);
