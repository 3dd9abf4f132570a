import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { describe, expect, it } from 'vitest';
import { defaultPreferences, STORE_SCHEMA_VERSION } from '../../../electron/core/store/schema';
import { openStore, StoreUnavailableError } from '../../../electron/core/store/store';

const createBackend = (options: object) => new Conf(options as never) as never;
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-store-'));

describe('store', () => {
  it('starts with defaults and the current schema version, and persists writes', () => {
    const directory = tempDir();
    const store = openStore({ directory, createBackend });
    expect(store.get('preferences')).toEqual(defaultPreferences);
    expect(store.get('preferences')).toMatchObject({ theme: 'system', startAtLogin: false, keepInTray: true, notifications: true });
    expect(store.get('schemaVersion')).toBe(STORE_SCHEMA_VERSION);
    expect(store.recovery).toBeUndefined();
    store.set('preferences', { ...defaultPreferences, theme: 'dark' });
    const again = openStore({ directory, createBackend });
    expect(again.get('preferences')).toEqual({ ...defaultPreferences, theme: 'dark' });
    expect(JSON.parse(fs.readFileSync(path.join(directory, 'paddock.json'), 'utf8')).preferences.theme).toBe('dark');
  });

  it('migrates a store written before schema versions existed', () => {
    const directory = tempDir();
    fs.writeFileSync(path.join(directory, 'paddock.json'), JSON.stringify({ preferences: { theme: 'light' }, runners: [], environments: [] }));
    const store = openStore({ directory, createBackend });
    expect(store.recovery).toBeUndefined();
    expect(store.get('schemaVersion')).toBe(STORE_SCHEMA_VERSION);
    expect(store.get('preferences')).toEqual({ ...defaultPreferences, theme: 'light' });
  });

  it('migrates a version 1 store: the placeholder environments list goes, the runner chosen per host starts empty', () => {
    const directory = tempDir();
    fs.writeFileSync(
      path.join(directory, 'paddock.json'),
      JSON.stringify({ schemaVersion: 1, preferences: { theme: 'dark' }, runners: [], localRunnerRemoved: false, environments: [], __internal__: { migrations: { version: '1.0.0' } } }),
    );
    const store = openStore({ directory, createBackend });
    expect(store.recovery).toBeUndefined();
    expect(store.get('schemaVersion')).toBe(STORE_SCHEMA_VERSION);
    expect(store.get('runnerForHost')).toEqual({});
    expect(store.get('preferences')).toEqual({ ...defaultPreferences, theme: 'dark' });
    expect(JSON.parse(fs.readFileSync(path.join(directory, 'paddock.json'), 'utf8'))).not.toHaveProperty('environments');
  });

  it('refuses to write a value that breaks the schema', () => {
    const store = openStore({ directory: tempDir(), createBackend });
    expect(() => store.set('preferences', { theme: 'neon' } as never)).toThrow();
    // A runner on a server is always pinned: no record without a fingerprint.
    const remote = { id: 'r1', name: 'R', kind: 'remote', url: 'https://r.example.com', publicKey: null, runnerUid: null, clientId: 'c_1', createdAt: 'x', policyId: null };
    expect(() => store.set('runners', [{ ...remote, spki: null }] as never)).toThrow();
    expect(() => store.set('runners', [{ ...remote, spki: '' }] as never)).toThrow();
    store.set('runners', [{ ...remote, spki: `sha256/${'A'.repeat(43)}=` }] as never);
    expect(store.get('runners')).toHaveLength(1);
    expect(store.get('preferences')).toEqual(defaultPreferences);
  });

  it('migrates a version 2 store: the theme the user chose stays, the desktop preferences get their defaults', () => {
    const directory = tempDir();
    fs.writeFileSync(
      path.join(directory, 'paddock.json'),
      JSON.stringify({ schemaVersion: 2, preferences: { theme: 'light' }, runners: [], localRunnerRemoved: false, runnerForHost: { 'https://github.com': 'local' }, __internal__: { migrations: { version: '2.0.0' } } }),
    );
    const store = openStore({ directory, createBackend });
    expect(store.recovery).toBeUndefined();
    expect(store.get('schemaVersion')).toBe(3);
    expect(store.get('preferences')).toEqual({ ...defaultPreferences, theme: 'light' });
    expect(store.get('runnerForHost')).toEqual({ 'https://github.com': 'local' });
  });

  it.each([
    ['not JSON', '{"preferences": {"theme": "dark"', 'not valid JSON'],
    ['against the schema', JSON.stringify({ schemaVersion: 1, preferences: { theme: 'neon' }, runners: [], environments: [] }), 'settings file'],
  ])('moves a file that is %s aside with a clear notice, never emptying it', (_name, content, phrase) => {
    const directory = tempDir();
    const file = path.join(directory, 'paddock.json');
    fs.writeFileSync(file, content);
    const store = openStore({ directory, createBackend, now: () => new Date('2026-11-24T10:00:00Z') });
    const aside = path.join(directory, 'paddock.unreadable-2026-11-24T10-00-00-000Z.json');
    expect(fs.readFileSync(aside, 'utf8')).toBe(content);
    expect(store.get('preferences')).toEqual(defaultPreferences);
    expect(store.recovery?.level).toBe('warning');
    expect(store.recovery?.message).toContain(aside);
    expect(store.recovery?.message).toContain(phrase);
    // The notice must not quote the file's content (it could hold anything).
    expect(store.recovery?.message).not.toContain('"preferences"');
  });

  it('says what to do when the broken file cannot be moved aside', () => {
    const directory = tempDir();
    fs.writeFileSync(path.join(directory, 'paddock.json'), '{');
    // A directory in the way makes the rename fail, even for root.
    fs.mkdirSync(path.join(directory, 'paddock.unreadable-2026-11-24T10-00-00-000Z.json', 'occupied'), { recursive: true });
    const open = () => openStore({ directory, createBackend, now: () => new Date('2026-11-24T10:00:00Z') });
    expect(open).toThrow(StoreUnavailableError);
    expect(open).toThrow(/cannot move it aside.*move it yourself/);
    expect(fs.readFileSync(path.join(directory, 'paddock.json'), 'utf8')).toBe('{');
  });

  it('says where it failed when the store cannot be created at all', () => {
    const directory = tempDir();
    fs.writeFileSync(path.join(directory, 'not-a-dir'), '');
    expect(() => openStore({ directory: path.join(directory, 'not-a-dir'), createBackend })).toThrow(/cannot create its settings file/);
  });
});
