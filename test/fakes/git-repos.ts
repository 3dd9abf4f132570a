import { spawn } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { ProviderKind } from '../../electron/common/provider-kind';

// Bare repositories for the git server of git-server.ts, built with the git
// CLI (`git fast-import`, one process per repository, no work tree), so that
// a 20 MB repository takes about a second. Every builder is deterministic:
// fixed names, e-mails and dates, and "random" content from AES-CTR with a
// key derived from the parameters, so the same parameters give the same
// commit hashes on every machine and every run. Repositories are built once
// per test process and parameters, under one temporary folder per process
// (`removeBuiltRepositories` in a test file's afterAll; else removed at exit,
// or by the next process that builds when this one was killed).
//
// Built repositories are shared by every test of the process: they refuse
// pushes (`http.receivepack false`). A test that pushes takes its own
// writable copy with `copyRepository`.
//
// Pull/merge-request refs follow GIT-AND-DESKTOP.md §2 (see `pullRequestRefs`).

/** A bare repository on disk. */
export interface BareRepository {
  /** The bare repository's folder (its git directory): what the git server maps a URL path to. */
  readonly dir: string;
  /**
   * Every ref and the object it names, as `git for-each-ref` lists them
   * (for an annotated tag, the tag object; `peeled` has its commit).
   */
  readonly refs: Readonly<Record<string, string>>;
  /** Annotated tags' refs → the commit they point at. */
  readonly peeled: Readonly<Record<string, string>>;
}

/** One pull (merge) request of the sample repository, as its provider publishes it. */
export interface SamplePullRequest {
  readonly number: number;
  /** The source branch's name (without refs/heads/), in `sourceRepository`. */
  readonly sourceBranch: string;
  /** Where the source branch lives: this repository, or the fork (`forkRepository`). */
  readonly sourceRepository: 'base' | 'fork';
  /** The source branch's tip (the PR's head commit). */
  readonly head: string;
  /** The merge preview commit (main merged with the head); present whether or not the provider publishes a ref for it. */
  readonly merge: string;
  /** The refs the provider publishes for it in the base repository (empty for Bitbucket Cloud). */
  readonly refs: readonly string[];
}

/** The sample repository: the shape a context URL can point into. See SAMPLE for its names. */
export interface SampleRepository extends BareRepository {
  readonly provider: ProviderKind;
  readonly commits: {
    /** main's first commit (the lightweight tag v1.0). */
    readonly initial: string;
    /** main's tip (the annotated tag v2.0). */
    readonly main: string;
    readonly featureLoginForm: string;
    readonly release: string;
  };
  readonly pullRequests: readonly SamplePullRequest[];
}

/** The fork of the sample repository: the same history plus the fork PR's source branch. */
export interface ForkRepository extends BareRepository {
  readonly commits: { readonly main: string; readonly patch: string };
}

export interface LargeRepository extends BareRepository {
  /** Bytes of blob content (incompressible) across the history. */
  readonly bytes: number;
  readonly commits: number;
}

export interface DeepHistoryRepository extends BareRepository {
  readonly commits: number;
}

/**
 * The names in the sample repository (every provider's variant has them).
 *
 * The tree of main holds `release/2026.12/NOTES.md` while a branch is named
 * `release/2026.12`: a URL such as `…/tree/release/2026.12` is a folder on a
 * branch `release` (which does not exist) or the root of the branch
 * `release/2026.12`, and only the remote's ref list tells which
 * (issue 10 point 3: ambiguous refs resolved with ls-remote). Git cannot
 * hold a branch `release` and a branch `release/2026.12` at once (a ref is a
 * file, its prefix would be a folder), so the ambiguity is between a ref and
 * a path, as on the providers.
 */
export const SAMPLE = {
  defaultBranch: 'main',
  /** Branches, without refs/heads/. */
  branches: ['main', 'feature/login/form', 'release/2026.12'],
  /** Lightweight tag on main's first commit. */
  lightweightTag: 'v1.0',
  /** Annotated tag on main's tip. */
  annotatedTag: 'v2.0',
  /** Folders of main's tree (and of every branch). */
  folders: ['src/app', 'docs', 'release/2026.12'],
  /** A file only on feature/login/form. */
  featureFile: 'src/login/form.ts',
  /** A file only on release/2026.12. */
  releaseFile: 'CHANGELOG.md',
  /** The fork's branch that pull request 8 comes from. */
  forkBranch: 'patch-1',
  /** A file only on the fork's branch. */
  forkFile: 'CONTRIBUTING.md',
  /** Pull request 7: from feature/login/form of the same repository. Pull request 8: from the fork's patch-1. */
  pullRequests: { sameRepository: 7, fromFork: 8 },
} as const;

/**
 * The refs each provider publishes for a pull request of the base
 * repository (GIT-AND-DESKTOP.md §2): GitHub `refs/pull/N/head` (fork PRs
 * included) and `refs/pull/N/merge` ("only when mergeable": both PRs here
 * are); GitLab `refs/merge-requests/N/head`; Bitbucket Data Center
 * `refs/pull-requests/N/from` and `…/merge` ("may be absent": the fork PR
 * has none here); Bitbucket Cloud none (the source branch is fetched from
 * the source repository); Azure DevOps and Azure DevOps Server only
 * `refs/pull/N/merge` (no head ref: the source branch is fetched by name).
 */
export function pullRequestRefs(provider: ProviderKind, number: number, fromFork: boolean): string[] {
  switch (provider) {
    case 'github':
      return [`refs/pull/${number}/head`, `refs/pull/${number}/merge`];
    case 'gitlab':
      return [`refs/merge-requests/${number}/head`];
    case 'bitbucket-dc':
      return fromFork ? [`refs/pull-requests/${number}/from`] : [`refs/pull-requests/${number}/from`, `refs/pull-requests/${number}/merge`];
    case 'bitbucket-cloud':
      return [];
    case 'azure-devops':
    case 'azure-devops-server':
      return [`refs/pull/${number}/merge`];
  }
}

/**
 * Where each provider serves the sample repository and its fork: the URL
 * path shapes of SCM-PROTOCOLS §2.4 (GitHub `/<owner>/<repo>.git`), §3.4
 * (GitLab, nested groups), §4.4 (Bitbucket Cloud `/<workspace>/<repo>.git`,
 * Bitbucket Data Center `/scm/<PROJECT>/<repo>.git` and a personal
 * `/scm/~<user>/<repo>.git`) and §1.6 (Azure DevOps
 * `/<org>/<project>/_git/<repo>`, no `.git`; Azure DevOps Server under its
 * virtual directory and collection). The fork belongs to SIMULATED_USER
 * (`sam`); on Azure DevOps a fork is another repository of a project.
 */
export const SAMPLE_PATHS: Readonly<Record<ProviderKind, { readonly repository: string; readonly fork: string }>> = {
  github: { repository: '/octo/hello.git', fork: '/sam/hello.git' },
  gitlab: { repository: '/group/subgroup/hello.git', fork: '/sam/hello.git' },
  'bitbucket-cloud': { repository: '/workspace/hello.git', fork: '/sam/hello.git' },
  'bitbucket-dc': { repository: '/scm/PROJ/hello.git', fork: '/scm/~sam/hello.git' },
  'azure-devops': { repository: '/contoso/Fabrikam/_git/hello', fork: '/contoso/Fabrikam/_git/hello-fork' },
  'azure-devops-server': { repository: '/tfs/DefaultCollection/Fabrikam/_git/hello', fork: '/tfs/DefaultCollection/Fabrikam/_git/hello-fork' },
};

/** The git server's `repositories` for one provider: its sample repository and the fork at SAMPLE_PATHS. */
export async function sampleRepositories(provider: ProviderKind): Promise<Record<string, string>> {
  const [base, fork] = await Promise.all([sampleRepository(provider), forkRepository()]);
  return { [SAMPLE_PATHS[provider].repository]: base.dir, [SAMPLE_PATHS[provider].fork]: fork.dir };
}

// ---------------------------------------------------------------------------
// git and the cache

/** An environment for git that no user or system configuration reaches. */
function gitEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: os.tmpdir(),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: os.devNull,
    LC_ALL: 'C',
  };
}

/** Runs git in `cwd` with `input` on stdin (a Buffer, or chunks written with back-pressure); resolves its stdout. */
function git(cwd: string, args: readonly string[], input?: Buffer | AsyncIterable<Buffer>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`git ${args[0]} failed (${code}): ${Buffer.concat(err).toString('utf8').trim()}`));
    });
    child.stdin.on('error', () => undefined); // a failing git closes stdin early; its exit code says why
    if (input === undefined) child.stdin.end();
    else if (Buffer.isBuffer(input)) child.stdin.end(input);
    else
      void (async () => {
        for await (const chunk of input) {
          if (!child.stdin.write(chunk)) await new Promise((drained) => child.stdin.once('drain', drained));
        }
        child.stdin.end();
      })().catch(reject);
  });
}

let cacheRoot: string | null = null;
const cache = new Map<string, Promise<unknown>>();
const rootPrefix = 'paddock-git-repos-';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function root(): string {
  if (cacheRoot === null) {
    // Test runners end their workers without an 'exit' event, so each folder is named by its process and a
    // later process removes the folders of processes that are gone.
    for (const entry of fs.readdirSync(os.tmpdir())) {
      const pid = entry.startsWith(rootPrefix) ? Number(entry.slice(rootPrefix.length).split('-')[0]) : NaN;
      if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) fs.rmSync(path.join(os.tmpdir(), entry), { recursive: true, force: true });
    }
    cacheRoot = fs.mkdtempSync(path.join(os.tmpdir(), `${rootPrefix}${process.pid}-`));
    process.once('exit', removeBuiltRepositories);
  }
  return cacheRoot;
}

/**
 * Removes every repository built (and copied) in this process; the next
 * builder call builds again. For a test file's afterAll; otherwise they go
 * when the process exits, or, if it is killed, with the next process that
 * builds.
 */
export function removeBuiltRepositories(): void {
  if (cacheRoot !== null) fs.rmSync(cacheRoot, { recursive: true, force: true });
  cacheRoot = null;
  cache.clear();
}

/** Builds once per process and key; a failed build is forgotten so that the next call tries again. */
function cached<T>(key: string, build: (dir: string) => Promise<T>): Promise<T> {
  let pending = cache.get(key) as Promise<T> | undefined;
  if (pending === undefined) {
    const name = createHash('sha256').update(key).digest('hex').slice(0, 16);
    pending = build(path.join(root(), `${name}.git`));
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}

const refLine = z.string().regex(/^([0-9a-f]{40}) (\S+) ([0-9a-f]{40})?$/);

/** The repository's refs and peeled tags, read back from git (what a clone will see). */
async function readRefs(dir: string): Promise<Pick<BareRepository, 'refs' | 'peeled'>> {
  const listed = await git(dir, ['for-each-ref', '--format=%(objectname) %(refname) %(*objectname)']);
  const refs: Record<string, string> = {};
  const peeled: Record<string, string> = {};
  for (const line of listed.split('\n').filter((l) => l !== '')) {
    const [, object, name, target] = /^(\S+) (\S+) ?(\S*)$/.exec(refLine.parse(line))!;
    refs[name!] = object!;
    if (target) peeled[name!] = target;
  }
  return { refs, peeled };
}

async function initBare(dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await git(dir, ['init', '--quiet', '--bare', '--initial-branch=main']);
  // Shared by the tests of a process: no pushes (copyRepository makes a writable copy).
  await git(dir, ['config', 'http.receivepack', 'false']);
  // Without it upload-pack ignores --filter (git warns "filtering not recognized by server") and sends everything.
  await git(dir, ['config', 'uploadpack.allowFilter', 'true']);
}

/**
 * A writable copy of a built repository (in a new temporary folder, removed
 * with the others when the process exits) that accepts pushes over the git
 * server (`http.receivepack true`).
 */
export async function copyRepository<T extends BareRepository>(repository: T): Promise<T> {
  const dir = fs.mkdtempSync(path.join(root(), 'copy-'));
  const target = path.join(dir, path.basename(repository.dir));
  fs.cpSync(repository.dir, target, { recursive: true });
  await git(target, ['config', 'http.receivepack', 'true']);
  return { ...repository, dir: target };
}

// ---------------------------------------------------------------------------
// fast-import streams

const epoch = 1_767_225_600; // 2026-01-01T00:00:00Z: every date is this plus a step
const person = 'Sam Example <sam@example.test>';

/** Deterministic incompressible bytes: AES-128-CTR over zeros, keyed by `seed`. */
function randomBytesFor(seed: string, length: number): Buffer {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
  return cipher.update(Buffer.alloc(length));
}

/** Writes a fast-import stream (marks are numbers; `:n` references them). */
class FastImport {
  readonly chunks: Buffer[] = [];
  private nextMark = 1;
  private step = 0;

  private push(text: string | Buffer): void {
    this.chunks.push(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  }

  private data(content: string | Buffer): void {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    this.push(`data ${bytes.length}\n`);
    this.push(bytes);
    this.push('\n');
  }

  blob(content: string | Buffer): number {
    const mark = this.nextMark++;
    this.push(`blob\nmark :${mark}\n`);
    this.data(content);
    return mark;
  }

  /**
   * A commit on `ref` with `files` (path → blob mark or inline text) changed
   * on top of its first parent; null deletes the path.
   */
  commit(ref: string, message: string, parents: readonly number[], files: Readonly<Record<string, number | string | null>>): number {
    const mark = this.nextMark++;
    const when = `${epoch + 60 * this.step++} +0000`;
    this.push(`commit ${ref}\nmark :${mark}\nauthor ${person} ${when}\ncommitter ${person} ${when}\n`);
    this.data(message);
    const [first, ...others] = parents;
    if (first !== undefined) this.push(`from :${first}\n`);
    for (const other of others) this.push(`merge :${other}\n`);
    for (const [file, content] of Object.entries(files)) {
      if (content === null) this.push(`D ${file}\n`);
      else if (typeof content === 'number') this.push(`M 100644 :${content} ${file}\n`);
      else {
        this.push(`M 100644 inline ${file}\n`);
        this.data(content);
      }
    }
    this.push('\n');
    return mark;
  }

  /** A ref pointing at a commit (a branch, a lightweight tag, a pull-request ref). */
  ref(ref: string, commit: number): void {
    this.push(`reset ${ref}\nfrom :${commit}\n\n`);
  }

  /** An annotated tag. */
  tag(name: string, commit: number, message: string): void {
    this.push(`tag ${name}\nfrom :${commit}\ntagger ${person} ${epoch + 60 * this.step++} +0000\n`);
    this.data(message);
  }

  buffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** A scratch ref for commits that only pull-request refs (or nothing) should name; deleted after the import. */
const scratch = 'refs/paddock-build/scratch';

async function importInto(dir: string, stream: Buffer | AsyncIterable<Buffer>): Promise<void> {
  await git(dir, ['fast-import', '--quiet', '--done'], stream);
  await git(dir, ['update-ref', '-d', scratch]).catch(() => undefined);
}

/**
 * The sample history, shared by the base repository (per provider) and the
 * fork: marks of its commits.
 */
function sampleHistory(stream: FastImport, options: { fork: boolean }) {
  const readme = (version: string) => `# hello\n\nA sample repository for Paddock's tests (${version}).\n`;
  const initial = stream.commit('refs/heads/main', 'Initial commit\n', [], {
    'README.md': readme('first'),
    'src/app/index.ts': "export const greeting = 'hello';\n",
    'docs/guide.md': '# Guide\n\nHow to use hello.\n',
    'release/2026.12/NOTES.md': '# Notes for 2026.12\n\nA folder named like the release branch.\n',
  });
  const main = stream.commit('refs/heads/main', 'Describe the project\n', [initial], { 'README.md': readme('second') });
  stream.ref(`refs/tags/${SAMPLE.lightweightTag}`, initial);
  stream.tag(SAMPLE.annotatedTag, main, 'Version 2.0\n');
  const feature = stream.commit('refs/heads/feature/login/form', 'Add the login form\n', [main], { [SAMPLE.featureFile]: 'export function loginForm() {}\n' });
  const release = stream.commit('refs/heads/release/2026.12', 'Prepare release 2026.12\n', [main], {
    [SAMPLE.releaseFile]: '# Changelog\n\n## 2026.12\n',
    'release/2026.12/NOTES.md': '# Notes for 2026.12\n\nReleased.\n',
  });
  // The fork's commit: on the fork's branch, or (in the base) reachable only through pull-request refs.
  const patch = stream.commit(options.fork ? `refs/heads/${SAMPLE.forkBranch}` : scratch, 'Add contributing notes\n', [main], { [SAMPLE.forkFile]: '# Contributing\n\nPull requests welcome.\n' });
  return { initial, main, feature, release, patch };
}

/**
 * The sample repository as `provider` serves it: branches `main`,
 * `feature/login/form` and `release/2026.12`, tags `v1.0` (lightweight) and
 * `v2.0` (annotated), folders `src/app`, `docs` and `release/2026.12`, and
 * two pull requests with the provider's refs (`pullRequestRefs`): 7 from
 * `feature/login/form` and 8 from the fork's `patch-1` (`forkRepository`).
 * Its HEAD is main.
 */
export function sampleRepository(provider: ProviderKind): Promise<SampleRepository> {
  return cached(`sample:${provider}`, async (dir) => {
    await initBare(dir);
    const stream = new FastImport();
    const marks = sampleHistory(stream, { fork: false });
    const merges = {
      [SAMPLE.pullRequests.sameRepository]: stream.commit(scratch, `Merge pull request ${SAMPLE.pullRequests.sameRepository}\n`, [marks.main, marks.feature], { [SAMPLE.featureFile]: 'export function loginForm() {}\n' }),
      [SAMPLE.pullRequests.fromFork]: stream.commit(scratch, `Merge pull request ${SAMPLE.pullRequests.fromFork}\n`, [marks.main, marks.patch], { [SAMPLE.forkFile]: '# Contributing\n\nPull requests welcome.\n' }),
    };
    const heads = { [SAMPLE.pullRequests.sameRepository]: marks.feature, [SAMPLE.pullRequests.fromFork]: marks.patch };
    for (const number of [SAMPLE.pullRequests.sameRepository, SAMPLE.pullRequests.fromFork]) {
      for (const ref of pullRequestRefs(provider, number, number === SAMPLE.pullRequests.fromFork)) {
        stream.ref(ref, /\/(head|from)$/.test(ref) ? heads[number]! : merges[number]!);
      }
    }
    stream.chunks.push(Buffer.from('done\n'));
    // Merge commits are written even when no ref names them, so that their hashes are known: resolve them before the scratch ref goes.
    await git(dir, ['fast-import', '--quiet', '--done', `--export-marks=${dir}/marks`], stream.buffer());
    const exported = new Map(
      fs
        .readFileSync(`${dir}/marks`, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => {
          const [mark, sha] = line.split(' ');
          return [Number(mark!.slice(1)), sha!] as const;
        }),
    );
    fs.rmSync(`${dir}/marks`);
    await git(dir, ['update-ref', '-d', scratch]);
    // Objects only the scratch ref reached (a merge preview the provider does not publish) stay in the pack: a clone never sees them.
    const sha = (mark: number) => exported.get(mark)!;
    return {
      dir,
      ...(await readRefs(dir)),
      provider,
      commits: { initial: sha(marks.initial), main: sha(marks.main), featureLoginForm: sha(marks.feature), release: sha(marks.release) },
      pullRequests: [
        {
          number: SAMPLE.pullRequests.sameRepository,
          sourceBranch: 'feature/login/form',
          sourceRepository: 'base',
          head: sha(marks.feature),
          merge: sha(merges[SAMPLE.pullRequests.sameRepository]!),
          refs: pullRequestRefs(provider, SAMPLE.pullRequests.sameRepository, false),
        },
        {
          number: SAMPLE.pullRequests.fromFork,
          sourceBranch: SAMPLE.forkBranch,
          sourceRepository: 'fork',
          head: sha(marks.patch),
          merge: sha(merges[SAMPLE.pullRequests.fromFork]!),
          refs: pullRequestRefs(provider, SAMPLE.pullRequests.fromFork, true),
        },
      ],
    };
  });
}

/**
 * The fork of the sample repository (the same for every provider): main,
 * the other branches and tags, and `patch-1`, the source of pull request 8
 * (its tip is the sample's `pullRequests[1].head`). No pull-request refs.
 */
export function forkRepository(): Promise<ForkRepository> {
  return cached('fork', async (dir) => {
    await initBare(dir);
    const stream = new FastImport();
    sampleHistory(stream, { fork: true });
    stream.chunks.push(Buffer.from('done\n'));
    await importInto(dir, stream.buffer());
    const refs = await readRefs(dir);
    return { dir, ...refs, commits: { main: refs.refs['refs/heads/main']!, patch: refs.refs[`refs/heads/${SAMPLE.forkBranch}`]! } };
  });
}

/**
 * A repository for clone progress and Cancel: `bytes` of incompressible
 * blob content spread over `commits` commits on main (each adds one file
 * under data/), so a clone transfers about `bytes`. Tests: a few MB to
 * 20 MB; the benchmark: 50 MB.
 */
export function largeRepository(options: { readonly bytes: number; readonly commits?: number }): Promise<LargeRepository> {
  const commits = options.commits ?? 200;
  const bytes = options.bytes;
  if (!Number.isInteger(bytes) || bytes < commits) throw new Error('largeRepository: bytes must be an integer of at least one per commit');
  return cached(`large:${bytes}:${commits}`, async (dir) => {
    await initBare(dir);
    const per = Math.floor(bytes / commits);
    async function* stream(): AsyncGenerator<Buffer> {
      let parent: number | null = null;
      let step = 0;
      for (let index = 0; index < commits; index++) {
        const size = index === commits - 1 ? bytes - per * (commits - 1) : per;
        const content = randomBytesFor(`large:${bytes}:${commits}:${index}`, size);
        const blob = 2 * index + 1;
        const commit = 2 * index + 2;
        const when = `${epoch + 60 * step++} +0000`;
        const message = `Add data ${index}\n`;
        yield Buffer.from(`blob\nmark :${blob}\ndata ${content.length}\n`);
        yield content;
        yield Buffer.from(
          `\ncommit refs/heads/main\nmark :${commit}\nauthor ${person} ${when}\ncommitter ${person} ${when}\ndata ${message.length}\n${message}` +
            (parent === null ? '' : `from :${parent}\n`) +
            `M 100644 :${blob} data/${String(index).padStart(5, '0')}.bin\n\n`,
        );
        parent = commit;
      }
      yield Buffer.from('done\n');
    }
    await importInto(dir, stream());
    return { dir, ...(await readRefs(dir)), bytes, commits };
  });
}

/**
 * A repository with a long history for blobless-versus-full clones:
 * `commits` commits on main, each rewriting one of `files` text files with
 * `blobBytes` of new text (base64 of random bytes) that does not deltify
 * against the file's earlier versions and compresses only to about 3/4, so
 * a full clone fetches about `commits × blobBytes × 3/4` and a blobless one
 * (`--filter=blob:none`, served: `uploadpack.allowFilter` is on) about
 * `files × blobBytes × 3/4` plus commits and trees.
 */
export function deepHistoryRepository(options: { readonly commits: number; readonly files?: number; readonly blobBytes?: number }): Promise<DeepHistoryRepository> {
  const { commits } = options;
  const files = options.files ?? 10;
  const blobBytes = options.blobBytes ?? 1024;
  return cached(`deep:${commits}:${files}:${blobBytes}`, async (dir) => {
    await initBare(dir);
    const stream = new FastImport();
    let parent: number | null = null;
    for (let index = 0; index < commits; index++) {
      // base64 of random bytes: text, as source files are, and different in every version.
      const content = randomBytesFor(`deep:${commits}:${files}:${blobBytes}:${index}`, Math.ceil((blobBytes * 3) / 4))
        .toString('base64')
        .slice(0, blobBytes);
      const blob = stream.blob(`${content}\n`);
      parent = stream.commit('refs/heads/main', `Change ${index}\n`, parent === null ? [] : [parent], { [`src/file-${index % files}.txt`]: blob });
    }
    stream.chunks.push(Buffer.from('done\n'));
    await importInto(dir, stream.buffer());
    return { dir, ...(await readRefs(dir)), commits };
  });
}
