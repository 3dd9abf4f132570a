import { describe, expect, it, vi } from 'vitest';
import { createTestCore } from '../../helpers/core';
import { UiActionQueue } from '../../../electron/core/ui-actions';

describe('UiActionQueue', () => {
  it('gives each action once, oldest first, and says how many wait', () => {
    const onWaiting = vi.fn();
    const queue = new UiActionQueue(onWaiting);
    queue.push({ type: 'show-screen', screen: 'settings' });
    queue.push({ type: 'show-environment', runnerId: 'local', id: 'e_1' });
    expect(onWaiting.mock.calls).toEqual([[1], [2]]);
    expect(queue.take()).toEqual([
      { type: 'show-screen', screen: 'settings' },
      { type: 'show-environment', runnerId: 'local', id: 'e_1' },
    ]);
    expect(queue.take()).toEqual([]);
  });

  it('counts the same action twice in a row once, and keeps only the newest when too many wait', () => {
    const queue = new UiActionQueue(() => undefined, 3);
    const connect = { type: 'connect', runnerId: 'local', host: 'https://github.com', organization: null } as const;
    queue.push(connect);
    queue.push(connect);
    expect(queue.take()).toEqual([connect]);
    for (const screen of ['runners', 'environments', 'accounts', 'settings'] as const) queue.push({ type: 'show-screen', screen });
    expect(queue.take().map((action) => (action.type === 'show-screen' ? action.screen : null))).toEqual(['environments', 'accounts', 'settings']);
  });
});

describe('core: requestUi and takeUiActions', () => {
  it('keeps what the main process asked for until the window takes it, and tells the window', async () => {
    const { core, dispatcher } = createTestCore();
    const waiting = vi.fn();
    dispatcher.subscribe('uiActionsWaiting', waiting);
    core.main.requestUi({ type: 'show-screen', screen: 'accounts' });
    expect(waiting).toHaveBeenCalledWith({ count: 1 });
    expect(await dispatcher.call('takeUiActions', null)).toEqual({ ok: true, value: [{ type: 'show-screen', screen: 'accounts' }] });
    expect(await dispatcher.call('takeUiActions', null)).toEqual({ ok: true, value: [] });
  });
});
