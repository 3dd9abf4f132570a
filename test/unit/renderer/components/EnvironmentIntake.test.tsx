// @vitest-environment happy-dom
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRef } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { Environment, EnvironmentCandidate, EnvironmentMatch, EnvironmentRequest, MethodInput, PaddockApi } from '../../../../electron/common/api';
import type { JobView } from '../../../../electron/common/runner-api';
import { EnvironmentsScreen } from '../../../../renderer/src/screens/EnvironmentsScreen';
import { WindowIntake, type Arrival } from '../../../../renderer/src/screens/environments/WindowIntake';
import { UNSAFE_URL_MESSAGE } from '../../../../electron/common/safe-text';
import { expectNoAxeViolations } from './axe';
import { deferred, whenEnabled } from './dom';
import { eventHub, fakeApi, jobView, localRunner, runnerKeys } from './fixtures';

// Issue 10, point 1: the ways a URL arrives besides the field — a paddock://open
// link or the command line (waiting requests, always confirmed), a paste
// outside any field, a link dropped on the window.

const keys = runnerKeys();
const runner = localRunner(keys.publicKey);
const url = 'https://ghe.example.test/octo/hello/pull/7';
const jobId = 'j_clone0123456789abcd';

const candidate = (overrides: Partial<EnvironmentCandidate> = {}): EnvironmentCandidate => ({
  runnerId: 'local',
  runnerName: 'Local runner',
  host: 'https://ghe.example.test',
  organization: null,
  connection: 'connected',
  methods: { oauth: false, pat: true },
  ...overrides,
});

const matched = (candidates: EnvironmentCandidate[]): EnvironmentMatch => ({
  ok: true,
  context: {
    ok: true,
    provider: 'github',
    host: 'https://ghe.example.test',
    owner: 'octo',
    project: null,
    repo: 'hello',
    ref: { type: 'pull', number: 7 },
    path: null,
    refAmbiguous: false,
    cloneUrl: 'https://ghe.example.test/octo/hello.git',
  } as Extract<EnvironmentMatch, { ok: true }>['context'],
  candidates,
  remembered: null,
  missing: null,
});

const request = (overrides: Partial<EnvironmentRequest> = {}): EnvironmentRequest => ({
  id: 'r_0123456789abcdef',
  url,
  source: 'link',
  receivedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
  ...overrides,
});

const environment = (): Environment => ({
  id: 'e_0123456789abcdef',
  url,
  kind: 'github',
  host: 'https://ghe.example.test',
  organization: null,
  repository: 'octo/hello',
  cloneUrl: 'https://ghe.example.test/octo/hello.git',
  ref: { type: 'pull', number: 7 },
  resolved: null,
  subPath: null,
  depth: 'full',
  tokenId: null,
  path: '/home/alice/paddock/octo-hello',
  state: 'creating',
  jobId,
  error: null,
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  runnerId: 'local',
  runnerName: 'Local runner',
});

function setup(methods: Partial<PaddockApi> = {}, props: { arrival?: Arrival } = {}) {
  const hub = eventHub();
  let requests: EnvironmentRequest[] = [];
  const listeners = new Set<(list: EnvironmentRequest[]) => void>();
  const resolveEnvironmentRequest = vi.fn(async ({ id }: MethodInput<'resolveEnvironmentRequest'>) => (requests = requests.filter((r) => r.id !== id)));
  const createEnvironment = vi.fn(async (_input: MethodInput<'createEnvironment'>) => ({ environment: environment(), job: jobView(jobId, { kind: 'environment-clone' }) }));
  const matchEnvironment = vi.fn(async (_input: MethodInput<'matchEnvironment'>) => matched([candidate()]));
  const api = fakeApi({
    listEnvironments: async () => ({ environments: [], unavailable: [] }),
    listRunners: async () => [runner],
    onRunnersChanged: hub.onRunnersChanged,
    onJobEvent: hub.onJobEvent,
    getJob: vi.fn(() => deferred<JobView>().promise),
    listEnvironmentRequests: async () => requests,
    onEnvironmentRequestsChanged: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    resolveEnvironmentRequest,
    createEnvironment,
    matchEnvironment,
    desktopEditor: async () => null,
    ...methods,
  });
  const waiting = (list: EnvironmentRequest[]) => {
    requests = list;
  };
  const arrive = (list: EnvironmentRequest[]) =>
    act(() => {
      requests = list;
      for (const listener of listeners) listener(list);
    });
  const view = (arrival?: Arrival) => <EnvironmentsScreen api={api} headingRef={createRef()} {...(arrival ? { arrival } : {})} />;
  return { user: userEvent.setup(), waiting, arrive, resolveEnvironmentRequest, createEnvironment, matchEnvironment, view, mount: () => render(view(props.arrival)) };
}

describe('EnvironmentsScreen: links and the command line ask first', () => {
  it('shows a request that waited before the screen opened: its URL, host and runner, focus on what will be created; Not now creates nothing', async () => {
    const s = setup();
    s.waiting([request()]);
    s.mount();
    const panel = await screen.findByRole('group', { name: 'What will be created' });
    expect(s.matchEnvironment).toHaveBeenCalledWith({ url });
    expect(panel.textContent).toContain('A Paddock link asked to create an environment from this address, 5 minutes ago.');
    expect(within(panel).getByText(url).tagName).toBe('CODE');
    const facts = panel.querySelectorAll('dt, dd');
    expect(Array.from(facts, (e) => e.textContent)).toEqual(['URL', url, 'Host', 'https://ghe.example.test', 'Runner', 'Local runner']);
    await waitFor(() => expect(document.activeElement).toBe(within(panel).getByRole('heading', { name: 'What will be created' })));
    await expectNoAxeViolations(document.body);

    await s.user.click(within(panel).getByRole('button', { name: 'Not now' }));
    expect(s.resolveEnvironmentRequest).toHaveBeenCalledWith({ id: 'r_0123456789abcdef' });
    expect(s.createEnvironment).not.toHaveBeenCalled();
    expect(screen.queryByRole('group', { name: 'What will be created' })).toBeNull();
    expect(screen.getByText('Nothing was created from the link.')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('Repository URL'));
  });

  it('shows a request that arrives later, says where it came from, and creates only when confirmed', async () => {
    const s = setup();
    s.mount();
    await screen.findByRole('heading', { name: 'No environments yet' });
    expect(s.matchEnvironment).not.toHaveBeenCalled();
    await s.arrive([request({ source: 'command line' }), request({ id: 'r_00000000000000b2', url: 'https://ghe.example.test/octo/other' })]);
    const panel = await screen.findByRole('group', { name: 'What will be created' });
    expect(panel.textContent).toContain('The command line asked to create an environment');
    expect(screen.getByText('One more link waits after this one.')).toBeTruthy();
    expect(s.createEnvironment).not.toHaveBeenCalled();
    await s.user.click(await whenEnabled(within(panel).getByRole('button', { name: 'Create environment' })));
    expect(s.resolveEnvironmentRequest).toHaveBeenCalledWith({ id: 'r_0123456789abcdef' });
    await waitFor(() => expect(s.createEnvironment).toHaveBeenCalledWith({ runnerId: 'local', url, tokenId: null, depth: 'full', remember: false }));
    // Then the next one is asked about, on its own.
    await waitFor(() => expect(s.matchEnvironment).toHaveBeenLastCalledWith({ url: 'https://ghe.example.test/octo/other' }));
    expect(await screen.findByText('https://ghe.example.test/octo/other')).toBeTruthy();
    expect(s.createEnvironment).toHaveBeenCalledTimes(1);
  });

  it('never swaps a confirmation under the click: a link that arrives waits, and is shown once the one on screen is answered', async () => {
    const own = 'https://ghe.example.test/octo/mine';
    const attacker = 'https://ghe.example.test/evil/repo';
    const s = setup();
    s.mount();
    await screen.findByRole('heading', { name: 'No environments yet' });
    await s.user.type(screen.getByLabelText('Repository URL'), own);
    await s.user.click(screen.getByRole('button', { name: 'Create environment' }));
    const panel = await screen.findByRole('group', { name: 'What will be created' });
    const create = await whenEnabled(within(panel).getByRole('button', { name: 'Create' }));
    // A web page fires paddock://open just as the user clicks Create.
    await s.arrive([request({ url: attacker })]);
    expect(s.matchEnvironment).not.toHaveBeenCalledWith({ url: attacker });
    expect((screen.getByLabelText('Repository URL') as HTMLInputElement).value).toBe(own);
    expect(screen.getByText('Another link is waiting: shown once you have created or cleared this one.')).toBeTruthy();
    await s.user.click(create);
    await waitFor(() => expect(s.createEnvironment).toHaveBeenCalledWith({ runnerId: 'local', url: own, tokenId: null, depth: 'full', remember: false }));
    // Then the link is asked about, on its own, and only created when confirmed.
    const next = await screen.findByText(attacker);
    expect(next.tagName).toBe('CODE');
    expect(s.createEnvironment).toHaveBeenCalledTimes(1);
  });

  it('keeps a link on screen while others arrive, even when one of them moves it back in the queue; counts those waiting', async () => {
    const first = request({ id: 'r_00000000000000a1', url: 'https://ghe.example.test/octo/first' });
    const second = request({ id: 'r_00000000000000a2', url: 'https://ghe.example.test/octo/second' });
    const third = request({ id: 'r_00000000000000a3', url: 'https://ghe.example.test/octo/third' });
    const s = setup();
    s.waiting([first]);
    s.mount();
    const panel = await screen.findByRole('group', { name: 'What will be created' });
    expect(within(panel).getByText(first.url)).toBeTruthy();
    // The same URL again moves the first to the end of the core's queue: the screen still shows it.
    await s.arrive([second, third, { ...first, receivedAt: new Date().toISOString() }]);
    expect(within(panel).getByText(first.url)).toBeTruthy();
    expect(s.matchEnvironment).toHaveBeenCalledTimes(1);
    expect(screen.getByText('2 more links wait after this one.')).toBeTruthy();
    // Typing in the field leaves the link unanswered: it waits again, and nothing else is shown while the user types.
    await s.user.type(screen.getByLabelText('Repository URL'), 'x');
    expect(screen.queryByRole('group', { name: 'What will be created' })).toBeNull();
    expect(s.resolveEnvironmentRequest).not.toHaveBeenCalled();
    expect(screen.getByText('3 links are waiting: shown once you have created or cleared this one.')).toBeTruthy();
    expect(s.matchEnvironment).toHaveBeenCalledTimes(1);
    await s.user.clear(screen.getByLabelText('Repository URL'));
    await waitFor(() => expect(s.matchEnvironment).toHaveBeenLastCalledWith({ url: second.url }));
    expect(await screen.findByText(second.url)).toBeTruthy();
  });

  it.each([
    ['U+202E', 'https://ghe.example.test/octo/\u202eolleh/pull/7'],
    ['U+200B', 'https://ghe.example.test/oc\u200bto/hello/pull/7'],
  ])('refuses a pasted URL with %s in words, before asking the runners', async (_name, pasted) => {
    const s = setup({}, { arrival: { url: pasted, via: 'paste', key: 1 } });
    s.mount();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(UNSAFE_URL_MESSAGE);
    expect(document.activeElement).toBe(screen.getByLabelText('Repository URL'));
    expect(screen.queryByRole('group', { name: 'What will be created' })).toBeNull();
    expect(s.matchEnvironment).not.toHaveBeenCalled();
    expect(s.createEnvironment).not.toHaveBeenCalled();
  });

  it('disables the confirm button for a moment whenever the confirmation changes, so that a click meant for the last one does nothing', async () => {
    const own = 'https://ghe.example.test/octo/mine';
    const s = setup();
    const { rerender } = s.mount();
    await screen.findByRole('heading', { name: 'No environments yet' });
    await s.user.type(screen.getByLabelText('Repository URL'), own);
    await s.user.click(screen.getByRole('button', { name: 'Create environment' }));
    await whenEnabled(within(await screen.findByRole('group', { name: 'What will be created' })).getByRole('button', { name: 'Create' }));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      // The user's own paste may replace the confirmation (their action): the new one cannot be confirmed at once.
      rerender(s.view({ url, via: 'paste', key: 1 }));
      await act(async () => {});
      await act(async () => {});
      const panel = screen.getByRole('group', { name: 'What will be created' });
      expect(panel.textContent).toContain('pull request 7');
      const create = within(panel).getByRole('button', { name: 'Create' }) as HTMLButtonElement;
      expect(create.disabled).toBe(true);
      fireEvent.click(create);
      act(() => void vi.advanceTimersByTime(999));
      expect(create.disabled).toBe(true);
      fireEvent.click(create);
      expect(s.createEnvironment).not.toHaveBeenCalled();
      act(() => void vi.advanceTimersByTime(1));
      expect(create.disabled).toBe(false);
      fireEvent.click(create);
      await act(async () => {});
      expect(s.createEnvironment).toHaveBeenCalledExactlyOnceWith({ runnerId: 'local', url, tokenId: null, depth: 'full', remember: false });
    } finally {
      vi.useRealTimers();
    }
  });

  it('announces why a request cannot be used, with what to do, and stops it waiting', async () => {
    const missing = 'No runner has repository access to https://ghe.example.test. Ask your admin to add it in Repository access.';
    const s = setup({ matchEnvironment: vi.fn(async () => ({ ...matched([]), missing })) });
    s.waiting([request()]);
    s.mount();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(missing);
    expect((screen.getByLabelText('Repository URL') as HTMLInputElement).value).toBe(url);
    expect(s.resolveEnvironmentRequest).toHaveBeenCalledWith({ id: 'r_0123456789abcdef' });
    expect(s.createEnvironment).not.toHaveBeenCalled();
  });

  it('reads a pasted or dropped URL as if typed: into the field, matched, focus on what will be created', async () => {
    const s = setup({}, { arrival: { url, via: 'drop', key: 1 } });
    s.mount();
    const panel = await screen.findByRole('group', { name: 'What will be created' });
    expect((screen.getByLabelText('Repository URL') as HTMLInputElement).value).toBe(url);
    await waitFor(() => expect(document.activeElement).toBe(within(panel).getByRole('heading', { name: 'What will be created' })));
    // Not a link: the usual Create, no Not now.
    expect(within(panel).queryByRole('button', { name: 'Not now' })).toBeNull();
    expect(within(panel).getByRole('button', { name: 'Create' })).toBeTruthy();
  });
});

/** A drag or paste event carrying data, as Chromium fires them. */
function transferEvent(type: string, data: Record<string, string>, init: { dataProperty?: 'dataTransfer' | 'clipboardData' } = {}) {
  const event = new Event(type, { bubbles: true, cancelable: true });
  const read: string[] = [];
  const transfer = {
    types: Object.keys(data),
    dropEffect: 'none',
    getData: (format: string) => {
      read.push(format);
      return data[format] ?? '';
    },
  };
  Object.defineProperty(event, init.dataProperty ?? 'dataTransfer', { value: transfer });
  return { event, transfer, read };
}

describe('WindowIntake: paste anywhere, drop on the window', () => {
  it('takes a paste outside any field, and leaves one in a field alone', () => {
    const onArrival = vi.fn();
    render(
      <>
        <WindowIntake onArrival={onArrival} />
        <button type="button">A button</button>
        <input aria-label="Name" />
      </>,
    );
    screen.getByRole('button', { name: 'A button' }).focus();
    const outside = transferEvent('paste', { 'text/plain': `  ${url}\n` }, { dataProperty: 'clipboardData' });
    screen.getByRole('button', { name: 'A button' }).dispatchEvent(outside.event);
    expect(outside.event.defaultPrevented).toBe(true);
    expect(onArrival).toHaveBeenCalledExactlyOnceWith({ url, via: 'paste', key: 1 });

    const field = screen.getByLabelText('Name');
    field.focus();
    const inside = transferEvent('paste', { 'text/plain': url }, { dataProperty: 'clipboardData' });
    field.dispatchEvent(inside.event);
    expect(inside.event.defaultPrevented).toBe(false);
    expect(onArrival).toHaveBeenCalledTimes(1);
  });

  it('leaves a paste or a drop alone while a dialog is open', () => {
    const onArrival = vi.fn();
    render(
      <>
        <WindowIntake onArrival={onArrival} />
        <dialog open aria-label="Connect GitHub">
          <button type="button">Close</button>
        </dialog>
      </>,
    );
    const paste = transferEvent('paste', { 'text/plain': url }, { dataProperty: 'clipboardData' });
    screen.getByRole('button', { name: 'Close' }).dispatchEvent(paste.event);
    expect(paste.event.defaultPrevented).toBe(false);
    expect(onArrival).not.toHaveBeenCalled();
    // Nor a drop: the dialog's answer stays with what it was opened for; the window still does not navigate.
    const drop = transferEvent('drop', { 'text/uri-list': url });
    act(() => void window.dispatchEvent(drop.event));
    expect(drop.event.defaultPrevented).toBe(true);
    expect(onArrival).not.toHaveBeenCalled();
  });

  it('shows the drop target while a link is dragged over, reads it on drop only, and never lets the drop navigate', async () => {
    const onArrival = vi.fn();
    const { container } = render(<WindowIntake onArrival={onArrival} />);
    const data = { 'text/uri-list': `# from a browser\n${url}`, 'text/plain': 'other' };
    const enter = transferEvent('dragenter', data);
    act(() => void window.dispatchEvent(enter.event));
    expect(enter.event.defaultPrevented).toBe(true);
    expect(screen.getByRole('status').textContent).toContain('Drop a repository link to create an environment');
    await expectNoAxeViolations(container);
    const over = transferEvent('dragover', data);
    act(() => void window.dispatchEvent(over.event));
    expect(over.event.defaultPrevented).toBe(true);
    expect(over.transfer.dropEffect).toBe('copy');
    // Nothing is read before the drop.
    expect([...enter.read, ...over.read]).toEqual([]);
    const drop = transferEvent('drop', data);
    act(() => void window.dispatchEvent(drop.event));
    expect(drop.event.defaultPrevented).toBe(true);
    expect(onArrival).toHaveBeenCalledExactlyOnceWith({ url, via: 'drop', key: 1 });
    expect(screen.getByRole('status').textContent).toBe('');
  });

  it('takes files without a drop target, an arrival or a navigation; a drag that leaves hides the target', () => {
    const onArrival = vi.fn();
    render(<WindowIntake onArrival={onArrival} />);
    const files = { Files: '' };
    const enter = transferEvent('dragenter', files);
    act(() => void window.dispatchEvent(enter.event));
    expect(screen.getByRole('status').textContent).toBe('');
    const over = transferEvent('dragover', files);
    act(() => void window.dispatchEvent(over.event));
    expect(over.event.defaultPrevented).toBe(true);
    expect(over.transfer.dropEffect).toBe('none');
    const drop = transferEvent('drop', files);
    act(() => void window.dispatchEvent(drop.event));
    expect(drop.event.defaultPrevented).toBe(true);
    expect(onArrival).not.toHaveBeenCalled();

    act(() => void window.dispatchEvent(transferEvent('dragenter', { 'text/plain': url }).event));
    expect(screen.getByRole('status').textContent).not.toBe('');
    fireEvent(window, new Event('dragleave'));
    expect(screen.getByRole('status').textContent).toBe('');
  });
});
