import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnvironmentView } from '../../../electron/common/runner-api';
import { EnvironmentStore } from '../../../electron/runner/environments/store';

const ALICE = 'c_alice0123456789abcd';
const BOB = 'c_bob00123456789abcd';
let dir: string;
let store: EnvironmentStore;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-envstore-'));
  store = new EnvironmentStore(dir);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const environment = (id: string, over: Partial<EnvironmentView> = {}): EnvironmentView => ({
  id,
  url: 'https://github.com/octo/hello/tree/main',
  kind: 'github',
  host: 'https://github.com',
  organization: null,
  repository: 'octo/hello',
  cloneUrl: 'https://github.com/octo/hello.git',
  ref: { type: 'branch', name: 'main' },
  resolved: null,
  subPath: null,
  depth: 'full',
  tokenId: null,
  path: `/home/sam/Paddock/${id}`,
  state: 'creating',
  jobId: null,
  error: null,
  createdAt: '2026-12-02T10:00:00.000Z',
  updatedAt: '2026-12-02T10:00:00.000Z',
  ...over,
});

describe('EnvironmentStore', () => {
  it('keeps each workstation’s environments apart, newest first', () => {
    store.put(ALICE, environment('e_aaaaaaaaaaaaaaaa1'));
    store.put(ALICE, environment('e_aaaaaaaaaaaaaaaa2', { createdAt: '2026-12-02T11:00:00.000Z' }));
    store.put(BOB, environment('e_bbbbbbbbbbbbbbbb1'));
    expect(store.list(ALICE).map((e) => e.id)).toEqual(['e_aaaaaaaaaaaaaaaa2', 'e_aaaaaaaaaaaaaaaa1']);
    expect(store.list(BOB).map((e) => e.id)).toEqual(['e_bbbbbbbbbbbbbbbb1']);
    expect(store.get(BOB, 'e_aaaaaaaaaaaaaaaa1')).toBeUndefined();
    expect(store.all()).toHaveLength(3);
  });

  it('updates one environment, and says when it is gone', () => {
    store.put(ALICE, environment('e_aaaaaaaaaaaaaaaa1'));
    const ready = store.update(ALICE, 'e_aaaaaaaaaaaaaaaa1', (e) => ({ ...e, state: 'ready', updatedAt: '2026-12-02T10:05:00.000Z' }));
    expect(ready?.state).toBe('ready');
    expect(new EnvironmentStore(dir).get(ALICE, 'e_aaaaaaaaaaaaaaaa1')?.state).toBe('ready');
    expect(store.update(ALICE, 'e_zzzzzzzzzzzzzzzz9', (e) => e)).toBeUndefined();
  });

  it('refuses what is not an environment, and writes nothing then', () => {
    expect(() => store.put(ALICE, { ...environment('e_aaaaaaaaaaaaaaaa1'), state: 'unknown' as never })).toThrow();
    expect(fs.existsSync(path.join(dir, 'environments.json'))).toBe(false);
  });

  it('runs the caller’s check under the lock with the current list, and keeps nothing when it throws', () => {
    store.put(ALICE, environment('e_aaaaaaaaaaaaaaaa1'));
    expect(() =>
      store.put(ALICE, environment('e_aaaaaaaaaaaaaaaa2'), (current) => {
        if (current.some((e) => e.path === '/home/sam/Paddock/e_aaaaaaaaaaaaaaaa1')) throw new Error('folder taken');
      }),
    ).toThrow('folder taken');
    expect(store.list(ALICE).map((e) => e.id)).toEqual(['e_aaaaaaaaaaaaaaaa1']);
  });

  it('removes one environment, or all of a workstation’s', () => {
    store.put(ALICE, environment('e_aaaaaaaaaaaaaaaa1'));
    store.put(ALICE, environment('e_aaaaaaaaaaaaaaaa2'));
    expect(store.remove(ALICE, 'e_aaaaaaaaaaaaaaaa1')).toBe(true);
    expect(store.remove(ALICE, 'e_aaaaaaaaaaaaaaaa1')).toBe(false);
    expect(store.removeClient(ALICE).map((e) => e.id)).toEqual(['e_aaaaaaaaaaaaaaaa2']);
    expect(store.list(ALICE)).toEqual([]);
  });

  it('keeps no token in its file', () => {
    store.put(ALICE, environment('e_aaaaaaaaaaaaaaaa1', { tokenId: 't_0123456789abcdef' }));
    const text = fs.readFileSync(path.join(dir, 'environments.json'), 'utf8');
    expect(Object.keys(JSON.parse(text).clients[ALICE][0]).sort()).toEqual(Object.keys(environment('x')).sort());
    expect((fs.statSync(path.join(dir, 'environments.json')).mode & 0o777).toString(8)).toBe('600');
  });
});
