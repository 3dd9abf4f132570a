import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deepLinkFor } from '../../electron/common/deep-link';
import { createLogger } from '../../electron/core/logger';
import { startWebHost, type WebHost } from '../web-host/server';

// Issue 9, point 8: a paddock:// link handed over the way the operating system
// hands it to the app, through the web host's simulation of that hand-off (the
// same function the Electron main process calls). A malformed link is refused
// and a callback nobody is waiting for is ignored, each with one log line that
// carries no code, state or address.

const CODE = 'canary-oauth-code-5Xq2Lm8Rz';
const STATE = 'canary-oauth-state-9Vb4Nk1Tw';
const TOKEN_IN_URL = 'canary-url-token-3Hs7Pd0Yc';
const canaries = [CODE, STATE, TOKEN_IN_URL];

let host: WebHost;
const appLog: string[] = [];
const runnerLog: string[] = [];

beforeAll(async () => {
  const logger = createLogger({ name: 'paddock-web-host', destination: { write: (line: string) => void appLog.push(line) } });
  host = await startWebHost({ logger, onRunnerLog: (line) => runnerLog.push(line) });
});
afterAll(() => host?.close());

/** The app's log lines about links written while `run` ran, parsed (the runner starting may log meanwhile). */
async function linesDuring(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const from = appLog.length;
  await run();
  return appLog
    .slice(from)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => /deep link|OAuth callback/.test(String(line.msg)));
}

const fields = ({ msg, level, reason, source, length, action, stateLength }: Record<string, unknown>) =>
  Object.fromEntries(Object.entries({ msg, level, reason, source, length, action, stateLength }).filter(([, value]) => value !== undefined));

describe('deep links through the web host', () => {
  it('refuses a malformed link with one log line: the error code and the link’s length', async () => {
    const link = `paddock://oauth/callback?code=${CODE}&state=${STATE}&code=${CODE}`;
    let receipt;
    const lines = await linesDuring(async () => (receipt = await host.openDeepLink(link)));
    expect(receipt).toEqual({ status: 'refused', code: 'duplicate-parameter' });
    expect(lines.map(fields)).toEqual([{ msg: 'deep link refused', level: 40, reason: 'duplicate-parameter', source: 'web-host', length: link.length }]);
  });

  it('refuses a link for an action Paddock does not have', async () => {
    const link = `paddock://oauth/token?code=${CODE}&state=${STATE}`;
    const lines = await linesDuring(() => host.openDeepLink(link));
    expect(lines.map(fields)).toEqual([{ msg: 'deep link refused', level: 40, reason: 'unknown-action', source: 'web-host', length: link.length }]);
  });

  it('ignores a well-formed callback whose state belongs to no sign-in, with one log line and no state', async () => {
    let receipt;
    const lines = await linesDuring(async () => (receipt = await host.openDeepLink(deepLinkFor({ type: 'oauth-callback', state: STATE, code: CODE }))));
    expect(receipt).toEqual({ status: 'handed', outcome: { handled: false, reason: 'unknown-state' } });
    expect(lines.map(fields)).toEqual([{ msg: 'OAuth callback ignored', level: 40, reason: 'unknown-state', action: 'oauth-callback', stateLength: STATE.length }]);
  });

  it('ignores an error callback whose state belongs to no sign-in in the same way', async () => {
    const link = deepLinkFor({ type: 'oauth-callback-error', state: STATE, error: 'access_denied', description: 'The user denied access.' });
    let receipt;
    const lines = await linesDuring(async () => (receipt = await host.openDeepLink(link)));
    expect(receipt).toEqual({ status: 'handed', outcome: { handled: false, reason: 'unknown-state' } });
    expect(lines.map(fields)).toEqual([{ msg: 'OAuth callback ignored', level: 40, reason: 'unknown-state', action: 'oauth-callback-error', stateLength: STATE.length }]);
  });

  it('takes a second launch’s link from its command line (Windows), and refuses two', async () => {
    const link = deepLinkFor({ type: 'oauth-callback', state: STATE, code: CODE });
    expect(await host.openDeepLinkArgv(['C:\\Program Files\\Paddock\\Paddock.exe', '--allow-file-access-from-files', link])).toEqual({
      status: 'handed',
      outcome: { handled: false, reason: 'unknown-state' },
    });
    const lines = await linesDuring(() => host.openDeepLinkArgv(['/opt/Paddock/paddock', link, link]));
    expect(lines.map(fields)).toEqual([{ msg: 'deep link refused', level: 40, reason: 'several-links', source: 'web-host' }]);
    expect(await host.openDeepLinkArgv(['/opt/Paddock/paddock'])).toEqual({ status: 'none' });
  });

  it('keeps an open link as a request for the user to confirm, creating nothing, and does not log its address', async () => {
    const url = `https://user:${TOKEN_IN_URL}@github.com/owner/repo`;
    let receipt;
    const before = (await host.core.listEnvironments()).environments.length;
    const lines = await linesDuring(async () => (receipt = await host.openDeepLink(deepLinkFor({ type: 'open', url }))));
    expect(receipt).toEqual({ status: 'handed', outcome: { handled: true } });
    expect(lines).toEqual([]);
    const requests = await host.core.listEnvironmentRequests();
    expect(requests.map((r) => ({ url: r.url, source: r.source }))).toEqual([{ url, source: 'link' }]);
    expect((await host.core.listEnvironments()).environments.length).toBe(before);
    await host.core.resolveEnvironmentRequest({ id: requests[0]!.id });
  });

  it('checks what reaches handleDeepLink again rather than trust its type', async () => {
    const forged = { type: 'oauth-callback', state: STATE, code: `${CODE}\u0000`, extra: true } as unknown as Parameters<WebHost['core']['main']['handleDeepLink']>[0];
    let outcome;
    const lines = await linesDuring(async () => (outcome = await host.core.main.handleDeepLink(forged)));
    expect(outcome).toEqual({ handled: false, reason: 'invalid-action' });
    expect(lines.map(fields)).toEqual([{ msg: 'deep link ignored', level: 40, reason: 'invalid-action' }]);
  });

  it('leaves no code, state or address in the app’s or the runner’s log', () => {
    expect(appLog.length).toBeGreaterThan(0);
    for (const line of [...appLog, ...runnerLog]) {
      for (const canary of canaries) {
        expect(line).not.toContain(canary);
        expect(line).not.toContain(encodeURIComponent(canary));
      }
    }
  });
});
