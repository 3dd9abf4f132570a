// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { guardUnload, holdNavigation, navigationHeld } from '../../../renderer/src/leave-guard';

describe('guardUnload', () => {
  let release: (() => void) | null = null;
  let unguard: (() => void) | null = null;
  afterEach(() => {
    release?.();
    unguard?.();
    release = unguard = null;
  });

  const unload = () => {
    const event = new Event('beforeunload', { cancelable: true }) as BeforeUnloadEvent;
    window.dispatchEvent(event);
    return event;
  };

  it('lets the window unload while no form holds unsaved input', () => {
    unguard = guardUnload();
    expect(navigationHeld()).toBe(false);
    expect(unload().defaultPrevented).toBe(false);
  });

  it('refuses to unload while a form holds unsaved input, and no longer once it released', () => {
    unguard = guardUnload();
    release = holdNavigation(() => undefined);
    expect(navigationHeld()).toBe(true);
    expect(unload().defaultPrevented).toBe(true);
    release();
    expect(unload().defaultPrevented).toBe(false);
  });

  it('stops listening once removed', () => {
    guardUnload()();
    release = holdNavigation(() => undefined);
    expect(unload().defaultPrevented).toBe(false);
  });
});
