// Environments (issue 10): a repository URL to a ready working copy through
// the app API and the runner (createEnvironment → the runner's clone job with
// its credential helper → ready), against plain `git clone` of the same
// repository from the same loopback git server with the credential in a
// helper; and a blobless clone of a deep-history repository against a full
// one, both through Paddock. Rounds alternate between the two sides, so a
// busy machine slows both alike; the ratio of medians is the figure.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CloneDepth } from '../electron/common/runner-api';
import { sealPat } from '../electron/common/pat';
import { silentLogger } from '../electron/core/logger';
import { deepHistoryRepository, largeRepository, removeBuiltRepositories } from '../test/fakes/git-repos';
import { SIMULATED_TOKENS } from '../test/helpers/provider-simulators';
import { startWebHost } from '../test/web-host/server';
import type { BenchContext } from './index';
import { median } from './support/load';

const rounds = Number(process.env.BENCH_CLONE_ROUNDS ?? 5);
const megabytes = Number(process.env.BENCH_CLONE_MB ?? 50);
const deepCommits = Number(process.env.BENCH_CLONE_COMMITS ?? 2000);
const goal = 1.05;
const GHES = 'https://ghe.example.test';

export async function run(bench: BenchContext): Promise<void> {
  const pageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-bench-page-'));
  fs.writeFileSync(path.join(pageDir, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
  fs.writeFileSync(path.join(pageDir, 'bridge.js'), '');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-bench-clone-'));
  const host = await startWebHost({
    logger: silentLogger,
    simulate: true,
    heartbeatMs: 1000,
    rendererDir: pageDir,
    bridgeFile: path.join(pageDir, 'bridge.js'),
    runnerArgs: ['--secret-store', 'file'],
  });
  try {
    const [large, deep] = await Promise.all([largeRepository({ bytes: megabytes * 1024 * 1024, commits: 50 }), deepHistoryRepository({ commits: deepCommits, files: 20, blobBytes: 8192 })]);
    const git = host.simulators!.git.server;
    git.addRepository('/ghe.example.test/octo/large.git', large.dir);
    git.addRepository('/ghe.example.test/octo/deep.git', deep.dir);

    let runner: { runnerUid: string; publicKey: string } | null = null;
    for (let i = 0; i < 300 && !runner; i++) {
      const [local] = await host.core.listRunners();
      if (local?.health.state === 'online' && local.runnerUid && local.publicKey) runner = { runnerUid: local.runnerUid, publicKey: local.publicKey };
      else await new Promise((r) => setTimeout(r, 100));
    }
    if (!runner) throw new Error('The local runner did not come online.');
    const saved = await host.core.saveProvider({
      runnerId: 'local',
      previousHost: null,
      confirmWarnings: true,
      provider: { kind: 'github', host: GHES, organizations: [], collections: [], oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } }, pat: { enabled: true } },
    });
    if (!saved.saved) throw new Error('The GitHub Enterprise Server entry was not saved.');
    const token = SIMULATED_TOKENS.githubEnterpriseServer;
    await host.core.connectWithPat({ runnerId: 'local', host: GHES, organization: null, sealed: sealPat({ runnerId: runner.runnerUid, host: GHES, organization: null }, token, runner.publicKey) });

    const ended = new Map<string, string>();
    host.core.onJobEvent(({ jobId, event }) => {
      if (event.type === 'end') ended.set(jobId, event.outcome.state);
    });

    /** Through Paddock: create → ready, then the environment deleted (not timed). */
    const paddock = async (repository: string, depth: CloneDepth) => {
      const start = performance.now();
      const { environment, job } = await host.core.createEnvironment({ runnerId: 'local', url: `${GHES}/octo/${repository}`, tokenId: null, depth, remember: false });
      while (!ended.has(job.id)) await new Promise((r) => setTimeout(r, 2));
      const elapsed = performance.now() - start;
      if (ended.get(job.id) !== 'succeeded') throw new Error(`The clone of ${repository} ended ${ended.get(job.id)}.`);
      await host.core.deleteEnvironment({ runnerId: 'local', id: environment.id });
      return elapsed;
    };

    /** Plain git: the same server, the token from a helper (a file read by a shell function), into a fresh folder. */
    const secret = path.join(work, 'token');
    fs.writeFileSync(secret, token, { mode: 0o600 });
    let n = 0;
    const plain = (repository: string) =>
      new Promise<number>((resolve, reject) => {
        const target = path.join(work, `plain-${n++}`);
        const helper = `!f() { echo username=sam; echo "password=$(cat '${secret}')"; }; f`;
        const start = performance.now();
        execFile(
          'git',
          ['-c', 'credential.helper=', '-c', `credential.helper=${helper}`, 'clone', '--progress', '--', `${git.origin}/ghe.example.test/octo/${repository}.git`, target],
          { env: { PATH: process.env.PATH, HOME: work, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' }, maxBuffer: 64 * 1024 * 1024 },
          (error) => {
            const elapsed = performance.now() - start;
            fs.rmSync(target, { recursive: true, force: true });
            if (error) reject(error);
            else resolve(elapsed);
          },
        );
      });

    // Warm-up: one of each (the runner's first clone starts its credential helper's server; git's page cache).
    await plain('large');
    await paddock('large', 'full');
    const viaPaddock: number[] = [];
    const viaGit: number[] = [];
    for (let i = 0; i < rounds; i++) {
      viaGit.push(await plain('large'));
      viaPaddock.push(await paddock('large', 'full'));
    }
    const full: number[] = [];
    const blobless: number[] = [];
    await paddock('deep', 'blobless');
    for (let i = 0; i < rounds; i++) {
      full.push(await paddock('deep', 'full'));
      blobless.push(await paddock('deep', 'blobless'));
    }
    const ms = (value: number) => `${value.toFixed(0).padStart(5)} ms`;
    const ratio = median(viaPaddock) / median(viaGit);
    bench.report(`${megabytes} MB repository (${large.commits} commits), ${rounds} rounds after a warm-up, alternating; web host core + local runner (from source) + loopback git server`);
    bench.report(`plain git clone with a helper  median ${ms(median(viaGit))}   min ${ms(Math.min(...viaGit))}`);
    bench.report(`Paddock: URL → ready          median ${ms(median(viaPaddock))}   min ${ms(Math.min(...viaPaddock))}`);
    bench.report(`ratio ${ratio.toFixed(3)}× (goal ≤ ${goal}×: ${ratio <= goal ? 'met' : 'NOT met'})`);
    bench.report(`deep history (${deep.commits} commits), through Paddock: full median ${ms(median(full))}, blobless median ${ms(median(blobless))}: blobless takes ${(median(blobless) / median(full)).toFixed(2)}× the time of full`);
  } finally {
    await host.close();
    fs.rmSync(pageDir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
    removeBuiltRepositories();
  }
}
