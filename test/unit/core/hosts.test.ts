import { describe, expect, it, vi } from 'vitest';
import type { ProviderView } from '../../../electron/common/provider-config';
import type { TokenView } from '../../../electron/common/runner-api';
import { HostsModel, hostAccessFor } from '../../../electron/core/hosts';
import { silentLogger } from '../../../electron/core/logger';

const at = '2026-12-01T00:00:00.000Z';
const ado = (organizations: string[], overrides: Partial<ProviderView> = {}): ProviderView => ({
  kind: 'azure-devops',
  host: 'https://dev.azure.com',
  organizations: organizations.map((name) => ({ name, tenant: '72f988bf-86f1-41af-91ab-2d7cd011db47', tenantOrigin: 'discovered' as const })),
  collections: [],
  oauth: { enabled: true, clientId: 'client', tenant: '72f988bf-86f1-41af-91ab-2d7cd011db47', secretSet: false },
  pat: { enabled: true },
  managed: false,
  updatedAt: at,
  ...overrides,
});
const ghes: ProviderView = {
  kind: 'github',
  host: 'https://ghe.example.test',
  organizations: [],
  collections: [],
  oauth: { enabled: false, clientId: null, tenant: null, secretSet: false },
  pat: { enabled: true },
  managed: true,
  updatedAt: at,
};
let tokenCount = 0;
const token = (host: string, organization: string | null, state: TokenView['state'], method: TokenView['method'] = 'oauth', expiresAt: string | null = null): TokenView => ({
  id: `t_${(++tokenCount).toString(16).padStart(16, '0')}`,
  inUse: false,
  host,
  organization,
  method,
  account: 'mona',
  obtainedAt: at,
  expiresAt,
  scopes: [],
  state,
});
const runner = { id: 'local', name: 'This computer' };

describe('hostAccessFor', () => {
  it('gives each Azure DevOps organization its own connection, and an organization with a token that the entry does not name too', () => {
    const hosts = hostAccessFor(runner, [ado(['contoso', 'fabrikam'])], [token('https://dev.azure.com', 'Contoso', 'expiring', 'pat', '2026-12-05T00:00:00.000Z'), token('https://dev.azure.com', 'tailspin', 'reconnect-needed')]);
    expect(hosts).toHaveLength(1);
    expect(hosts[0]!.methods).toEqual({ oauth: true, pat: true });
    expect(hosts[0]!.connections).toMatchObject([
      { organization: 'contoso', state: 'expiring', source: 'pat', account: 'mona', expiresAt: '2026-12-05T00:00:00.000Z' },
      { organization: 'fabrikam', state: 'none', source: null, account: null, expiresAt: null, tokenId: null, accounts: [] },
      { organization: 'tailspin', state: 'reconnect-needed', source: 'oauth', account: 'mona', expiresAt: null },
    ]);
  });

  it('without an account in use, shows a usable token over one that needs reconnecting for the same place', () => {
    const usable = token(ghes.host, null, 'connected', 'pat');
    const [host] = hostAccessFor(runner, [ghes], [token(ghes.host, null, 'reconnect-needed', 'oauth'), usable]);
    expect(host!.connections).toMatchObject([{ organization: null, state: 'connected', source: 'pat', account: 'mona', expiresAt: null, tokenId: usable.id }]);
    expect(host!.connections[0]!.accounts.map((a) => [a.source, a.inUse])).toEqual([
      ['pat', true],
      ['oauth', false],
    ]);
    expect(host!.managed).toBe(true);
  });

  it('shows the account the runner has in use, with the others after it (several accounts per host)', () => {
    const work = { ...token(ghes.host, null, 'connected', 'oauth'), account: 'mona-work' };
    const own = { ...token(ghes.host, null, 'reconnect-needed', 'oauth'), account: 'mona', inUse: true };
    const [host] = hostAccessFor(runner, [ghes], [work, own]);
    const [connection] = host!.connections;
    expect(connection).toMatchObject({ state: 'reconnect-needed', account: 'mona', tokenId: own.id });
    expect(connection!.accounts.map((a) => `${a.account}:${a.inUse}`)).toEqual(['mona:true', 'mona-work:false']);
  });

  it('says which accounts the runner renews (an older runner that does not say: not renewed)', () => {
    const renewing = { ...token(ghes.host, null, 'connected', 'oauth', '2026-12-02T01:00:00.000Z'), renews: true, inUse: true };
    const pat = token(ghes.host, null, 'connected', 'pat', '2026-12-30T00:00:00.000Z');
    const [host] = hostAccessFor(runner, [ghes], [renewing, pat]);
    expect(host!.connections[0]!.accounts.map((a) => [a.source, a.renews])).toEqual([
      ['oauth', true],
      ['pat', false],
    ]);
  });

  it('leaves out entries with no way to connect, and tokens for other hosts', () => {
    const off = { ...ghes, pat: { enabled: false } };
    expect(hostAccessFor(runner, [off], [])).toEqual([]);
    expect(hostAccessFor(runner, [ado(['contoso'])], [token('https://other.example', null, 'connected')])[0]!.connections[0]!.state).toBe('none');
  });
});

describe('HostsModel', () => {
  it('publishes only real changes, keeps what a silent runner last said, and forgets removed runners', async () => {
    const onChange = vi.fn();
    let tokens: TokenView[] = [];
    let fail = false;
    const listProviders = vi.fn(async () => {
      if (fail) throw new Error('offline');
      return [ghes];
    });
    const model = new HostsModel({ runners: () => [runner], listProviders, listTokens: async () => tokens, onChange, logger: silentLogger });
    await model.refresh();
    expect(onChange).toHaveBeenCalledTimes(1);
    await model.refresh();
    expect(onChange).toHaveBeenCalledTimes(1);
    tokens = [token(ghes.host, null, 'connected')];
    await model.refresh('local');
    expect(onChange).toHaveBeenCalledTimes(2);
    expect(model.list()[0]!.connections[0]!.state).toBe('connected');
    fail = true;
    await model.refresh();
    expect(model.list()).toHaveLength(1);
    model.forget('local');
    expect(model.list()).toEqual([]);
    expect(onChange).toHaveBeenLastCalledWith([]);
  });

  it('caps what one host carries, and leaves out only the runner whose answer does not fit', async () => {
    const many = Array.from({ length: 700 }, (_, i) => token('https://dev.azure.com', `org${i}`, 'connected'));
    expect(hostAccessFor(runner, [ado([])], many)[0]!.connections).toHaveLength(500);
    const other = { id: 'remote-1', name: 'Build' };
    const model = new HostsModel({
      runners: () => [runner, other],
      listProviders: async (id) => (id === 'local' ? [ghes] : [{ ...ghes, host: 'x'.repeat(3000) }]),
      listTokens: async () => [],
      onChange: () => {},
      logger: silentLogger,
    });
    const hosts = await model.refresh();
    expect(hosts.map((h) => h.runnerId)).toEqual(['local']);
  });

  it('asks a runner at most twice for a burst of refreshes, and a refresh after a change sees the change', async () => {
    let release!: () => void;
    let gate = new Promise<void>((resolve) => (release = resolve));
    let tokens: TokenView[] = [];
    const listProviders = vi.fn(async () => [ghes]);
    const listTokens = vi.fn(async () => {
      const seen = tokens;
      await gate;
      return seen;
    });
    const model = new HostsModel({ runners: () => [runner], listProviders, listTokens, onChange: () => {}, logger: silentLogger });
    const first = model.refresh();
    // A token is stored while the first refresh is on its way: the next refresh must not answer with the old list.
    tokens = [token(ghes.host, null, 'connected')];
    const burst = Promise.all([model.refresh('local'), model.refresh(), model.refresh()]);
    release();
    await first;
    gate = Promise.resolve();
    const [afterChange] = await burst;
    expect(listProviders).toHaveBeenCalledTimes(2);
    expect(afterChange[0]!.connections[0]!.state).toBe('connected');
  });
});
