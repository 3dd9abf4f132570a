// GET /v1/status on a real runner in remote mode (its own process, TLS on
// 127.0.0.1) at a fixed arrival rate over keep-alive connections, against a
// plain node:https server (also its own process) with a key of the same type
// answering the same body; and the runner's resident memory after start and
// after each round of load. The runner is the bundle that ships (runner.cjs,
// built here from the current sources); BENCH_RUNNER=source runs
// electron/runner/runner.ts under tsx instead.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { RUNNER_API_VERSION, RUNNER_API_VERSION_HEADER } from '../electron/common/runner-api';
import { loadOrCreateTlsKey, selfSignedCertificate } from '../electron/runner/tls';
import type { BenchContext } from './index';
import { call, cpuMs, keepAliveAgent, machineCpuMs, median, openLoop, quantile, residentMb, type LoadResult, type Reply, type Target } from './support/load';
import { runNode, startServer, type Server } from './support/processes';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not ${JSON.stringify(process.env[name])}.`);
  return value;
}

const rate = positive('BENCH_RUNNER_API_RATE', 500);
const measuredMs = positive('BENCH_RUNNER_API_MS', 8_000);
const rounds = 3;
/** The first round of each server also warms up its JIT; later ones only reopen connections. */
const firstWarmUpMs = 5_000;
const warmUpMs = 1_000;
const sockets = 4;
const fromSource = process.env.BENCH_RUNNER === 'source';

/** Issue 8's goals. RSS "no growth" allows 2 MB between round 1 and round 3: heap and allocator pages move that much. */
const goals = { ratio: 2, p99Ms: 2, rssMb: 80, growthMb: 2 };
/**
 * A round during which other processes used more than this (% of one CPU) is
 * not an idle-machine figure: an idle machine's background is about 0-1 %,
 * and 5-10 % in one burst (a test starting) already stalls a round's p99.
 */
const busyOthersPercent = 3;
/** Without /proc: on an idle machine the pacer sends within a few tenths of a millisecond. */
const busyLagMs = 0.5;

const tokenSchema = z.object({ token: z.string().min(10) });
const challengeSchema = z.object({ proof: z.string(), publicKey: z.string(), spki: z.string() });
const registrationSchema = z.object({ apiToken: z.string().min(32) });
const statusSchema = z.object({ runnerId: z.string(), mode: z.literal('remote') });

interface Measured extends LoadResult {
  /** The server's CPU time per request in µs, or null off Linux. */
  cpuUs: number | null;
  /** CPU that other processes (not the server, not this one) used meanwhile, in % of one CPU, or null off Linux. */
  othersPercent: number | null;
}

interface Round {
  runner: Measured;
  baseline: Measured;
  runnerRssMb: number | null;
}

/** A measured round against one server, with the CPU time the server used for it. */
async function measure(agent: https.Agent, target: Target, pid: number): Promise<Measured> {
  const before = { server: cpuMs(pid), machine: machineCpuMs(), own: process.cpuUsage(), time: performance.now() };
  const result = await openLoop(agent, target, rate, measuredMs);
  const server = cpuMs(pid);
  const machine = machineCpuMs();
  const own = process.cpuUsage(before.own);
  if (before.server === null || server === null || before.machine === null || machine === null) return { ...result, cpuUs: null, othersPercent: null };
  const serverMs = server - before.server;
  const othersMs = machine - before.machine - serverMs - (own.user + own.system) / 1000;
  return { ...result, cpuUs: (serverMs * 1000) / result.offered, othersPercent: Math.max(0, (othersMs / (performance.now() - before.time)) * 100) };
}

const ms = (value: number) => `${value.toFixed(2)} ms`;
const mb = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(1)} MB`);

function parse<T>(reply: Reply, status: number, schema: z.ZodType<T>, what: string): T {
  if (reply.status !== status) throw new Error(`${what}: HTTP ${reply.status}: ${reply.body.slice(0, 300)}`);
  return schema.parse(JSON.parse(reply.body));
}

/** Registers a workstation as the app does (challenge, then the token): its API token. */
async function register(agent: https.Agent, port: number, token: string): Promise<string> {
  const headers = { [RUNNER_API_VERSION_HEADER]: String(RUNNER_API_VERSION) };
  const tokenId = createHash('sha256').update(token).digest('hex').slice(0, 16);
  const nonce = randomBytes(32).toString('base64');
  // The proof is not checked: this runner is the child process started above, on loopback.
  parse(await call(agent, { port, method: 'POST', path: '/v1/registration/challenge', headers, body: { nonce, tokenId } }), 200, challengeSchema, 'challenge');
  const registration = await call(agent, { port, method: 'POST', path: '/v1/registration', headers, body: { token, name: 'runner-api benchmark' } });
  return parse(registration, 201, registrationSchema, 'registration').apiToken;
}

function line(result: Measured): string {
  const failed = result.failures ? `, ${result.failures} FAILED` : '';
  const cpu = result.cpuUs === null ? '' : `  CPU ${result.cpuUs.toFixed(0).padStart(4)} µs/request`;
  const others = result.othersPercent === null ? '' : `  others ${result.othersPercent.toFixed(0).padStart(3)}% CPU`;
  return `p50 ${ms(quantile(result.latencies, 0.5)).padStart(8)}  p99 ${ms(quantile(result.latencies, 0.99)).padStart(8)}  max ${ms(quantile(result.latencies, 1)).padStart(9)}${cpu}${others}  (${result.latencies.length} answers${failed})`;
}

export async function run(bench: BenchContext): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-bench-runner-api-'));
  const servers: Server[] = [];
  const agents: https.Agent[] = [];
  try {
    let entry = ['--import', 'tsx', path.join(root, 'electron/runner/runner.ts')];
    if (!fromSource) {
      await runNode(['--import', 'tsx', path.join(root, 'bench/support/build-runner.ts'), path.join(work, 'build')], root);
      entry = [path.join(work, 'build/runner.cjs')];
    }
    const dataDir = path.join(work, 'runner');
    const runner = await startServer([...entry, 'serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--secret-store', 'file'], {
      cwd: root,
      ready: /fingerprint.*sha256\//,
      logFile: path.join(work, 'runner.log'),
    });
    servers.push(runner);
    const startRssMb = residentMb(runner.pid);
    const runnerPort = Number(/listening on https:\/\/127\.0\.0\.1:(\d+)/.exec(runner.output())?.[1]);

    const token = tokenSchema.parse(JSON.parse(await runNode([...entry, 'registration', 'create', '--data-dir', dataDir, '--expires', '1h', '--json'], root))).token;
    const setupAgent = keepAliveAgent(1);
    agents.push(setupAgent);
    const apiToken = await register(setupAgent, runnerPort, token);
    const runnerTarget: Target = {
      port: runnerPort,
      path: '/v1/status',
      headers: { Authorization: `Bearer ${apiToken}`, [RUNNER_API_VERSION_HEADER]: String(RUNNER_API_VERSION) },
    };
    const status = await call(setupAgent, runnerTarget);
    parse(status, 200, statusSchema, 'GET /v1/status');

    // The baseline: the runner's own key type (tls.ts makes an ECDSA P-256 key) and its status body.
    const key = loadOrCreateTlsKey(path.join(work, 'baseline'));
    fs.writeFileSync(path.join(work, 'baseline/cert.pem'), await selfSignedCertificate(key, ['127.0.0.1']));
    fs.writeFileSync(path.join(work, 'baseline/body.json'), status.body);
    const baseline = await startServer(
      [path.join(root, 'bench/support/https-baseline.mjs'), ...['tls/key.pem', 'cert.pem', 'body.json'].map((file) => path.join(work, 'baseline', file))],
      { cwd: root, ready: /listening on \d+/, logFile: path.join(work, 'baseline.log') },
    );
    servers.push(baseline);
    const baselineStartRssMb = residentMb(baseline.pid);
    const baselineTarget: Target = { ...runnerTarget, port: Number(/listening on (\d+)/.exec(baseline.output())?.[1]) };
    const baselineStatus = await call(setupAgent, baselineTarget);
    parse(baselineStatus, 200, statusSchema, 'baseline');

    const what = fromSource ? 'electron/runner/runner.ts under tsx (BENCH_RUNNER=source)' : 'runner.cjs, the bundle that ships, built from the current sources';
    bench.report(`runner: ${what}, remote mode; ${Buffer.byteLength(status.body)}-byte JSON body on both servers`);
    bench.report(`TLS: runner ${status.tls}; baseline ${baselineStatus.tls}`);
    bench.report(
      `load: GET /v1/status at ${rate} requests/s, open loop (latency from each request's due time), ${sockets} keep-alive TLS connections; ` +
        `${rounds} rounds of ${measuredMs / 1000} s per server, alternating, after ${firstWarmUpMs / 1000} s warm-up (${warmUpMs / 1000} s before later rounds); ` +
        `${os.cpus().length} CPUs`,
    );
    const loadAtStart = os.loadavg()[0]!;

    const runnerAgent = keepAliveAgent(sockets);
    const baselineAgent = keepAliveAgent(sockets);
    agents.push(runnerAgent, baselineAgent);
    const results: Round[] = [];
    for (let round = 0; round < rounds; round++) {
      const warm = round === 0 ? firstWarmUpMs : warmUpMs;
      await openLoop(baselineAgent, baselineTarget, rate, warm);
      const baselineResult = await measure(baselineAgent, baselineTarget, baseline.pid);
      await openLoop(runnerAgent, runnerTarget, rate, warm);
      const runnerResult = await measure(runnerAgent, runnerTarget, runner.pid);
      for (const [name, server] of [['runner', runner], ['baseline', baseline]] as const) {
        const ended = server.ended();
        if (ended) throw new Error(`The ${name} stopped during round ${round + 1} (${ended}). The end of its log:\n${server.logTail()}`);
      }
      results.push({ runner: runnerResult, baseline: baselineResult, runnerRssMb: residentMb(runner.pid) });
      bench.report(`round ${round + 1}  runner    ${line(runnerResult)}`);
      bench.report(`         baseline  ${line(baselineResult)}`);
    }

    const p99 = (result: LoadResult) => quantile(result.latencies, 0.99);
    const lagP99 = (result: LoadResult) => quantile(result.sendLag, 0.99);
    const runnerP99 = median(results.map((r) => p99(r.runner)));
    const baselineP99 = median(results.map((r) => p99(r.baseline)));
    bench.report(`p99, median of rounds  runner ${ms(runnerP99)}, baseline ${ms(baselineP99)}: ${(runnerP99 / baselineP99).toFixed(2)}×`);
    // The goal is for an idle machine: it is judged on the rounds during which
    // other processes left the CPUs alone (each server's median over those).
    const busy = (result: Measured) => (result.othersPercent === null ? lagP99(result) > busyLagMs : result.othersPercent > busyOthersPercent);
    const quiet = (pick: (r: Round) => Measured) => {
      const indexes = results.flatMap((r, i) => (busy(pick(r)) ? [] : [i]));
      return { rounds: indexes.map((i) => i + 1), p99: indexes.length ? median(indexes.map((i) => p99(pick(results[i]!)))) : Number.NaN };
    };
    const quietRunner = quiet((r) => r.runner);
    const quietBaseline = quiet((r) => r.baseline);
    const judged = quietRunner.rounds.length > 0 && quietBaseline.rounds.length > 0;
    const ratio = quietRunner.p99 / quietBaseline.p99;
    const roundsOf = (q: { rounds: number[] }) => (q.rounds.length ? `round${q.rounds.length > 1 ? 's' : ''} ${q.rounds.join(', ')}` : 'no round');
    bench.report(
      `p99, quiet rounds      runner ${judged ? ms(quietRunner.p99) : '–'} (${roundsOf(quietRunner)}), baseline ${judged ? ms(quietBaseline.p99) : '–'} (${roundsOf(quietBaseline)})` +
        `${judged ? `: ${ratio.toFixed(2)}×` : ''}  (quiet: other processes used ≤ ${busyOthersPercent}% of a CPU)`,
    );
    const runnerCpu = results.map((r) => r.runner.cpuUs);
    const baselineCpu = results.map((r) => r.baseline.cpuUs);
    if (!runnerCpu.includes(null) && !baselineCpu.includes(null)) {
      const runnerUs = median(runnerCpu as number[]);
      const baselineUs = median(baselineCpu as number[]);
      bench.report(`CPU, median of rounds  runner ${runnerUs.toFixed(0)} µs/request, baseline ${baselineUs.toFixed(0)} µs/request: ${(runnerUs / baselineUs).toFixed(2)}×`);
    }
    const failures = results.reduce((sum, r) => sum + r.runner.failures + r.baseline.failures, 0);
    const met = ratio <= goals.ratio && quietRunner.p99 <= goals.p99Ms && failures === 0;
    const verdict = failures
      ? `NOT met: ${failures} requests failed`
      : !judged
        ? 'not judged: other processes were busy in every round of a server, repeat on an idle machine'
        : met
          ? 'met'
          : 'NOT met';
    bench.report(`latency goal           ≤ ${goals.ratio}× the baseline's p99 and ≤ ${goals.p99Ms} ms, on quiet rounds: ${verdict}`);
    const lag = median(results.flatMap((r) => [lagP99(r.runner), lagP99(r.baseline)]));
    bench.report(`machine                load average ${loadAtStart.toFixed(2)} before, ${os.loadavg()[0]!.toFixed(2)} after; the generator sent ${ms(lag)} late at p99 (median of rounds, in both)`);

    const after = results.map((r) => r.runnerRssMb);
    const first = after[0];
    const last = after[after.length - 1];
    if (startRssMb === null || first == null || last == null) {
      bench.report('runner RSS             n/a (needs Linux /proc)');
    } else {
      const growth = last - first;
      const peak = Math.max(startRssMb, ...after.map((value) => value ?? 0));
      const memoryMet = peak <= goals.rssMb && growth <= goals.growthMb;
      bench.report(
        `runner RSS             ${mb(startRssMb)} after start; after rounds ${after.map(mb).join(', ')}; ` +
          `${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB from round 1 to ${rounds}  (goal ≤ ${goals.rssMb} MB, no growth: ${memoryMet ? 'met' : 'NOT met'})`,
      );
    }
    bench.report(`baseline RSS           ${mb(baselineStartRssMb)} after start, ${mb(residentMb(baseline.pid))} after its rounds (plain Node and one https server, for scale)`);
  } finally {
    for (const agent of agents) agent.destroy();
    await Promise.all(servers.map((server) => server.stop()));
    fs.rmSync(work, { recursive: true, force: true });
  }
}
