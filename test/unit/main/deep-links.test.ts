import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeepLinkAction, DeepLinkOutcome } from '../../../electron/common/deep-link';
import type { Logger } from '../../../electron/core/logger';

vi.mock('electron', () => import('./electron-mock'));

const electron = await import('./electron-mock');
const { maxWaiting, setupDeepLinks } = await import('../../../electron/main/deep-links');
const { setupSingleInstance } = await import('../../../electron/main/single-instance');

const CODE = 'canary-code-M4vT8';
const STATE = 'canary-state-J2nR6';
const callback = `paddock://oauth/callback?code=${CODE}&state=${STATE}`;
const callbackAction: DeepLinkAction = { type: 'oauth-callback', state: STATE, code: CODE };

function recordingLogger() {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const logger: Logger = {
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
    error: (message, fields) => lines.push({ level: 'error', message, fields }),
  };
  return { logger, lines };
}

function fakeCore(outcome: DeepLinkOutcome = { handled: false, reason: 'unknown-state' }) {
  const handleDeepLink = vi.fn(async (_action: DeepLinkAction) => outcome);
  return { core: { main: { handleDeepLink } }, handleDeepLink };
}

/** Lets the promise chains the handlers started run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function openUrl(url: string): boolean {
  let prevented = false;
  electron.app.emit('open-url', { preventDefault: () => (prevented = true) }, url);
  return prevented;
}

describe('setupDeepLinks', () => {
  beforeEach(() => {
    electron.app.removeAllListeners('open-url');
    electron.app.removeAllListeners('second-instance');
  });

  it("registers 'open-url' at once (macOS sends the launch link before 'ready') and takes the link as handled", () => {
    setupDeepLinks(['/Applications/Paddock.app/Contents/MacOS/Paddock']);
    expect(electron.app.listenerCount('open-url')).toBe(1);
    expect(openUrl(callback)).toBe(true);
  });

  it('keeps links that arrive before the core, then hands them over in order: the cold start’s first', async () => {
    const links = setupDeepLinks(['C:\\Program Files\\Paddock\\Paddock.exe', '--allow-file-access-from-files', 'paddock://open?url=https%3A%2F%2Fgithub.com%2Fo%2Fr']);
    openUrl(callback);
    const { core, handleDeepLink } = fakeCore();
    const { logger } = recordingLogger();
    await settle();
    expect(handleDeepLink).not.toHaveBeenCalled();
    links.deliverTo(core, logger);
    await settle();
    expect(handleDeepLink.mock.calls.map(([action]) => action)).toEqual([{ type: 'open', url: 'https://github.com/o/r' }, callbackAction]);
  });

  it('hands a link to the core at once once it is there', async () => {
    const links = setupDeepLinks(['/opt/Paddock/paddock']);
    const { core, handleDeepLink } = fakeCore();
    links.deliverTo(core, recordingLogger().logger);
    openUrl(callback);
    await settle();
    expect(handleDeepLink).toHaveBeenCalledExactlyOnceWith(callbackAction);
  });

  it('refuses a malformed link with one log line: where it came from, the error code and its length, no value', async () => {
    const links = setupDeepLinks(['/opt/Paddock/paddock']);
    const { core, handleDeepLink } = fakeCore();
    const { logger, lines } = recordingLogger();
    links.deliverTo(core, logger);
    const bad = `${callback}&code=${CODE}`;
    openUrl(bad);
    await settle();
    expect(handleDeepLink).not.toHaveBeenCalled();
    expect(lines).toEqual([{ level: 'warn', message: 'deep link refused', fields: { source: 'open-url', reason: 'duplicate-parameter', length: bad.length } }]);
    expect(JSON.stringify(lines)).not.toMatch(/canary/);
  });

  it('ignores an ordinary launch without a log line, and refuses a command line with two links', async () => {
    const links = setupDeepLinks(['/opt/Paddock/paddock']);
    const { core, handleDeepLink } = fakeCore();
    const { logger, lines } = recordingLogger();
    links.deliverTo(core, logger);
    await settle();
    expect(lines).toEqual([]);
    links.receiveArgv(['/opt/Paddock/paddock', callback, 'paddock://open?url=x']);
    await settle();
    expect(handleDeepLink).not.toHaveBeenCalled();
    expect(lines).toEqual([{ level: 'warn', message: 'deep link refused', fields: { source: 'second-instance', reason: 'several-links' } }]);
  });

  it(`keeps at most ${maxWaiting} links while Paddock starts and says how many it dropped`, async () => {
    const links = setupDeepLinks(['/opt/Paddock/paddock']);
    for (let i = 0; i < maxWaiting + 4; i++) openUrl(`paddock://open?url=${i}`);
    const { core, handleDeepLink } = fakeCore();
    const { logger, lines } = recordingLogger();
    links.deliverTo(core, logger);
    await settle();
    // The cold start's argv counts as one of them (it had no link).
    expect(handleDeepLink).toHaveBeenCalledTimes(maxWaiting - 1);
    expect(handleDeepLink.mock.calls[0]?.[0]).toEqual({ type: 'open', url: '0' });
    expect(lines).toContainEqual({ level: 'warn', message: 'deep links dropped while Paddock started', fields: { count: 5 } });
  });

  it('logs a core that fails with the error’s name only (its message could quote the link)', async () => {
    const links = setupDeepLinks(['/opt/Paddock/paddock']);
    const handleDeepLink = vi.fn(async () => {
      throw new TypeError(`bad ${CODE}`);
    });
    const { logger, lines } = recordingLogger();
    links.deliverTo({ main: { handleDeepLink } }, logger);
    openUrl(callback);
    await settle();
    expect(lines).toEqual([{ level: 'error', message: 'deep link could not be handled', fields: { source: 'open-url', error: 'TypeError' } }]);
  });

  it.each<[string, string[]]>([
    ['Windows', ['C:\\Program Files\\Paddock\\Paddock.exe', '--allow-file-access-from-files', '--original-process-start-time=13380000000000000', callback]],
    ['Linux (xdg-open, Exec=… %U)', ['/opt/Paddock/paddock', callback]],
  ])("takes a second launch's link on %s through the single-instance lock, after showing the window", async (_os, argv) => {
    const links = setupDeepLinks(['/opt/Paddock/paddock']);
    const { core, handleDeepLink } = fakeCore();
    links.deliverTo(core, recordingLogger().logger);
    const order: string[] = [];
    handleDeepLink.mockImplementation(async () => {
      order.push('link');
      return { handled: false, reason: 'unknown-state' };
    });
    expect(setupSingleInstance(() => order.push('window'), links.receiveArgv)).toBe(true);
    electron.app.emit('second-instance', {}, argv, 'C:\\');
    await settle();
    expect(handleDeepLink).toHaveBeenCalledExactlyOnceWith(callbackAction);
    expect(order).toEqual(['window', 'link']);
  });
});

describe('setupDeepLinks on Windows (--protocol-launcher)', () => {
  beforeEach(() => {
    electron.app.removeAllListeners('open-url');
    electron.app.removeAllListeners('second-instance');
  });
  const exe = 'C:\\Program Files\\Paddock\\Paddock.exe';

  it('takes a second launch’s link only from a --protocol-launcher command line, passing over the rest', async () => {
    const links = setupDeepLinks([exe], { platform: 'win32' });
    const { core, handleDeepLink } = fakeCore();
    const { logger, lines } = recordingLogger();
    links.deliverTo(core, logger);
    links.receiveArgv([exe, '--allow-file-access-from-files', '--original-process-start-time=13380000000000000', '--protocol-launcher', '--', callback]);
    links.receiveArgv([exe, callback]);
    await settle();
    expect(handleDeepLink).toHaveBeenCalledExactlyOnceWith(callbackAction);
    expect(lines).toEqual([{ level: 'warn', message: 'deep link refused', fields: { source: 'second-instance', reason: 'link-without-protocol-launcher' } }]);
    expect(JSON.stringify(lines)).not.toMatch(/canary/);
  });

  it('keeps the command line’s `open <url>` without the switch', async () => {
    const links = setupDeepLinks([exe, 'open', 'https://github.com/o/r'], { platform: 'win32' });
    const { core, handleDeepLink } = fakeCore();
    links.deliverTo(core, recordingLogger().logger);
    await settle();
    expect(handleDeepLink).toHaveBeenCalledExactlyOnceWith({ type: 'open', url: 'https://github.com/o/r' }, 'command line');
  });
});

describe('links that arrive before the core', () => {
  beforeEach(() => {
    electron.app.removeAllListeners('open-url');
    electron.app.removeAllListeners('second-instance');
  });

  it('reach it once each, in the order they arrived, whichever way they came', async () => {
    const links = setupDeepLinks(['/opt/Paddock/paddock', 'paddock://open?url=first']);
    links.receiveArgv(['/opt/Paddock/paddock', 'paddock://open?url=second']);
    openUrl('paddock://open?url=third');
    links.receiveArgv(['/opt/Paddock/paddock', 'open', 'fourth']);
    const { core, handleDeepLink } = fakeCore();
    links.deliverTo(core, recordingLogger().logger);
    await settle();
    expect(handleDeepLink.mock.calls.map(([action]) => action)).toEqual([
      { type: 'open', url: 'first' },
      { type: 'open', url: 'second' },
      { type: 'open', url: 'third' },
      { type: 'open', url: 'fourth' },
    ]);
    // Nothing waits any more: a later link is the only one handed over.
    openUrl('paddock://open?url=fifth');
    await settle();
    expect(handleDeepLink).toHaveBeenCalledTimes(5);
  });

  it('shows the window for a macOS link once the core is there (a second launch shows it itself)', async () => {
    const onOpenUrl = vi.fn();
    const links = setupDeepLinks(['/Applications/Paddock.app/Contents/MacOS/Paddock'], { onOpenUrl, platform: 'darwin' });
    openUrl(callback);
    expect(onOpenUrl).not.toHaveBeenCalled();
    links.deliverTo(fakeCore().core, recordingLogger().logger);
    openUrl(callback);
    expect(onOpenUrl).toHaveBeenCalledOnce();
    links.receiveArgv(['/Applications/Paddock.app/Contents/MacOS/Paddock']);
    expect(onOpenUrl).toHaveBeenCalledOnce();
  });
});
