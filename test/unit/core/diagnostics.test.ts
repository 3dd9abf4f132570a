import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiDispatcher } from '../../../electron/core/api/dispatcher';
import { createCore, type PaddockCore } from '../../../electron/core/app-core';
import { memoryCredentialStore } from '../../../electron/core/credentials';
import { noDesktop, protocolHandlerNote, type DesktopIntegration, type ProtocolHandlerState } from '../../../electron/core/desktop';
import { buildDiagnosticsZip, diagnosticsFileName, DiagnosticsJobs, readLogTail, type DiagnosticsContents } from '../../../electron/core/diagnostics';
import { createLogger, logFileDestination, silentLogger } from '../../../electron/core/logger';
import { openStore } from '../../../electron/core/store/store';

const canary = 'canary-d1a9-4e7b-8c2f-diagnostics';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paddock-diag-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const unzip = (data: Uint8Array) => Object.fromEntries(Object.entries(unzipSync(data)).map(([name, bytes]) => [name, strFromU8(bytes)]));

function contents(overrides: Partial<DiagnosticsContents> = {}): DiagnosticsContents {
  return {
    createdAt: new Date('2026-12-03T08:00:00Z'),
    app: { version: '0.1.0' },
    settings: { ok: true, value: { preferences: { theme: 'dark' } } },
    states: { runners: [{ id: 'local' }], notices: [] },
    logs: [
      { name: 'main.log', tail: { text: '{"msg":"hello"}\n', truncated: false } },
      { name: 'runner.log', tail: null },
    ],
    ...overrides,
  };
}

describe('buildDiagnosticsZip', () => {
  it('makes a well-formed zip: the README first, app, settings, each state, each log that exists', () => {
    const zip = buildDiagnosticsZip(contents());
    expect(zip.entries).toEqual(['README.txt', 'app.json', 'settings.json', 'state/runners.json', 'state/notices.json', 'logs/main.log']);
    const files = unzip(zip.data);
    expect(Object.keys(files)).toEqual(zip.entries);
    expect(JSON.parse(files['settings.json']!)).toEqual({ preferences: { theme: 'dark' } });
    expect(JSON.parse(files['state/runners.json']!)).toEqual([{ id: 'local' }]);
    expect(files['logs/main.log']).toBe('{"msg":"hello"}\n');
    // The README names every file, and says what never is inside and which log was not there.
    for (const entry of zip.entries.slice(1)) expect(files['README.txt']).toContain(entry);
    expect(files['README.txt']).toMatch(/What is never inside: tokens/);
    expect(files['README.txt']).toContain('runner.log was not there');
  });

  it('redacts every file on the way in, also logs the loggers should have redacted', () => {
    const zip = buildDiagnosticsZip(
      contents({
        app: { proxy: `http://sam:${canary}@proxy.test` },
        settings: { ok: true, value: { preferences: { network: { proxy: `http://sam:${canary}@proxy.test:3128` } }, apiToken: canary } },
        states: { hosts: [{ host: 'https://ghe.test', accounts: [{ account: 'sam', token: canary }] }] },
        logs: [{ name: 'runner.log', tail: { text: `${JSON.stringify({ msg: 'oops', personalAccessToken: canary })}\nBearer ${canary}\n`, truncated: true } }],
      }),
    );
    const files = unzip(zip.data);
    for (const [name, text] of Object.entries(files)) expect(text, name).not.toContain(canary);
    // The structure stays: what was redacted says so where it was.
    expect(JSON.parse(files['settings.json']!)).toEqual({ preferences: { network: { proxy: 'http://[redacted]@proxy.test:3128' } }, apiToken: '[redacted]' });
    expect(files['README.txt']).toContain('last 5 MB');
  });

  it('leaves out a settings file that cannot be read, and says why', () => {
    const files = unzip(buildDiagnosticsZip(contents({ settings: { ok: false, reason: 'it is not valid JSON.' } })).data);
    expect(files['settings.json']).toBeUndefined();
    expect(files['README.txt']).toContain('The settings file is left out: it is not valid JSON.');
  });

  it('names the file after the local date', () => {
    expect(diagnosticsFileName(new Date(2026, 11, 3, 23, 59))).toBe('paddock-diagnostics-2026-12-03.zip');
  });
});

describe('readLogTail', () => {
  it('reads a small log whole, the last bytes of a big one from its first whole line, and null for none', async () => {
    const file = path.join(dir, 'main.log');
    const lines = Array.from({ length: 100 }, (_, i) => `{"line":${i}}`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    expect(await readLogTail(file)).toEqual({ text: `${lines.join('\n')}\n`, truncated: false });
    const tail = await readLogTail(file, 50);
    expect(tail?.truncated).toBe(true);
    expect(tail!.text.length).toBeLessThanOrEqual(50);
    // Whole lines only, the last ones of the file.
    expect(tail!.text.split('\n').filter(Boolean).every((line) => lines.includes(line))).toBe(true);
    expect(tail!.text.endsWith(`${lines.at(-1)}\n`)).toBe(true);
    expect(await readLogTail(path.join(dir, 'absent.log'))).toBeNull();
  });
});

describe('DiagnosticsJobs', () => {
  it('keeps each job’s kind, state and how it ended, the latest ones only', () => {
    const jobs = new DiagnosticsJobs(2);
    const job = (id: string) => ({ id, kind: 'token-check', state: 'running' as const, startedAt: '2026-12-03T08:00:00.000Z', endedAt: null, progress: [], dropped: 0, outcome: null });
    jobs.record({ runnerId: 'local', jobId: 'j_aaaaaaaaaaaaaaaa', event: { type: 'state', job: job('j_aaaaaaaaaaaaaaaa') } });
    jobs.record({ runnerId: 'local', jobId: 'j_aaaaaaaaaaaaaaaa', event: { type: 'end', jobId: 'j_aaaaaaaaaaaaaaaa', outcome: { state: 'failed', error: { code: 'timeout', message: 'No answer.' } } } });
    jobs.record({ runnerId: 'local', jobId: 'j_bbbbbbbbbbbbbbbb', event: { type: 'state', job: job('j_bbbbbbbbbbbbbbbb') } });
    expect(jobs.list()).toMatchObject([
      { jobId: 'j_aaaaaaaaaaaaaaaa', kind: 'token-check', state: 'failed', error: { code: 'timeout' } },
      { jobId: 'j_bbbbbbbbbbbbbbbb', state: 'running', error: null },
    ]);
    jobs.record({ runnerId: 'local', jobId: 'j_cccccccccccccccc', event: { type: 'state', job: job('j_cccccccccccccccc') } });
    expect(jobs.list().map((j) => j.jobId)).toEqual(['j_bbbbbbbbbbbbbbbb', 'j_cccccccccccccccc']);
  });
});

describe('core: getDiagnostics and collectDiagnostics', () => {
  let core: PaddockCore;
  const saved: { suggestedName: string; data: Uint8Array }[] = [];
  let answer: 'save' | 'cancel' = 'save';

  function start(desktop: DesktopIntegration) {
    const logsDir = path.join(dir, 'logs');
    fs.mkdirSync(logsDir, { recursive: true });
    const mainLog = path.join(logsDir, 'main.log');
    const store = openStore({ directory: dir, createBackend: (options) => new Conf(options) as never });
    // A proxy with a password in the settings: it must not reach the zip.
    store.set('preferences', { ...store.get('preferences'), network: { proxy: `http://sam:${canary}@proxy.test:3128`, noProxy: null, caFile: null } });
    const logger = createLogger({ name: 'test', destination: logFileDestination(mainLog) });
    logger.warn('a line with a secret field', { token: canary, host: 'https://ghe.test' });
    core = createCore({
      store,
      appInfo: { name: 'Paddock', version: '0.1.0', shell: 'web', platform: 'linux', simulation: null },
      logger: silentLogger,
      credentials: memoryCredentialStore(),
      localRunner: null,
      desktop,
      logs: { folder: logsDir, files: [{ name: 'main.log', path: mainLog }, { name: 'runner.log', path: path.join(logsDir, 'runner.log') }] },
    });
    return { store, logsDir, dispatcher: createApiDispatcher(core, silentLogger) };
  }
  afterEach(async () => {
    await core?.dispose();
    saved.length = 0;
    answer = 'save';
  });

  const desktop: DesktopIntegration = {
    ...noDesktop,
    customSchemeHandled: () => true,
    runtimeVersions: () => ({ electron: '40.0.0', chrome: '140.0.0.0', node: '24.1.0' }),
    saveDiagnostics: async (zip) => {
      if (answer === 'cancel') return { saved: false };
      saved.push(zip);
      return { saved: true, path: path.join(dir, zip.suggestedName) };
    },
  };

  it('says the versions, the paddock:// handler, the tray as not known, and the paths, through the schema', async () => {
    const { store, logsDir, dispatcher } = start(desktop);
    const result = await dispatcher.call('getDiagnostics', null);
    expect(result).toEqual({
      ok: true,
      value: {
        app: { name: 'Paddock', version: '0.1.0', shell: 'web', platform: 'linux', arch: process.arch },
        runtime: { electron: '40.0.0', chrome: '140.0.0.0', node: '24.1.0' },
        runners: [],
        protocolHandler: { isDefault: true, note: null },
        tray: 'unknown',
        paths: { settingsFile: store.path, logsFolder: logsDir, localRunnerData: null },
        canCollect: true,
      },
    });
  });

  it('says how this installation registers as the paddock:// handler, where the desktop knows it', async () => {
    const appImage: DesktopIntegration = {
      ...desktop,
      customSchemeHandled: () => true,
      protocolHandler: () => ({ isDefault: true, registration: 'appimage-user-file', desktopFile: '/home/ada/.local/share/applications/dev.paddock.Paddock.desktop' }),
    };
    const result = (await start(appImage).dispatcher.call('getDiagnostics', null)) as { ok: true; value: { protocolHandler: unknown } };
    expect(result.value.protocolHandler).toEqual({
      isDefault: true,
      note: 'Registered by /home/ada/.local/share/applications/dev.paddock.Paddock.desktop, which Paddock writes for this AppImage at every start.',
    });
    // A desktop whose OS cannot be asked: the core's own answer.
    const broken: DesktopIntegration = {
      ...desktop,
      customSchemeHandled: () => false,
      protocolHandler: () => {
        throw new Error('no registry');
      },
    };
    const fallback = (await start(broken).dispatcher.call('getDiagnostics', null)) as { ok: true; value: { protocolHandler: unknown } };
    expect(fallback.value.protocolHandler).toEqual({ isDefault: false, note: null });
  });

  it.each<[ProtocolHandlerState, string | null]>([
    [{ isDefault: true, registration: 'linux-desktop-file', desktopFile: '/usr/share/applications/dev.paddock.Paddock.desktop' }, 'Registered by /usr/share/applications/dev.paddock.Paddock.desktop.'],
    [{ isDefault: false, registration: 'appimage-user-file', desktopFile: null }, 'This AppImage has no entry in your applications folder yet: Paddock writes it at its next start.'],
    [{ isDefault: true, registration: 'windows-registry', desktopFile: null }, 'Registered for your Windows account at every start.'],
    [{ isDefault: true, registration: 'macos-info-plist', desktopFile: null }, null],
    [{ isDefault: false, registration: 'macos-info-plist', desktopFile: null }, expect.stringMatching(/^Another app is set to open paddock:\/\/ links/) as unknown as string],
    [{ isDefault: true, registration: 'development', desktopFile: null }, expect.stringMatching(/development build/) as unknown as string],
    [{ isDefault: false, registration: 'none', desktopFile: null }, null],
  ])('the note for %o', (state, note) => {
    expect(protocolHandlerNote(state)).toEqual(note);
  });

  it('reads the versions of what runs it and says it cannot collect where the desktop cannot save', async () => {
    const { dispatcher } = start(noDesktop);
    const result = (await dispatcher.call('getDiagnostics', null)) as { ok: true; value: { runtime: unknown; protocolHandler: unknown; canCollect: boolean } };
    expect(result.value.runtime).toEqual({ electron: null, chrome: null, node: process.versions.node });
    expect(result.value.protocolHandler).toEqual({ isDefault: false, note: null });
    expect(result.value.canCollect).toBe(false);
    expect(await dispatcher.call('collectDiagnostics', null)).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringMatching(/cannot save files here/) } });
  });

  it('saves a zip with the logs, the redacted settings and the states, and no secret in any file', async () => {
    const { dispatcher } = start(desktop);
    const result = (await dispatcher.call('collectDiagnostics', null)) as { ok: true; value: { saved: true; path: string; bytes: number; entries: string[] } };
    expect(result.ok).toBe(true);
    expect(saved).toHaveLength(1);
    expect(saved[0]!.suggestedName).toMatch(/^paddock-diagnostics-\d{4}-\d{2}-\d{2}\.zip$/);
    expect(result.value).toEqual({ saved: true, path: path.join(dir, saved[0]!.suggestedName), bytes: saved[0]!.data.byteLength, entries: expect.any(Array) });
    const files = unzip(saved[0]!.data);
    expect(Object.keys(files)).toEqual(result.value.entries);
    expect(result.value.entries).toEqual([
      'README.txt',
      'app.json',
      'settings.json',
      'state/runners.json',
      'state/hosts.json',
      'state/jobs.json',
      'state/environments.json',
      'state/notices.json',
      'logs/main.log',
    ]);
    // The log line is there, its secret is not; the settings keep their shape.
    expect(files['logs/main.log']).toContain('a line with a secret field');
    expect(JSON.parse(files['settings.json']!).preferences.network.proxy).toBe('http://[redacted]@proxy.test:3128');
    expect(JSON.parse(files['app.json']!)).toMatchObject({ app: { version: '0.1.0' }, protocolHandler: { isDefault: true }, apiVersion: 1 });
    expect(JSON.parse(files['state/environments.json']!)).toEqual({ environments: [], unavailable: [] });
    for (const [name, text] of Object.entries(files)) expect(text, name).not.toContain(canary);
  });

  it('answers not saved when the user cancels the save dialog', async () => {
    const { dispatcher } = start(desktop);
    answer = 'cancel';
    expect(await dispatcher.call('collectDiagnostics', null)).toEqual({ ok: true, value: { saved: false } });
  });
});
