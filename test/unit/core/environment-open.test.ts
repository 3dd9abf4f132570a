import nodeFs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PaddockError } from '../../../electron/common/errors';
import type { EnvironmentView } from '../../../electron/common/runner-api';
import { folderToOpen } from '../../../electron/core/environment-open';

const local = { kind: 'local' as const, name: 'Local runner' };
const server = { kind: 'remote' as const, name: 'Build server' };

const environment = (overrides: Partial<EnvironmentView> = {}): EnvironmentView => ({
  id: 'e_0123456789abcdef',
  url: 'https://github.com/octo/hello/tree/main/docs',
  kind: 'github',
  host: 'https://github.com',
  organization: null,
  repository: 'octo/hello',
  cloneUrl: 'https://github.com/octo/hello.git',
  ref: null,
  resolved: null,
  subPath: null,
  depth: 'full',
  tokenId: null,
  path: '/home/alice/Paddock/hello',
  state: 'ready',
  jobId: null,
  error: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  ...overrides,
});

/** A disk without links: every path is its own real path. */
const noLinks = async (file: string) => file;

/** Folders that are there, and which were asked about. */
function folders(...present: string[]) {
  const asked: string[] = [];
  return { asked, isFolder: async (folder: string) => (asked.push(folder), present.includes(folder)) };
}

async function refusal(promise: Promise<unknown>): Promise<PaddockError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PaddockError);
  return error as PaddockError;
}

describe('folderToOpen', () => {
  it('answers the working copy of a ready local environment', async () => {
    const fs = folders('/home/alice/Paddock/hello');
    expect(await folderToOpen(local, environment(), fs.isFolder, path.posix)).toBe('/home/alice/Paddock/hello');
  });

  it('answers the sub-folder the URL pointed at', async () => {
    const fs = folders('/home/alice/Paddock/hello/docs/guide');
    expect(await folderToOpen(local, environment({ subPath: 'docs/guide' }), fs.isFolder, path.posix, noLinks)).toBe('/home/alice/Paddock/hello/docs/guide');
    expect(fs.asked).toEqual(['/home/alice/Paddock/hello/docs/guide']);
  });

  it('works with Windows folders', async () => {
    const fs = folders('C:\\Users\\alice\\Paddock\\hello\\docs');
    expect(await folderToOpen(local, environment({ path: 'C:\\Users\\alice\\Paddock\\hello', subPath: 'docs' }), fs.isFolder, path.win32, noLinks)).toBe('C:\\Users\\alice\\Paddock\\hello\\docs');
  });

  it('refuses a server runner’s environment, pointing at ssh, without looking for any folder', async () => {
    const fs = folders('/home/alice/Paddock/hello');
    const error = await refusal(folderToOpen(server, environment(), fs.isFolder, path.posix));
    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain('Build server');
    expect(error.message).toContain('ssh');
    expect(fs.asked).toEqual([]);
  });

  it('refuses one the runner no longer has', async () => {
    const error = await refusal(folderToOpen(local, undefined, folders().isFolder, path.posix));
    expect(error.code).toBe('not-found');
  });

  it('refuses one that is not ready, saying what to do', async () => {
    const fs = folders('/home/alice/Paddock/hello');
    const creating = await refusal(folderToOpen(local, environment({ state: 'creating' }), fs.isFolder, path.posix));
    expect([creating.code, creating.message]).toEqual(['conflict', 'octo/hello cannot be opened yet: it is still being cloned. Open it once it is ready.']);
    const failed = await refusal(folderToOpen(local, environment({ state: 'failed' }), fs.isFolder, path.posix));
    expect(failed.message).toBe('octo/hello cannot be opened yet: its clone failed. Retry it first.');
    const cancelled = await refusal(folderToOpen(local, environment({ state: 'cancelled' }), fs.isFolder, path.posix));
    expect(cancelled.message).toBe('octo/hello cannot be opened yet: its clone was cancelled. Retry it first.');
    expect(fs.asked).toEqual([]);
  });

  it('refuses a folder that is gone, saying to create it again', async () => {
    const error = await refusal(folderToOpen(local, environment(), folders().isFolder, path.posix));
    expect(error.code).toBe('not-found');
    expect(error.message).toBe(
      'The folder /home/alice/Paddock/hello of octo/hello is not there any more: it was moved or deleted outside Paddock. Delete this environment and create it again from its URL.',
    );
  });

  it('never opens a sub-path that leaves the working copy', async () => {
    for (const subPath of ['../other', '../../etc', '/etc']) {
      const fs = folders('/home/alice/Paddock/other', '/home/alice/etc', '/etc');
      const error = await refusal(folderToOpen(local, environment({ subPath }), fs.isFolder, path.posix));
      expect(error.code, subPath).toBe('internal');
      expect(fs.asked, subPath).toEqual([]);
    }
    // A sibling whose name starts with the working copy's is outside it too.
    const error = await refusal(folderToOpen(local, environment({ subPath: '../hello-2' }), folders('/home/alice/Paddock/hello-2').isFolder, path.posix));
    expect(error.code).toBe('internal');
  });
});

describe('folderToOpen on a real disk', () => {
  const made: string[] = [];
  afterAll(() => {
    for (const folder of made) nodeFs.rmSync(folder, { recursive: true, force: true });
  });
  const isFolder = async (folder: string) => nodeFs.promises.stat(folder).then((s) => s.isDirectory(), () => false);

  /** A working copy in a temp folder, with `docs/guide` in it and a folder `secret` beside it. */
  function workingCopy() {
    const base = nodeFs.mkdtempSync(path.join(os.tmpdir(), 'paddock-open-'));
    made.push(base);
    const root = path.join(base, 'hello');
    nodeFs.mkdirSync(path.join(root, 'docs', 'guide'), { recursive: true });
    nodeFs.mkdirSync(path.join(base, 'secret'));
    return { base, root };
  }

  it('opens a sub-folder, and one reached by a link that stays inside', async () => {
    const { root } = workingCopy();
    nodeFs.symlinkSync(path.join('docs', 'guide'), path.join(root, 'manual'));
    expect(await folderToOpen(local, environment({ path: root, subPath: 'docs/guide' }), isFolder)).toBe(path.join(root, 'docs', 'guide'));
    expect(await folderToOpen(local, environment({ path: root, subPath: 'manual' }), isFolder)).toBe(path.join(root, 'manual'));
  });

  it('refuses a sub-folder that is a link out of the working copy, or leads through one', async () => {
    const { base, root } = workingCopy();
    // What a repository can commit: `docs -> ../../..` and the like.
    nodeFs.symlinkSync(path.relative(root, base), path.join(root, 'up'));
    nodeFs.symlinkSync(path.join('..', 'secret'), path.join(root, 'secret'));
    nodeFs.symlinkSync(root + '-2', path.join(root, 'sibling'));
    nodeFs.mkdirSync(root + '-2');
    for (const subPath of ['up', 'up/secret', 'secret', 'sibling']) {
      const error = await refusal(folderToOpen(local, environment({ path: root, subPath }), isFolder));
      expect(error.code, subPath).toBe('invalid-input');
      expect(error.message, subPath).toBe(`The folder ${subPath} of octo/hello is a link to a place outside its working copy, so Paddock does not open it. If you did not expect that, delete this environment.`);
    }
  });

  it('opens a working copy that is itself reached through a link, as the user set it up', async () => {
    const { base, root } = workingCopy();
    const linked = path.join(base, 'linked');
    nodeFs.symlinkSync(root, linked);
    expect(await folderToOpen(local, environment({ path: linked, subPath: 'docs' }), isFolder)).toBe(path.join(linked, 'docs'));
    expect(await folderToOpen(local, environment({ path: linked }), isFolder)).toBe(linked);
  });
});
