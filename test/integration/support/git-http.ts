// A small smart-HTTP git server for the runner's git tests: `git
// http-backend` (CGI) behind a Node HTTP server on 127.0.0.1, with optional
// Basic authentication and an optional throttle on the pack it sends, so a
// clone can be made slow enough to cancel. (The full fake git server with the
// provider simulators' tokens is test/fakes/git-server.ts; this one is only
// what test/integration/git-*.test.ts need.)
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface Throttle {
  /** Bytes of each response sent at full speed (the refs, the start of the pack). */
  afterBytes: number;
  /** Then this many bytes … */
  bytesPerTick: number;
  /** … every this many milliseconds. */
  tickMs: number;
}

export interface GitHttpServerOptions {
  /** The folder whose bare repositories are served: /<name>.git */
  root: string;
  /** Basic credentials every request must carry; without, none is asked. */
  auth?: { username?: string; password: string };
  throttle?: Throttle;
}

export interface GitHttpServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** The Authorization header of each request, as it came (undefined: none). */
  readonly authorizations: (string | undefined)[];
  setThrottle(throttle: Throttle | undefined): void;
  close(): Promise<void>;
}

function authorized(header: string | undefined, auth: NonNullable<GitHttpServerOptions['auth']>): boolean {
  if (!header?.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  return password === auth.password && (auth.username === undefined || user === auth.username) && user !== '';
}

export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  let throttle = options.throttle;
  const authorizations: (string | undefined)[] = [];
  const children = new Set<ChildProcess>();

  const server = http.createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    if (options.auth && !authorized(req.headers.authorization, options.auth)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="paddock-test"', 'Content-Type': 'text/plain' });
      res.end('Authentication required\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const child = spawn('git', ['http-backend'], {
      // Its own group, so closing the server ends upload-pack and pack-objects too.
      detached: true,
      stdio: ['pipe', 'pipe', 'ignore'],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GIT_PROJECT_ROOT: options.root,
        GIT_HTTP_EXPORT_ALL: '1',
        GIT_CONFIG_NOSYSTEM: '1',
        HOME: options.root,
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_ADDR: '127.0.0.1',
        ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
        ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
      },
    });
    children.add(child);
    const stop = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    child.once('exit', () => children.delete(child));
    res.once('close', stop);
    req.pipe(child.stdin!);
    child.stdin!.on('error', () => {});
    void respond(child, res, () => throttle).catch(() => {
      stop();
      res.destroy();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    authorizations,
    setThrottle: (next) => {
      throttle = next;
    },
    close: async () => {
      for (const child of children) {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Reads the CGI answer's headers, then sends its body, slowed down past `afterBytes` when throttled. */
async function respond(child: ChildProcess, res: http.ServerResponse, throttle: () => Throttle | undefined): Promise<void> {
  let head = Buffer.alloc(0);
  let sent = 0;
  let headersDone = false;
  for await (const piece of child.stdout! as AsyncIterable<Buffer>) {
    let chunk = piece;
    if (!headersDone) {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) continue;
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      headersDone = true;
      chunk = head.subarray(end + 4);
    }
    const limit = throttle();
    while (chunk.length > 0) {
      if (res.destroyed) return;
      const fast = limit ? Math.max(0, limit.afterBytes - sent) : chunk.length;
      const size = fast > 0 ? Math.min(fast, chunk.length) : Math.min(limit!.bytesPerTick, chunk.length);
      if (fast <= 0) await new Promise((resolve) => setTimeout(resolve, limit!.tickMs));
      if (!res.write(chunk.subarray(0, size))) await new Promise((resolve) => res.once('drain', resolve));
      sent += size;
      chunk = chunk.subarray(size);
    }
  }
  if (!headersDone) res.writeHead(502);
  res.end();
}

/**
 * A bare repository `<root>/<name>.git` with `files` files of `size`
 * random (incompressible) bytes each, in one commit on `main`.
 */
export function makeBareRepository(root: string, name: string, files: number, size: number): string {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pdk-git-work-'));
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', args, {
      cwd,
      stdio: 'ignore',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
    });
  git(work, 'init', '-q', '-b', 'main');
  for (let i = 0; i < files; i += 1) {
    fs.writeFileSync(path.join(work, `file-${i}.bin`), randomBytes(size));
  }
  fs.writeFileSync(path.join(work, 'README.md'), '# test repository\n');
  git(work, 'add', '.');
  git(work, 'commit', '-q', '-m', 'files');
  const bare = path.join(root, `${name}.git`);
  git(root, 'clone', '-q', '--bare', work, bare);
  fs.rmSync(work, { recursive: true, force: true });
  return bare;
}
