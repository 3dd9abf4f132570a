import { afterEach, describe, expect, it, vi } from 'vitest';
import { environmentRequestSchema, type EnvironmentRequest } from '../../../electron/common/api';
import { deepLinkFor } from '../../../electron/common/deep-link';
import { receiveDeepLink } from '../../../electron/core/deep-links';
import { EnvironmentRequests, MAX_PENDING_REQUESTS } from '../../../electron/core/intake';
import { createLogger } from '../../../electron/core/logger';
import { createTestCore } from '../../helpers/core';

// Issue 10, point 1: the URLs that arrive from a paddock://open link or the
// command line wait in the core, as requests the user confirms or declines
// in the window, so that one arriving before the window loaded is not lost.

describe('EnvironmentRequests', () => {
  const clock = () => {
    let t = Date.parse('2026-12-03T10:00:00.000Z');
    return () => new Date((t += 1000));
  };

  it('keeps requests oldest first, each with an id, its URL, source and time, and says so on every change', () => {
    const changes: EnvironmentRequest[][] = [];
    const queue = new EnvironmentRequests({ onChange: (list) => changes.push(list), now: clock() });
    const a = queue.add('https://github.com/o/a', 'link');
    const b = queue.add('https://github.com/o/b', 'command line');
    expect(queue.list()).toEqual([a, b]);
    expect(a).toEqual({ id: expect.stringMatching(/^r_[0-9a-f]{16}$/), url: 'https://github.com/o/a', source: 'link', receivedAt: '2026-12-03T10:00:01.000Z' });
    expect(b.source).toBe('command line');
    expect(a.id).not.toBe(b.id);
    for (const request of queue.list()) expect(environmentRequestSchema.parse(request)).toEqual(request);
    expect(changes).toEqual([[a], [a, b]]);
  });

  it('collapses the same URL into one request, moved to the end with its new time and source', () => {
    const queue = new EnvironmentRequests({ onChange: () => {}, now: clock() });
    const first = queue.add('https://github.com/o/a', 'link');
    const other = queue.add('https://github.com/o/b', 'link');
    const again = queue.add('https://github.com/o/a', 'command line');
    expect(again.id).toBe(first.id);
    expect(queue.list()).toEqual([other, { ...first, source: 'command line', receivedAt: again.receivedAt }]);
    expect(again.receivedAt > first.receivedAt).toBe(true);
  });

  it(`keeps at most ${MAX_PENDING_REQUESTS}, dropping the oldest`, () => {
    const queue = new EnvironmentRequests({ onChange: () => {} });
    for (let i = 0; i < MAX_PENDING_REQUESTS + 3; i++) queue.add(`https://github.com/o/r${i}`, 'link');
    const urls = queue.list().map((request) => request.url);
    expect(urls).toHaveLength(MAX_PENDING_REQUESTS);
    expect(urls[0]).toBe('https://github.com/o/r3');
    expect(urls.at(-1)).toBe(`https://github.com/o/r${MAX_PENDING_REQUESTS + 2}`);
  });

  it('resolves a request by id once; an unknown id changes nothing', () => {
    const onChange = vi.fn();
    const queue = new EnvironmentRequests({ onChange });
    const a = queue.add('https://github.com/o/a', 'link');
    const b = queue.add('https://github.com/o/b', 'link');
    onChange.mockClear();
    expect(queue.resolve(a.id)).toBe(true);
    expect(queue.list()).toEqual([b]);
    expect(onChange).toHaveBeenCalledWith([b]);
    onChange.mockClear();
    expect(queue.resolve(a.id)).toBe(false);
    expect(onChange).not.toHaveBeenCalled();
  });

  it('hands out copies: changing one does not change the queue', () => {
    const queue = new EnvironmentRequests({ onChange: () => {} });
    const a = queue.add('https://github.com/o/a', 'link');
    a.url = 'https://evil.example/';
    queue.list()[0]!.url = 'https://evil.example/';
    expect(queue.list()[0]!.url).toBe('https://github.com/o/a');
  });
});

describe('the core: paddock://open and `open <url>` become waiting requests', () => {
  const cores: { dispose(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.dispose();
  });

  const TOKEN = 'canary-url-token-Qm4Zt8';

  function setup() {
    const lines: string[] = [];
    const logger = createLogger({ name: 'test', destination: { write: (line: string) => void lines.push(line) } });
    const { core, dispatcher } = createTestCore({ logger });
    cores.push(core);
    return { core, dispatcher, logger, lines };
  }

  it('keeps a link for the window, creates nothing, tells the window, and logs the length only', async () => {
    const { core, logger, lines } = setup();
    const seen: EnvironmentRequest[][] = [];
    core.onEnvironmentRequestsChanged((list) => seen.push(list));
    const url = `https://user:${TOKEN}@github.com/owner/repo/pull/7`;
    const receipt = await receiveDeepLink(core, logger, { link: deepLinkFor({ type: 'open', url }) }, 'open-url');
    expect(receipt).toEqual({ status: 'handed', outcome: { handled: true } });
    const listed = await core.listEnvironmentRequests();
    expect(listed).toEqual([{ id: expect.any(String), url, source: 'link', receivedAt: expect.any(String) }]);
    expect(seen).toEqual([listed]);
    const log = lines.join('\n');
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain('github.com');
    const line = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'environment request waiting for confirmation');
    expect(line).toMatchObject({ source: 'link', length: url.length });
  });

  it('marks the command line’s `open <url>` as such, and a paddock: link on a command line as a link', async () => {
    const { core, logger } = setup();
    await receiveDeepLink(core, logger, { argv: ['/opt/Paddock/paddock', 'open', 'https://github.com/o/cli'] }, 'second-instance');
    await receiveDeepLink(core, logger, { argv: ['/opt/Paddock/paddock', deepLinkFor({ type: 'open', url: 'https://github.com/o/link' })] }, 'second-instance');
    expect((await core.listEnvironmentRequests()).map(({ url, source }) => ({ url, source }))).toEqual([
      { url: 'https://github.com/o/cli', source: 'command line' },
      { url: 'https://github.com/o/link', source: 'link' },
    ]);
  });

  it('lists requests that arrived before anyone listened, and resolves them through the API', async () => {
    const { core, dispatcher } = setup();
    await core.main.handleDeepLink({ type: 'open', url: 'https://github.com/o/a' });
    await core.main.handleDeepLink({ type: 'open', url: 'https://github.com/o/a' });
    await core.main.handleDeepLink({ type: 'open', url: 'https://gitlab.com/g/b' }, 'command line');
    const listed = await dispatcher.call('listEnvironmentRequests', null);
    expect(listed.ok).toBe(true);
    const requests = (listed as { value: EnvironmentRequest[] }).value;
    expect(requests.map((r) => r.url)).toEqual(['https://github.com/o/a', 'https://gitlab.com/g/b']);
    const left = await dispatcher.call('resolveEnvironmentRequest', { id: requests[0]!.id });
    expect(left).toEqual({ ok: true, value: [requests[1]] });
    // Already gone: not an error, nothing changes.
    expect(await dispatcher.call('resolveEnvironmentRequest', { id: requests[0]!.id })).toEqual({ ok: true, value: [requests[1]] });
    expect((await dispatcher.call('resolveEnvironmentRequest', { id: 'not-an-id' })).ok).toBe(false);
  });
});
