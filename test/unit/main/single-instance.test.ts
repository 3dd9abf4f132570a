import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock'));

const electron = await import('./electron-mock');
const { setupSingleInstance } = await import('../../../electron/main/single-instance');

describe('setupSingleInstance', () => {
  beforeEach(() => {
    electron.app.quit.mockReset();
    electron.app.removeAllListeners('second-instance');
  });

  it('quits when another instance holds the lock', () => {
    electron.app.requestSingleInstanceLock.mockReturnValueOnce(false);
    const onSecond = vi.fn();
    expect(setupSingleInstance(onSecond)).toBe(false);
    expect(electron.app.quit).toHaveBeenCalled();
    expect(electron.app.listenerCount('second-instance')).toBe(0);
  });

  it("keeps the lock and hands a second launch's argv to the running app", () => {
    const onSecond = vi.fn();
    expect(setupSingleInstance(onSecond)).toBe(true);
    expect(electron.app.quit).not.toHaveBeenCalled();
    electron.app.emit('second-instance', {}, ['paddock', 'paddock://open?url=x'], '/home/user');
    expect(onSecond).toHaveBeenCalledWith(['paddock', 'paddock://open?url=x'], '/home/user');
  });

  it('hands the same argv on to look for a link, after the window was shown', () => {
    const calls: string[] = [];
    const onArgv = vi.fn(() => calls.push('argv'));
    expect(setupSingleInstance(() => calls.push('window'), onArgv)).toBe(true);
    electron.app.emit('second-instance', {}, ['paddock', '--allow-file-access-from-files', 'paddock://open?url=x'], '/home/user');
    expect(onArgv).toHaveBeenCalledWith(['paddock', '--allow-file-access-from-files', 'paddock://open?url=x']);
    expect(calls).toEqual(['window', 'argv']);
  });
});
