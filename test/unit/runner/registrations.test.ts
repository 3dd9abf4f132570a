import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAllowedHost } from '../../../electron/runner/api';
import { parseLifetime } from '../../../electron/runner/cli';
import { RegistrationBook, RegistrationError, registrationTokenExpiry, sha256Hex, tokenIdOf } from '../../../electron/runner/registrations';
import { Vault } from '../../../electron/runner/vault';

const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-book-'));

describe('RegistrationBook', () => {
  it('makes 256-bit tokens with the expiry inside and stores only their hash', () => {
    const data = dir();
    let now = new Date('2026-11-24T12:00:00Z');
    const book = new RegistrationBook(data, () => now);
    const { token, expiresAt } = book.create(24 * 3600_000);
    expect(token).toMatch(/^prt1_[A-Za-z0-9_-]{54}$/);
    expect(registrationTokenExpiry(token)?.toISOString()).toBe(expiresAt.toISOString());
    const text = fs.readFileSync(path.join(data, 'registrations.json'), 'utf8');
    expect(text).not.toContain(token);
    expect(text).toContain(sha256Hex(token));
    expect(book.hashForChallenge(tokenIdOf(token))).toBe(sha256Hex(token));

    now = new Date('2026-11-25T12:00:01Z');
    expect(() => book.register(token, 'late')).toThrow(expect.objectContaining({ code: 'token-expired' }));
    expect(() => book.hashForChallenge(tokenIdOf(token))).toThrow(RegistrationError);
  });

  it('uses a token once, and authenticates each client by its own token', () => {
    const book = new RegistrationBook(dir());
    const a = book.register(book.create(3600_000).token, 'a');
    const { token } = book.create(3600_000);
    const b = book.register(token, 'b');
    expect(() => book.register(token, 'c')).toThrow(expect.objectContaining({ code: 'token-used' }));
    expect(book.authenticate(a.apiToken)?.clientId).toBe(a.clientId);
    expect(book.authenticate(b.apiToken)?.clientId).toBe(b.clientId);
    expect(book.authenticate('prk_nope')).toBeNull();
    book.removeClient(a.clientId);
    expect(book.authenticate(a.apiToken)).toBeNull();
    expect(() => book.register('prt1_unknown', 'x')).toThrow(expect.objectContaining({ code: 'unauthorized' }));
  });
});

describe('parseLifetime', () => {
  it.each([
    ['24h', 24 * 3600_000],
    ['30m', 30 * 60_000],
    ['1h', 3600_000],
  ])('%s', (value, ms) => expect(parseLifetime(value)).toBe(ms));
  it.each(['25h', '0m', '2d', '1.5h', '', 'h'])('refuses %s', (value) => expect(() => parseLifetime(value)).toThrow(/--expires/));
});

describe('isAllowedHost', () => {
  const names = ['localhost', 'runner.example.com'];
  it.each(['localhost', 'localhost:443', 'runner.example.com:8443', 'RUNNER.example.com', '127.0.0.1:1', '[::1]:8443', '10.0.0.5'])('accepts %s', (host) =>
    expect(isAllowedHost(host, names)).toBe(true),
  );
  it.each([undefined, '', 'evil.example', 'runner.example.com.evil.example', 'localhost.evil', 'a b'])('refuses %s', (host) =>
    expect(isAllowedHost(host, names)).toBe(false),
  );
});

describe('Vault', () => {
  it('encrypts per client and refuses another key', () => {
    const root = dir();
    const key = new Uint8Array(32).fill(1);
    const vault = new Vault(root, key);
    vault.write('c_alice', 'token', new TextEncoder().encode('canary-secret-1'));
    const file = path.join(root, 'c_alice', 'token.sealed');
    expect(fs.readFileSync(file).toString('latin1')).not.toContain('canary-secret-1');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(new TextDecoder().decode(vault.read('c_alice', 'token')!)).toBe('canary-secret-1');
    expect(vault.read('c_bob', 'token')).toBeNull();
    expect(() => new Vault(root, new Uint8Array(32).fill(2)).read('c_alice', 'token')).toThrow(/does not open/);
    expect(() => vault.write('../escape', 'x', new Uint8Array())).toThrow();
    vault.deleteClient('c_alice');
    expect(vault.list('c_alice')).toEqual([]);
  });
});

describe('roles in the registration book', () => {
  it('gives a workstation the role of its token, user by default', () => {
    const book = new RegistrationBook(dir());
    const admin = book.register(book.create(3600_000, 'admin').token, 'admin-ws');
    const user = book.register(book.create(3600_000).token, 'user-ws');
    expect([admin.role, user.role]).toEqual(['admin', 'user']);
    expect(book.authenticate(admin.apiToken)?.role).toBe('admin');
    expect(book.authenticate(user.apiToken)?.role).toBe('user');
    expect(book.outstandingByRole()).toEqual({ admin: 0, user: 0 });
  });

  it('reads files from before roles: registered workstations stay admins, an unused old token gives the least (user)', () => {
    const data = dir();
    const book = new RegistrationBook(data);
    const old = book.register(book.create(3600_000, 'admin').token, 'old-ws');
    const { token } = book.create(3600_000, 'admin');
    for (const [file, list] of [['clients.json', 'clients'], ['registrations.json', 'registrations']] as const) {
      const json = JSON.parse(fs.readFileSync(path.join(data, file), 'utf8')) as Record<string, Record<string, unknown>[]>;
      for (const entry of json[list]!) delete entry.role;
      fs.writeFileSync(path.join(data, file), JSON.stringify(json));
    }
    const again = new RegistrationBook(data);
    expect(again.authenticate(old.apiToken)?.role).toBe('admin');
    expect(again.outstandingByRole()).toEqual({ admin: 0, user: 1 });
    expect(again.register(token, 'new-ws').role).toBe('user');
  });
});

describe('clients kept in memory', () => {
  it('notices a change made by another process: a removed workstation is refused at once', () => {
    const data = dir();
    const serving = new RegistrationBook(data);
    const { apiToken, clientId } = serving.register(serving.create(3600_000).token, 'ws');
    expect(serving.authenticate(apiToken)?.clientId).toBe(clientId);
    new RegistrationBook(data).removeClient(clientId);
    expect(serving.authenticate(apiToken)).toBeNull();
    // And one registered elsewhere is accepted without a restart.
    const other = new RegistrationBook(data);
    const added = other.register(other.create(3600_000).token, 'ws-2');
    expect(serving.authenticate(added.apiToken)?.clientId).toBe(added.clientId);
  });
});
