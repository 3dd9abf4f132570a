// `npm test`: lint, typecheck, unit, build, integration and end-to-end
// tests, in that order. Every stage runs even after a failure, so one run
// shows everything; the exit code is non-zero if any stage failed. The last
// line is the total, in the plain "N passed, N failed, N skipped" form.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const reports = path.join(root, '.test-reports');
fs.rmSync(reports, { recursive: true, force: true });
fs.mkdirSync(reports, { recursive: true });
const bin = (name) => path.join(root, 'node_modules/.bin', name);

const stages = [
  { name: 'lint', command: [bin('eslint'), '.'] },
  { name: 'electronegativity', command: [process.execPath, 'scripts/electronegativity.mjs'] },
  { name: 'typecheck', command: [process.execPath, 'scripts/typecheck.mjs'] },
  {
    name: 'unit',
    command: [bin('vitest'), 'run', '--project', 'unit', '--reporter=default', '--reporter=json', '--outputFile.json=.test-reports/unit.json'],
    report: 'unit.json',
  },
  { name: 'build', command: ['npm', 'run', '--silent', 'build:web'] },
  { name: 'build app', command: ['npm', 'run', '--silent', 'build:app'] },
  {
    name: 'integration',
    command: [
      'bash',
      'test/integration/with-keyring.sh',
      bin('vitest'),
      'run',
      '--project',
      'integration',
      '--reporter=default',
      '--reporter=json',
      '--outputFile.json=.test-reports/integration.json',
    ],
    report: 'integration.json',
  },
  // In the keyring session too: the web host's local runner and remote-runner credentials use the real OS keychain.
  { name: 'e2e', command: ['bash', 'test/integration/with-keyring.sh', bin('playwright'), 'test', '-c', 'test/e2e/playwright.config.ts'], report: 'e2e.json' },
];

const totals = { passed: 0, failed: 0, skipped: 0 };
const skips = [];
const failedStages = [];

for (const stage of stages) {
  console.log(`\n=== ${stage.name} ===`);
  const started = Date.now();
  const [command, ...args] = stage.command;
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  if (!ok) failedStages.push(stage.name);
  if (stage.report) {
    const counts = readReport(path.join(reports, stage.report), stage.name);
    if (counts) {
      totals.passed += counts.passed;
      totals.failed += counts.failed;
      totals.skipped += counts.skipped;
    } else if (!ok) {
      totals.failed += 1;
    }
  } else {
    // A check stage (lint, typecheck, build) counts as one check.
    totals[ok ? 'passed' : 'failed'] += 1;
  }
  console.log(`=== ${stage.name}: ${ok ? 'ok' : `FAILED (exit ${result.status ?? result.signal})`} in ${seconds}s ===`);
}

if (skips.length) {
  console.log('\nSkipped, with the reason:');
  for (const skip of skips) console.log(`  - ${skip}`);
}
if (failedStages.length) console.log(`\nFailed stages: ${failedStages.join(', ')}`);
console.log(`\ntotal: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedStages.length || totals.failed ? 1 : 0);

function readReport(file, stage) {
  if (!fs.existsSync(file)) return null;
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  if ('numPassedTests' in report) {
    // Vitest
    for (const suite of report.testResults ?? []) {
      for (const test of suite.assertionResults ?? []) {
        if (test.status === 'pending' || test.status === 'skipped' || test.status === 'todo') skips.push(`${stage}: ${test.fullName}`);
      }
    }
    return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests };
  }
  // Playwright
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        if (test.status === 'skipped') {
          const reason = test.annotations?.find((a) => a.type === 'skip')?.description ?? 'no reason given';
          skips.push(`${stage}: ${spec.title} — ${reason}`);
        }
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report.suites ?? []) walk(suite);
  const { expected, unexpected, skipped, flaky } = report.stats;
  return { passed: expected + flaky, failed: unexpected, skipped };
}
