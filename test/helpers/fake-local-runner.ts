import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { ProviderView } from '../../electron/common/provider-config';
import { RUNNER_API_VERSION, type RunnerParentMessage, type TokenView } from '../../electron/common/runner-api';
import type { RunnerLauncher } from '../../electron/core/runners/local-runner';

/**
 * A stand-in for the local runner process, for tests of the core: it answers
 * the hello handshake, its status and the few routes the hosts model asks
 * (repository access, this workstation's tokens) over a Unix socket, with
 * what the test sets. `fail` makes its next start exit as a runner that cannot
 * reach the keychain does (the supervisor then shows it failed).
 */
export interface FakeLocalRunner {
  launch: RunnerLauncher;
  providers: ProviderView[];
  tokens: TokenView[];
  /** The next start exits at once with this message (RUNNER_EXIT.keychainUnavailable). */
  fail: string | null;
  close(): Promise<void>;
}

const publicKey = createHash('sha256').update('fake local runner').digest('base64');

export function fakeLocalRunner(): FakeLocalRunner {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-fake-runner-'));
  const servers = new Set<http.Server>();
  let started = 0;
  const fake: FakeLocalRunner = {
    providers: [],
    tokens: [],
    fail: null,
    launch: () => {
      const exits: ((code: number | null) => void)[] = [];
      const messages: ((message: unknown) => void)[] = [];
      let server: http.Server | null = null;
      const exit = (code: number | null) => {
        server?.close();
        if (server) servers.delete(server);
        server = null;
        setImmediate(() => exits.forEach((listener) => listener(code)));
      };
      const start = (token: string) => {
        if (fake.fail !== null) {
          const message = fake.fail;
          setImmediate(() => {
            messages.forEach((listener) => listener({ type: 'fatal', code: 'keychain-unavailable', message }));
            exit(78);
          });
          return;
        }
        const endpoint = path.join(dir, `runner-${++started}.sock`);
        server = http.createServer((request, response) => {
          let raw = '';
          request.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
          request.on('end', () => {
            const answer = (status: number, body: unknown) => {
              response.writeHead(status, { 'Content-Type': 'application/json' });
              response.end(JSON.stringify(body));
            };
            const route = `${request.method} ${request.url}`;
            if (route === 'POST /v1/hello') {
              const { nonce } = JSON.parse(raw) as { nonce: string };
              return answer(200, { proof: createHmac('sha256', token).update(`paddock-hello-v1\n${nonce}`).digest('base64') });
            }
            if (request.headers.authorization !== `Bearer ${token}`) return answer(401, { error: { code: 'unauthorized', message: 'No.' } });
            if (route === 'GET /v1/status') {
              return answer(200, {
                runnerId: 'r_00000000-0000-4000-8000-00000000000f',
                version: '0.0.0-fake',
                apiVersion: RUNNER_API_VERSION,
                mode: 'local',
                publicKey,
                spki: null,
                secretStore: 'file',
                startedAt: new Date().toISOString(),
                warnings: [],
                client: { id: 'c_fakelocalrunner0', role: 'admin' },
              });
            }
            if (route === 'GET /v1/providers') return answer(200, { providers: fake.providers });
            if (route === 'GET /v1/tokens') return answer(200, { tokens: fake.tokens });
            if (route === 'PUT /v1/policy') return answer(200, { applied: 0, problems: [] });
            return answer(404, { error: { code: 'not-found', message: `The fake runner has no ${route}.` } });
          });
        });
        servers.add(server);
        server.listen(endpoint, () => {
          const ready = { type: 'ready', endpoint, publicKey, runnerId: 'r_00000000-0000-4000-8000-00000000000f', version: '0.0.0-fake', apiVersion: RUNNER_API_VERSION };
          messages.forEach((listener) => listener(ready));
        });
      };
      return {
        postMessage: (message: RunnerParentMessage) => {
          if (message.type === 'token') start(message.token);
          else if (message.type === 'shutdown') exit(0);
        },
        onMessage: (listener) => messages.push(listener),
        onExit: (listener) => exits.push(listener),
        kill: () => exit(null),
      };
    },
    async close() {
      await Promise.all([...servers].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return fake;
}
