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
});
