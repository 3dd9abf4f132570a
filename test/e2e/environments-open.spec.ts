// Opening a ready environment end to end in the web host with --simulate
// (issue 10 point 5): a GitHub Enterprise Server URL naming a folder on
// main is cloned by the local runner, and Open folder, Open in Visual
// Studio Code and Open terminal each reach the desktop with that folder —
// the web host's stand-in records what it was asked instead of starting a
// program. The page never sends a path: the core asks the runner.
import path from 'node:path';
import { sealPat } from '../../electron/common/pat';
import { SIMULATED_TOKENS } from '../helpers/provider-simulators';
import { startRemoteRunner, type RemoteRunnerHandle } from '../helpers/remote-runner';
import { expect, expectAccessibleInBothSchemes, screenshot, test } from './fixtures';

const GHES = 'https://ghe.example.test';
const URL = `${GHES}/octo/hello/tree/main/docs`;

test.use({ localRunner: true, simulate: true });

test('a ready local environment opens in the file manager, the editor and a terminal, at the folder its URL named', async ({ app, host }) => {
  test.setTimeout(120_000);
  await expect.poll(async () => (await host.core.listRunners())[0]?.health.state, { timeout: 30_000 }).toBe('online');
  const saved = await host.core.saveProvider({
    runnerId: 'local',
    previousHost: null,
    confirmWarnings: true,
    provider: { kind: 'github', host: GHES, organizations: [], collections: [], oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } }, pat: { enabled: true } },
  });
  expect(saved.saved).toBe(true);

  await app.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Environments' }).click();
  await app.getByLabel('Repository URL').fill(URL);
  await app.getByRole('button', { name: 'Create environment' }).click();
  await app.getByRole('group', { name: 'What will be created' }).getByRole('button', { name: 'Create' }).click();
  const dialog = app.getByRole('dialog', { name: 'Connect GitHub' });
  await dialog.getByLabel('Personal access token').fill(SIMULATED_TOKENS.githubEnterpriseServer);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await expect(dialog.getByRole('status')).toContainText('now connected', { timeout: 20_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();

  const item = app.getByRole('list', { name: 'Environments' }).getByRole('listitem').filter({ hasText: 'octo/hello' });
  await expect(item.locator('.badge')).toHaveText('Ready', { timeout: 60_000 });
  await expect.poll(async () => (await host.core.listEnvironments()).environments[0]?.state, { timeout: 30_000 }).toBe('ready');
  const [environment] = (await host.core.listEnvironments()).environments;
  expect(environment?.subPath).toBe('docs');
  const folder = path.join(environment!.path, 'docs');
  // Working copies of the web host stay in its data folder.
  expect(folder.startsWith(host.dataDir + path.sep)).toBe(true);
  expect(host.opened).toEqual([]);

  await item.getByRole('button', { name: 'Open folder: octo/hello' }).click();
  await expect(item.getByRole('status').filter({ hasText: 'Opened the folder of octo/hello.' })).toBeVisible();
  await item.getByRole('button', { name: 'Open in Visual Studio Code: octo/hello' }).click();
  await expect(item.getByRole('status').filter({ hasText: 'Opened octo/hello in Visual Studio Code.' })).toBeVisible();
  await item.getByRole('button', { name: 'Open terminal: octo/hello' }).click();
  await expect(item.getByRole('status').filter({ hasText: 'Opened a terminal in octo/hello.' })).toBeVisible();
  expect(host.opened).toEqual([
    { target: 'folder', path: folder },
    { target: 'editor', path: folder, with: 'Visual Studio Code' },
    { target: 'terminal', path: folder, with: 'GNOME Terminal' },
  ]);
  await expectAccessibleInBothSchemes(app);
  await screenshot(app, 'environments-open');

  // A terminal chosen in Settings that is no longer installed (the stand-in has no Konsole): the automatic one opens, and the status says so.
  host.store.set('preferences', { ...host.store.get('preferences'), terminal: 'konsole' });
  await item.getByRole('button', { name: 'Open terminal: octo/hello' }).click();
  await expect(
    item.getByRole('status').filter({ hasText: 'Konsole is not installed any more, so it opened in GNOME Terminal. Choose another terminal in Settings.' }),
  ).toBeVisible();
  expect(host.opened.at(-1)).toEqual({ target: 'terminal', path: folder, with: 'GNOME Terminal' });
});

test.describe('an environment on a server runner', () => {
  let remote: RemoteRunnerHandle | null = null;
  test.afterEach(async () => {
    await remote?.stop();
  });

  test('shows the folder on the server, the ssh command and the VS Code Remote-SSH link, and nothing to open here', async ({ app, host }) => {
    test.setTimeout(120_000);
    // The server runner reaches the same simulated GitHub Enterprise Server and git server as the local one.
    remote = await startRemoteRunner({ extraArgs: host.simulators!.runnerArgs, env: { ...process.env, ...host.simulators!.runnerEnv } });
    const token = await remote.createToken('1h', 'admin');
    const probe = await host.core.probeRemoteRunner({ url: remote.url, token });
    const server = await host.core.addRemoteRunner({ url: remote.url, token, name: 'Build server', spki: probe.spki });
    const saved = await host.core.saveProvider({
      runnerId: server.id,
      previousHost: null,
      confirmWarnings: true,
      provider: { kind: 'github', host: GHES, organizations: [], collections: [], oauth: { enabled: false, clientId: null, tenant: null, clientSecret: { action: 'none' } }, pat: { enabled: true } },
    });
    expect(saved.saved).toBe(true);
    const known = await host.core.getRunner({ id: server.id });
    await host.core.connectWithPat({
      runnerId: server.id,
      host: GHES,
      organization: null,
      sealed: sealPat({ runnerId: known.runnerUid!, host: GHES, organization: null }, SIMULATED_TOKENS.githubEnterpriseServer, known.publicKey!),
    });
    await host.core.createEnvironment({ runnerId: server.id, url: URL, tokenId: null, depth: 'full', remember: false });
    await expect.poll(async () => (await host.core.listEnvironments()).environments.find((e) => e.runnerId === server.id)?.state, { timeout: 60_000 }).toBe('ready');
    const environment = (await host.core.listEnvironments()).environments.find((e) => e.runnerId === server.id)!;

    await app.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Environments' }).click();
    const item = app.getByRole('list', { name: 'Environments' }).getByRole('listitem').filter({ hasText: 'Build server' });
    await expect(item.locator('.badge')).toHaveText('Ready');
    const serverName = new globalThis.URL(remote.url).hostname;
    const folder = `${environment.path}/docs`;
    await expect(item).toContainText(`Folder on Build server${environment.path}`);
    await expect(item).toContainText(`Terminal (ssh, in bash or zsh)ssh -t ${serverName} 'cd ${folder} && exec "$SHELL" -l'`);
    await expect(item).toContainText(`vscode://vscode-remote/ssh-remote+${serverName}${folder}`);
    await expect(item.getByRole('button', { name: 'Copy the ssh command for octo/hello' })).toBeVisible();
    await expect(item.getByRole('button', { name: /^Open/ })).toHaveCount(0);
    // The core refuses to open it here, whatever the page asks.
    await expect(host.core.openEnvironment({ runnerId: server.id, id: environment.id, target: 'folder' })).rejects.toMatchObject({ code: 'invalid-input' });
    expect(host.opened).toEqual([]);
    await expectAccessibleInBothSchemes(app);
    await screenshot(app, 'environments-remote');
  });
});
