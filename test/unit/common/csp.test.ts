import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../electron/common/csp';

describe('contentSecurityPolicy', () => {
  it('allows nothing by default and only the app itself for scripts', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe|\*|data:.*script/);
  });

  it('adds extra connect sources only to connect-src', () => {
    const csp = contentSecurityPolicy(['ws://127.0.0.1:4000']);
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:4000");
    expect(csp.match(/ws:\/\//g)).toHaveLength(1);
  });
});
