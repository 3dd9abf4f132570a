import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PaddockError } from '../../../electron/common/errors';
import type { TrayActionResult, TrayState } from '../../../electron/core/tray';
import { silentLogger, type Logger } from '../../../electron/core/logger';
import { createTestCore } from '../../helpers/core';

vi.mock('electron', () => import('./electron-mock'));

const electron = await import('./electron-mock');
const { setupTray, trayImage } = await import('../../../electron/main/tray');
const { trayIconPngs } = await import('../../../electron/main/tray-icons');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function state(overrides: Partial<TrayState> = {}): TrayState {
  return { overall: 'ok', runners: [{ id: 'local', name: 'Local runner', state: 'online' }], connections: [], jobs: [], environments: [], failedEnvironments: 0, ...overrides };
}

/** The core's main surface for the tray: a state the test changes, and the actions it was asked to perform. */
function fakeCore(initial: TrayState = state()) {
  let current = initial;
  const listeners = new Set<(s: TrayState) => void>();
  const performed: { action: unknown; context: unknown }[] = [];
  let answer: () => Promise<TrayActionResult> = async () => 'done';
  const dropped: string[] = [];
  return {
    performed,
    dropped,
    answerWith(next: () => Promise<TrayActionResult>) {
      answer = next;
    },
    change(next: TrayState) {
      current = next;
      for (const listener of listeners) listener(next);
    },
    listeners: () => listeners.size,
    main: {
      trayState: () => current,
      onTrayStateChanged: (listener: (s: TrayState) => void) => {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
      performTrayAction: async (action: unknown, context?: unknown) => {
        performed.push({ action, context });
        return answer();
      },
      environmentFromTrayDrop: (text: string) => {
        dropped.push(text);
        return text.startsWith('https://github.com/');
      },
    },
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

type Item = Record<string, unknown> & { label?: string; submenu?: Item[]; click?: () => void };

function items(): Item[] {
  const tray = electron.Tray.created.at(-1)!;
  return (tray.contextMenu?.template ?? []) as Item[];
}

function find(list: Item[], label: string): Item | undefined {
  for (const item of list) {
    if (item.label === label) return item;
    const inner = item.submenu ? find(item.submenu, label) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

async function setup(core: ReturnType<typeof fakeCore>, more: { platform?: NodeJS.Platform; canShow?: boolean; logger?: Logger } = {}) {
  const showWindow = vi.fn();
  const quit = vi.fn();
  const handle = setupTray({ core, showWindow, quit, logger: more.logger ?? silentLogger, platform: more.platform ?? 'linux', ...(more.canShow === undefined ? {} : { canShow: more.canShow }) });
  // The clipboard answers asynchronously: the menu is built again once it has.
  await flush();
  return { handle, showWindow, quit };
}

beforeEach(() => {
  electron.Tray.created.length = 0;
  electron.clipboard.text = '';
  electron.clipboard.readText.mockClear();
  electron.Menu.buildFromTemplate.mockClear();
});

describe('setupTray', () => {
  it('makes exactly one tray with the state’s image, its menu and its words', async () => {
    const core = fakeCore();
    await setup(core);
    expect(electron.Tray.created).toHaveLength(1);
    const tray = electron.Tray.created[0]!;
    const image = tray.image as InstanceType<typeof electron.FakeNativeImage>;
    expect(image.representations.map((r) => [r.scaleFactor, r.buffer.toString('base64')])).toEqual([
      [1, trayIconPngs.ok.x1],
      [2, trayIconPngs.ok.x2],
    ]);
    expect(image.template).toBe(false);
    expect(items().map((item) => item.label ?? item.type)).toEqual([
      'Paddock is running',
      'separator',
      'Runners',
      'Local runner: online',
      'separator',
      'Accounts',
      'No hosts to connect to yet',
      'separator',
      'Recent environments',
      'No environments yet',
      'separator',
      'New environment from clipboard',
      'Open Paddock',
      'separator',
      'Quit Paddock',
    ]);
    // Status rows are disabled and do nothing.
    expect(find(items(), 'Local runner: online')).toEqual({ type: 'normal', label: 'Local runner: online', enabled: false });
    expect(tray.toolTip).toBe('Paddock: Paddock is running');
  });

  it('makes none where no tray can show', async () => {
    const core = fakeCore();
    const { handle } = await setup(core, { canShow: false });
    expect(handle).toBeNull();
    expect(electron.Tray.created).toHaveLength(0);
    expect(core.listeners()).toBe(0);
  });

  it('builds the whole menu again on every change, with the new state’s image', async () => {
    const core = fakeCore();
    await setup(core);
    const tray = electron.Tray.created[0]!;
    const builds = electron.Menu.buildFromTemplate.mock.calls.length;
    core.change(state({ overall: 'busy', jobs: [{ runnerId: 'local', jobId: 'j_0123456789abcdefgh', kind: 'environment-clone', subject: 'octo/hello', percent: 42 }] }));
    await flush();
    expect(electron.Menu.buildFromTemplate.mock.calls.length).toBe(builds + 1);
    // The status line says it too; the item under Running holds Cancel.
    expect(items().find((i) => i.label === 'Cloning octo/hello: 42%' && i.submenu)?.submenu?.map((i) => i.label)).toEqual(['Cancel']);
    expect((tray.image as InstanceType<typeof electron.FakeNativeImage>).representations[0]!.buffer.toString('base64')).toBe(trayIconPngs.busy.x1);
    core.change(state({ overall: 'attention', runners: [{ id: 'local', name: 'Local runner', state: 'failed' }] }));
    await flush();
    expect((tray.image as InstanceType<typeof electron.FakeNativeImage>).representations[0]!.buffer.toString('base64')).toBe(trayIconPngs.attention.x1);
    expect(tray.toolTip).toBe('Paddock: Local runner failed');
    expect(electron.Tray.created).toHaveLength(1);
  });

  it('performs a chosen item’s action and shows the window or quits as the core says', async () => {
    const core = fakeCore(state({ connections: [{ runnerId: 'local', runnerName: 'Local runner', host: 'https://github.com', kind: 'github', organization: null, state: 'none', account: null, accounts: 0, canConnect: true }] }));
    const { showWindow, quit } = await setup(core);
    core.answerWith(async () => 'show-window');
    find(items(), 'Log in…')!.click!();
    await flush();
    expect(core.performed.at(-1)).toEqual({ action: { type: 'connect', runnerId: 'local', host: 'https://github.com', organization: null }, context: { clipboardText: null } });
    expect(showWindow).toHaveBeenCalledTimes(1);
    core.answerWith(async () => 'quit');
    find(items(), 'Quit Paddock')!.click!();
    await flush();
    expect(quit).toHaveBeenCalledTimes(1);
  });

  it('logs a refused action by its kind and code only, and builds the menu again', async () => {
    const logger = { ...silentLogger, info: vi.fn(), warn: vi.fn() } as unknown as Logger;
    const core = fakeCore();
    await setup(core, { logger });
    core.answerWith(async () => {
      throw new PaddockError('not-found', 'The folder /home/CANARY-user/secret is not there any more.');
    });
    const builds = electron.Menu.buildFromTemplate.mock.calls.length;
    find(items(), 'Open Paddock')!.click!();
    await flush();
    expect(logger.info).toHaveBeenCalledWith('tray action not performed', { action: 'open-window', code: 'not-found' });
    expect(JSON.stringify((logger.info as ReturnType<typeof vi.fn>).mock.calls)).not.toContain('CANARY');
    expect(electron.Menu.buildFromTemplate.mock.calls.length).toBe(builds + 1);
  });

  it('offers New environment from clipboard only with a repository URL there, and hands over the text read when chosen', async () => {
    electron.clipboard.text = 'https://github.com/octo/hello/pull/8';
    const core = fakeCore();
    await setup(core);
    expect(find(items(), 'New environment from clipboard')?.enabled).toBe(true);
    electron.clipboard.text = 'https://github.com/octo/other';
    find(items(), 'New environment from clipboard')!.click!();
    await flush();
    expect(core.performed.at(-1)).toEqual({ action: { type: 'new-environment-from-clipboard' }, context: { clipboardText: 'https://github.com/octo/other' } });
    electron.clipboard.text = 'groceries: milk';
    core.change(state());
    await flush();
    expect(find(items(), 'New environment from clipboard')?.enabled).toBe(false);
  });

  it('on Linux reads the clipboard only when the state changes (no click events to rely on there)', async () => {
    const core = fakeCore();
    await setup(core, { platform: 'linux' });
    const tray = electron.Tray.created[0]!;
    expect(tray.listenerCount('click') + tray.listenerCount('right-click') + tray.listenerCount('drop-text')).toBe(0);
    const reads = electron.clipboard.readText.mock.calls.length;
    core.change(state({ runners: [] }));
    await flush();
    expect(electron.clipboard.readText.mock.calls.length).toBe(reads + 1);
  });

  it('on Windows and macOS reads the clipboard again when the icon is clicked, and a left click on Windows opens the menu', async () => {
    electron.clipboard.text = '';
    const core = fakeCore();
    await setup(core, { platform: 'win32' });
    const tray = electron.Tray.created[0]!;
    expect(find(items(), 'New environment from clipboard')?.enabled).toBe(false);
    electron.clipboard.text = 'https://github.com/octo/hello';
    tray.emit('right-click');
    await flush();
    await flush();
    expect(find(items(), 'New environment from clipboard')?.enabled).toBe(true);
    tray.emit('click');
    await flush();
    await flush();
    expect(tray.popUps).toBe(1);
    expect(tray.listenerCount('drop-text')).toBe(0);
  });

  it('on macOS uses template images and takes a link dropped on the icon as an environment request', async () => {
    const core = fakeCore();
    const { showWindow } = await setup(core, { platform: 'darwin' });
    const tray = electron.Tray.created[0]!;
    const image = tray.image as InstanceType<typeof electron.FakeNativeImage>;
    expect(image.template).toBe(true);
    expect(image.representations.map((r) => r.buffer.toString('base64'))).toEqual([trayIconPngs.okTemplate.x1, trayIconPngs.okTemplate.x2]);
    tray.emit('drop-text', {}, 'not a link');
    expect(showWindow).not.toHaveBeenCalled();
    tray.emit('drop-text', {}, 'https://github.com/octo/hello');
    expect(core.dropped).toEqual(['not a link', 'https://github.com/octo/hello']);
    expect(showWindow).toHaveBeenCalledTimes(1);
    tray.emit('click');
    await flush();
    await flush();
    expect(tray.popUps).toBe(0);
  });

  it('stops listening and removes the icon when destroyed', async () => {
    const core = fakeCore();
    const { handle } = await setup(core);
    handle!.destroy();
    expect(electron.Tray.created[0]!.destroyed).toBe(true);
    expect(core.listeners()).toBe(0);
  });

  it('with a real core: a link dropped on the icon waits for the user to confirm it in the window', async () => {
    const { core } = createTestCore();
    const showWindow = vi.fn();
    setupTray({ core, showWindow, quit: vi.fn(), logger: silentLogger, platform: 'darwin' });
    electron.Tray.created[0]!.emit('drop-text', {}, 'https://gitlab.com/group/project/-/merge_requests/3');
    expect(showWindow).toHaveBeenCalledTimes(1);
    expect((await core.listEnvironmentRequests()).map((r) => [r.url, r.source])).toEqual([['https://gitlab.com/group/project/-/merge_requests/3', 'tray drop']]);
    await core.dispose();
  });
});

describe('tray images', () => {
  /** A PNG's width and height, from its IHDR chunk. */
  const size = (png: Buffer) => [png.readUInt32BE(16), png.readUInt32BE(20)];

  it('are the PNGs in build/icons/tray, at 16 px and 32 px, for every state', () => {
    for (const name of ['ok', 'attention', 'busy', 'okTemplate', 'attentionTemplate', 'busyTemplate'] as const) {
      const x1 = Buffer.from(trayIconPngs[name].x1, 'base64');
      const x2 = Buffer.from(trayIconPngs[name].x2, 'base64');
      expect(x1.equals(fs.readFileSync(path.join(root, `build/icons/tray/${name}.png`)))).toBe(true);
      expect(x2.equals(fs.readFileSync(path.join(root, `build/icons/tray/${name}@2x.png`)))).toBe(true);
      expect(size(x1)).toEqual([16, 16]);
      expect(size(x2)).toEqual([32, 32]);
    }
  });

  it('differ per state', () => {
    const all = (['ok', 'attention', 'busy'] as const).map((overall) => (trayImage(overall, 'linux') as unknown as InstanceType<typeof electron.FakeNativeImage>).representations[0]!.buffer.toString('base64'));
    expect(new Set(all).size).toBe(3);
  });
});
