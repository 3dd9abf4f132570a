import { execFile, spawn, type ChildProcess } from 'node:child_process';
import https from 'node:https';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const entry = path.join(root, 'electron/runner/runner.ts');

/** How to start the runner program: by default the checkout's source under tsx; an installed package's `paddock-runner` otherwise. */
export interface RunnerProgram {
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
}
export const checkoutRunner: RunnerProgram = { command: process.execPath, args: ['--import', 'tsx', entry], cwd: root };

export interface RemoteRunnerHandle {
  url: string;
  spki: string;
  publicKey: string;
  dataDir: string;
  /** The runner's process id (to send it signals). */
  pid: number;
  /** Everything the runner printed (stdout) and logged (stderr) so far. */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** A fresh one-time registration token, from `registration create --json` (role: user unless asked, as the CLI's default). */
  createToken(expires?: string, role?: 'admin' | 'user'): Promise<string>;
  stop(): Promise<number | null>;
}

/** Runs the runner CLI (under Node with tsx unless another program is given), as a separate process. */
export function runnerCli(args: string[], options: { env?: NodeJS.ProcessEnv; program?: RunnerProgram } = {}) {
  const program = options.program ?? checkoutRunner;
  return promisify(execFile)(program.command, [...program.args, ...args], { cwd: program.cwd, env: options.env ?? program.env ?? process.env });
}

/** Starts a real runner in remote mode (TLS on 127.0.0.1, a free port) and waits until it prints its fingerprint. */
export async function startRemoteRunner(
  options: { secretStore?: 'keychain' | 'file'; dataDir?: string; listen?: string; extraArgs?: string[]; env?: NodeJS.ProcessEnv; program?: RunnerProgram } = {},
): Promise<RemoteRunnerHandle> {
  const program = options.program ?? checkoutRunner;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-remote-'));
  const args = ['serve', '--data-dir', dataDir, '--listen', options.listen ?? '127.0.0.1:0', '--secret-store', options.secretStore ?? 'file', ...(options.extraArgs ?? [])];
  const child: ChildProcess = spawn(program.command, [...program.args, ...args], { cwd: program.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? program.env ?? process.env });
  let output = '';
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => ((output += chunk), (stdout += chunk)));
  child.stderr!.on('data', (chunk) => ((output += chunk), (stderr += chunk)));
  // --log-format json: the start-up facts are fields of the "runner listening" line.
  const listening = () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; url?: string; spki?: string; publicKey?: string })
      .find((line) => line.msg === 'runner listening');
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The runner did not start in 20 s:\n${output}`)), 20_000);
    const check = () => {
      if (/fingerprint.*sha256\//.test(output) || listening()) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`The runner exited (${code}) before it was ready:\n${output}`));
    });
  });
  const line = listening();
  const url = line?.url ?? /listening on (https:\/\/\S+)/.exec(output)![1]!;
  const spki = line?.spki ?? /fingerprint[^:]*: (sha256\/[A-Za-z0-9+/]+=*)/.exec(output)![1]!;
  const publicKey = line?.publicKey ?? /Public key: (\S+)/.exec(output)![1]!;
  return {
    url,
    spki,
    publicKey,
    dataDir,
    pid: child.pid!,
    output: () => output,
    stdout: () => stdout,
    stderr: () => stderr,
    createToken: async (expires = '24h', role = 'user') => {
      const { stdout } = await runnerCli(['registration', 'create', '--data-dir', dataDir, '--expires', expires, '--role', role, '--json'], { program });
      return (JSON.parse(stdout) as { token: string }).token;
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** What the runner answered: the status and the JSON body (an error body has `error`). */
export interface RunnerAnswer {
  status: number;
  body: { error?: { code: string; message: string; issues?: { path: string; message: string }[]; detail?: Record<string, string> } } & Record<string, unknown>;
}

/**
 * One runner API call over TLS as another workstation would make it, with
 * its API token (or none); the test does not pin the key.
 */
export function runnerCall(runner: Pick<RemoteRunnerHandle, 'url'>, apiToken: string | null, method: string, urlPath: string, body?: unknown): Promise<RunnerAnswer> {
  const url = new URL(runner.url);
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: urlPath,
        rejectUnauthorized: false,
        headers: {
          Host: url.host,
          ...(apiToken ? { Authorization: `Bearer ${apiToken}` } : {}),
          ...(text ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) } : {}),
        },
      },
      (response) => {
        let data = '';
        response.on('data', (chunk) => (data += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: data ? JSON.parse(data) : {} }));
      },
    );
    request.on('error', reject);
    request.end(text);
  });
}

/** Registers a workstation with a fresh token of that role; its client id, API token and role. */
export async function registerWorkstation(runner: RemoteRunnerHandle, role: 'admin' | 'user', name: string): Promise<{ clientId: string; apiToken: string; role: string }> {
  const answer = await runnerCall(runner, null, 'POST', '/v1/registration', { token: await runner.createToken('1h', role), name });
  if (answer.status !== 201) throw new Error(`Registration failed (HTTP ${answer.status}): ${answer.body.error?.message ?? ''}`);
  return answer.body as unknown as { clientId: string; apiToken: string; role: string };
}
