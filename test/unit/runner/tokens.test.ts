import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountNameOf, tokenEntry, tokenIdOf, TokenStore, type StoredToken } from '../../../electron/runner/tokens';
import { Vault } from '../../../electron/runner/vault';

const token = (over: Partial<StoredToken> = {}): StoredToken => ({
  host: 'https://gitlab.example.test',
  organization: null,
  method: 'oauth',
  token: 'access-secret',
  refreshToken: 'refresh-secret',
  account: 'sam',
  obtainedAt: '2026-01-01T00:00:00.000Z',
  expiresAt: null,
  scopes: ['read_repository'],
  rejected: false,
  ...over,
});

let dir: string;
let vault: Vault;
let store: TokenStore;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-tokens-'));
  vault = new Vault(path.join(dir, 'vault'), new Uint8Array(32).fill(7));
  store = new TokenStore(vault, () => new Date('2026-01-01T00:00:00.000Z'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('account names', () => {
  it('keeps 1 to 200 characters without control or format characters or line and paragraph separators', () => {
    for (const name of ['sam', 'sam@example.test', 'Sam Example', 'Zoë Ünïcode 山田', 'x'.repeat(200)]) expect(accountNameOf(name)).toBe(name);
    for (const name of ['', 'x'.repeat(201), 'sam\n', 'sam\u0000', 'sam\u007f', 'sam\u0085', 'sam\u202e', 'sam\u200b', 'sam\u00ad', 'sam\u2028', 'sam\u2029', 42, null]) {
      expect(accountNameOf(name), JSON.stringify(name)).toBeNull();
    }
  });

  it('a new token is stored only with such a name (or none)', () => {
    expect(store.put('c_alice', token({ account: 'x'.repeat(200) })).account).toHaveLength(200);
    expect(store.put('c_alice', token({ account: null })).account).toBeNull();
    for (const account of ['x'.repeat(201), 'sam\u202eevil', 'sam\r\nhost=evil']) expect(() => store.put('c_alice', token({ account }))).toThrow();
    expect(store.stored('c_alice').map((t) => t.account?.length ?? null)).toEqual(expect.arrayContaining([200, null]));
    expect(store.stored('c_alice')).toHaveLength(2);
  });

  it('a token stored before the bound still loads, keeps its id, is shown cut to 200 characters and can be written back', () => {
    const old = { ...token({ account: 'y'.repeat(300) }), chosenAt: 1 };
    vault.write('c_alice', tokenEntry(old), new TextEncoder().encode(JSON.stringify(old)));
    const id = tokenIdOf(old);
    expect(store.get('c_alice', id)).toEqual(old);
    expect(store.list('c_alice')).toEqual([expect.objectContaining({ id, account: 'y'.repeat(200), inUse: true })]);
    store.update('c_alice', { ...old, token: 'access-2' });
    expect(store.get('c_alice', id)).toMatchObject({ token: 'access-2', account: 'y'.repeat(300) });
    expect(store.use('c_alice', id)).toMatchObject({ account: 'y'.repeat(300) });
    expect(store.stored('c_alice')).toHaveLength(1);
  });
});
