import { describe, expect, it, vi } from 'vitest';
import { PaddockError } from '../../../electron/common/errors';
import { createApiDispatcher } from '../../../electron/core/api/dispatcher';
import { defaultPreferences } from '../../../electron/core/store/schema';
import { createTestCore } from '../../helpers/core';

describe('api dispatcher', () => {
  it('calls the core with the validated argument', async () => {
    const { dispatcher } = createTestCore();
    expect(await dispatcher.call('updatePreferences', { theme: 'dark' })).toEqual({ ok: true, value: { ...defaultPreferences, theme: 'dark' } });
    expect(await dispatcher.call('getPreferences', null)).toEqual({ ok: true, value: { ...defaultPreferences, theme: 'dark' } });
    // JSON has no undefined: a method without input may arrive with none.
    expect(await dispatcher.call('getPreferences', undefined)).toEqual({ ok: true, value: { ...defaultPreferences, theme: 'dark' } });
  });

  it.each([
    ['a wrong enum value', { theme: 'purple' }, 'theme'],
    ['an unknown field', { theme: 'dark', evil: true }, '(value)'],
    ['a non-object', 'dark', '(value)'],
    ['null', null, '(value)'],
  ])('rejects %s at arrival with invalid-input', async (_name, input, path) => {
    const { core, dispatcher } = createTestCore();
    const spy = vi.spyOn(core, 'updatePreferences');
    const result = await dispatcher.call('updatePreferences', input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid-input');
    expect(result.error.issues?.[0]?.path).toBe(path);
    expect(spy).not.toHaveBeenCalled();
  });

  it('rejects input for a method that takes none', async () => {
    const { dispatcher } = createTestCore();
    const result = await dispatcher.call('listRunners', { sneaky: 1 });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it.each(['nope', '__proto__', 'constructor', 'toString', 42, null])('refuses the unknown method %s', async (method) => {
    const { dispatcher } = createTestCore();
    const result = await dispatcher.call(method, null);
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
  });

  it('passes PaddockErrors through and hides the text of unexpected errors', async () => {
    const { core, dispatcher } = createTestCore();
    expect(await dispatcher.call('dismissNotice', { id: 'missing' })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'That notice was already dismissed.' },
    });
    const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const failing = createApiDispatcher(
      { ...core, listRunners: async () => Promise.reject(new Error('token=canary-4f1e')) },
      logger,
    );
    const result = await failing.call('listRunners', null);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(result)).not.toContain('canary-4f1e');
    expect(logger.error).toHaveBeenCalled();
  });

  it('refuses a result that breaks its schema instead of passing it on', async () => {
    const { core } = createTestCore();
    const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const broken = createApiDispatcher({ ...core, getPreferences: async () => ({ theme: 'neon' }) as never }, logger);
    expect(await broken.call('getPreferences', null)).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('delivers events through their schema and refuses unknown events', async () => {
    const { dispatcher } = createTestCore();
    const listener = vi.fn();
    const unsubscribe = dispatcher.subscribe('preferencesChanged', listener);
    await dispatcher.call('updatePreferences', { theme: 'light' });
    expect(listener).toHaveBeenCalledWith({ ...defaultPreferences, theme: 'light' });
    unsubscribe();
    await dispatcher.call('updatePreferences', { theme: 'dark' });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(() => dispatcher.subscribe('secrets', () => {})).toThrow(PaddockError);
  });
});
