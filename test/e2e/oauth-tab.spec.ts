// "Open in the system browser" in the web host (issue 9 point 8): connecting
// opens the simulated provider's consent page in a new tab of the same
// browser, a person presses Authorize there, the provider redirects the tab
// to the app's loopback listener, and the app ends connected with a
// notification. Driven through window.paddock, as the connect dialog calls it.
import { sealClientSecret } from '../../electron/common/provider-config';
import { expect, test } from './fixtures';

test.use({ localRunner: true, simulate: true });

test('the consent page opens in a new tab, Authorize there connects GitHub through the loopback listener', async ({ app, host, context }) => {
  let runner: { runnerUid: string; publicKey: string } | null = null;
  await expect
    .poll(async () => {
      const [local] = await host.core.listRunners();
      if (local?.health.state === 'online' && local.runnerUid && local.publicKey) runner = { runnerUid: local.runnerUid, publicKey: local.publicKey };
      return runner !== null;
    }, { timeout: 30_000 })
    .toBe(true);
  const github = (await host.core.getAppInfo()).simulation!.providers.find((p) => p.kind === 'github' && p.fields.some((f) => f.value === 'https://github.com'))!;
  const field = (label: string) => github.fields.find((f) => f.label === label)!.value;
  const { runnerUid, publicKey } = runner!;
  const saved = await host.core.saveProvider({
    runnerId: 'local',
    previousHost: null,
    confirmWarnings: true,
    provider: {
      kind: 'github',
      host: 'https://github.com',
      organizations: [],
      collections: [],
      oauth: {
        enabled: true,
        clientId: field('Client ID'),
        tenant: null,
        clientSecret: {
          action: 'replace',
          sealed: sealClientSecret({ runnerId: runnerUid, kind: 'github', host: 'https://github.com', clientId: field('Client ID'), tenant: null, secret: field('Client Secret') }, publicKey),
        },
      },
      pat: { enabled: true },
    },
  });
  expect(saved.saved).toBe(true);

  const tabOpened = context.waitForEvent('page');
  const attempt = await app.evaluate(() => window.paddock.connectOAuth({ runnerId: 'local', host: 'https://github.com', organization: null }));
  expect(attempt.callback).toBe('loopback');
  const tab = await tabOpened;
  await tab.waitForLoadState();
  // The simulator's plain-http twin: the tab needs no CA.
  expect(tab.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/login\/oauth\/authorize\?/);
  await tab.getByRole('button', { name: 'Authorize' }).click();
  await expect(tab.getByText('You can close this tab and return to Paddock.')).toBeVisible();
  expect(tab.url().startsWith(`${attempt.redirectUri}?`)).toBe(true);

  await expect.poll(() => host.notifications.at(-1)).toEqual({ title: 'GitHub is now connected', body: 'Signed in as sam. You can now create environments from its repositories.', clickable: true });
  await expect.poll(async () => (await host.core.listHosts()).find((h) => h.host === 'https://github.com')?.connections[0]?.account).toBe('sam');
});
