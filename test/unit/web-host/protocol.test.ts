import { describe, expect, it } from 'vitest';
import { serverMessageSchema } from '../../web-host/protocol';

// The web host's "open in the system browser" message: the page opens only what passes this.
describe('the open-external bridge message', () => {
  it('carries an http(s) address', () => {
    for (const url of ['https://github.com/login/oauth/authorize?state=x', 'http://127.0.0.1:4567/login/oauth/authorize?state=x']) {
      expect(serverMessageSchema.parse({ type: 'open-external', url })).toEqual({ type: 'open-external', url });
    }
  });

  it('refuses any other scheme and anything extra', () => {
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'paddock://oauth/callback?code=a&state=b', 'data:text/html,hi', 'not a url', '']) {
      expect(serverMessageSchema.safeParse({ type: 'open-external', url }).success, url).toBe(false);
    }
    expect(serverMessageSchema.safeParse({ type: 'open-external', url: 'https://github.com', target: '_self' }).success).toBe(false);
    expect(serverMessageSchema.safeParse({ type: 'open-external', url: `https://github.com/${'a'.repeat(9000)}` }).success).toBe(false);
  });
});

// "Bring the window to the front" (a notification was clicked): nothing to carry, nothing extra let through.
describe('the show-window bridge message', () => {
  it('is only its type', () => {
    expect(serverMessageSchema.parse({ type: 'show-window' })).toEqual({ type: 'show-window' });
    expect(serverMessageSchema.safeParse({ type: 'show-window', url: 'https://example.test' }).success).toBe(false);
  });
});
