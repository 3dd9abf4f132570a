// An open-loop HTTPS load generator: requests leave at a fixed rate by the
// clock, whatever the server's answers, and each latency is measured from
// the time the request was due, not from when it was actually sent. A slow
// answer therefore counts against every request that waited behind it
// (no "coordinated omission": a closed loop would send less during a stall
// and hide it).
import { once } from 'node:events';
import fs from 'node:fs';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { Worker } from 'node:worker_threads';

export interface Target {
  port: number;
  path: string;
  headers: Record<string, string>;
}

export interface LoadResult {
  /** Latencies of the 200 answers, due time to last body byte, in ms, ascending. */
  latencies: Float64Array;
  /** How late the generator itself sent requests (its timer slack), in ms, ascending. */
  sendLag: Float64Array;
  /** Requests that failed or got another status than 200. */
  failures: number;
  offered: number;
}

/** Keep-alive TLS connections to 127.0.0.1; the server's certificate is self-signed and not checked. */
export function keepAliveAgent(sockets: number): https.Agent {
  return new https.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets, rejectUnauthorized: false });
}

export interface Reply {
  status: number;
  body: string;
  /** The connection's TLS version, cipher and server key, e.g. `TLSv1.3 TLS_AES_256_GCM_SHA384, ECDSA P-256 key`. */
  tls: string;
}

/** One request, for setting up (registration, the first status): the status and body. */
export function call(agent: https.Agent, target: Target & { method?: string; body?: unknown }): Promise<Reply> {
  const body = target.body === undefined ? undefined : JSON.stringify(target.body);
  const headers = body === undefined ? target.headers : { ...target.headers, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const request = https.request({ agent, host: '127.0.0.1', port: target.port, method: target.method ?? 'GET', path: target.path, headers }, (response) => {
      const socket = response.socket as TLSSocket;
      const certificate = socket.getPeerCertificate();
      const key = certificate.nistCurve ? `ECDSA ${certificate.nistCurve}` : `${certificate.bits ?? '?'}-bit RSA`;
      const tls = `${socket.getProtocol() ?? '?'} ${socket.getCipher().name}, ${key} key`;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), tls }));
      response.on('error', reject);
    });
    request.setTimeout(10_000, () => request.destroy(new Error(`${target.path} did not answer in 10 s.`)));
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * The clock of the load: a worker thread that sleeps until each request is
 * due (Atomics.wait, to a fraction of a millisecond, without spinning a CPU)
 * and then tells the main thread its index. Timers alone would send up to a
 * millisecond late (libuv's timers count whole milliseconds), and that slack
 * would be counted as the server's latency.
 */
const pacerSource = `
const { parentPort } = require('node:worker_threads');
parentPort.once('message', ({ start, interval, count }) => {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (let index = 0; index < count; index++) {
    const wait = start + index * interval - (performance.timeOrigin + performance.now());
    if (wait > 0) Atomics.wait(sleeper, 0, 0, wait);
    parentPort.postMessage(index);
  }
});
`;

/** `rate` GETs a second for `durationMs`, open loop; resolves when every one has an answer or an error. */
export async function openLoop(agent: https.Agent, target: Target, rate: number, durationMs: number): Promise<LoadResult> {
  const count = Math.max(1, Math.round((rate * durationMs) / 1000));
  const interval = 1000 / rate;
  const latencies = new Float64Array(count).fill(Number.NaN);
  const sendLag = new Float64Array(count);
  let failures = 0;
  let settled = 0;
  const pacer = new Worker(pacerSource, { eval: true, execArgv: [] });
  await once(pacer, 'online');
  return new Promise((resolve) => {
    // A server that stops answering must not hang the benchmark.
    const watchdog = setTimeout(() => agent.destroy(), durationMs + 20_000);
    const start = performance.now() + 20;
    const due = (index: number) => start + index * interval;
    const settle = (index: number, ok: boolean) => {
      if (ok) latencies[index] = performance.now() - due(index);
      else failures++;
      if (++settled < count) return;
      clearTimeout(watchdog);
      const answered = latencies.filter((value) => !Number.isNaN(value)).sort();
      resolve({ latencies: answered, sendLag: sendLag.sort(), failures, offered: count });
    };
    const send = (index: number) => {
      sendLag[index] = performance.now() - due(index);
      let done = false;
      const finish = (ok: boolean) => {
        if (done) return;
        done = true;
        settle(index, ok);
      };
      const request = https.request({ agent, host: '127.0.0.1', port: target.port, path: target.path, headers: target.headers }, (response) => {
        const ok = response.statusCode === 200;
        response.on('end', () => finish(ok));
        response.on('error', () => finish(false));
        response.resume();
      });
      request.on('error', () => finish(false));
      request.end();
    };
    pacer.on('message', (index: number) => {
      send(index);
      if (index === count - 1) void pacer.terminate();
    });
    pacer.postMessage({ start: performance.timeOrigin + start, interval, count });
  });
}

/** The q-quantile (0..1) of ascending values, nearest rank. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A process's resident set size in MB (Linux: VmRSS of /proc/<pid>/status), or null elsewhere. */
export function residentMb(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * CPU time a process has used (user + system, all threads), in ms, or null
 * off Linux. /proc counts it in USER_HZ ticks, which Linux fixes at 100 a
 * second for this interface, so it is exact to 10 ms.
 */
export function cpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), from field 3 on: utime is field 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** CPU time all processes on the machine have used (every CPU, steal included), in ms, or null off Linux. */
export function machineCpuMs(): number | null {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user).
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * 10;
  } catch {
    return null;
  }
}
