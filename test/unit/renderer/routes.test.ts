import { describe, expect, it } from 'vitest';
import { hashOf, routeFromHash, screenFromHash, type Route } from '../../../renderer/src/routes';

describe('routeFromHash', () => {
  it.each([
    ['', { screen: 'runners', page: 'list' }],
    ['#', { screen: 'runners', page: 'list' }],
    ['#/runners', { screen: 'runners', page: 'list' }],
    ['#/runners/', { screen: 'runners', page: 'list' }],
    ['#runners', { screen: 'runners', page: 'list' }],
    ['#/runners/add', { screen: 'runners', page: 'add' }],
    ['#/runners/local', { screen: 'runners', page: 'settings', runnerId: 'local' }],
    ['#/runners/remote-1f2e', { screen: 'runners', page: 'settings', runnerId: 'remote-1f2e' }],
    ['#/runners/local/access', { screen: 'runners', page: 'access', runnerId: 'local' }],
    ['#/runners/a%20b', { screen: 'runners', page: 'settings', runnerId: 'a b' }],
    ['#/environments', { screen: 'environments' }],
    ['#/accounts', { screen: 'accounts' }],
    ['#/settings', { screen: 'settings' }],
  ] as const)('%s', (hash, route) => {
    expect(routeFromHash(hash)).toEqual(route);
  });

  it.each(['#/nowhere', '#/runners/add/more', '#/runners/local/other', '#/runners/local/access/x', '#/settings/x', '#/accounts/x', '#/runners/%E0%A4%A', `#/runners/${'x'.repeat(201)}`])(
    'sends %s to the runners list',
    (hash) => {
      expect(routeFromHash(hash)).toEqual({ screen: 'runners', page: 'list' });
    },
  );
});

describe('hashOf', () => {
  const routes: Route[] = [
    { screen: 'runners', page: 'list' },
    { screen: 'runners', page: 'add' },
    { screen: 'runners', page: 'settings', runnerId: 'remote-3c1d' },
    { screen: 'runners', page: 'settings', runnerId: 'odd/id #?' },
    { screen: 'runners', page: 'access', runnerId: 'local' },
    { screen: 'environments' },
    { screen: 'accounts' },
    { screen: 'settings' },
  ];

  it.each(routes)('round-trips %j', (route) => {
    expect(routeFromHash(hashOf(route))).toEqual(route);
  });

  it('writes readable hashes', () => {
    expect(hashOf({ screen: 'runners', page: 'settings', runnerId: 'local' })).toBe('#/runners/local');
    expect(hashOf({ screen: 'runners', page: 'access', runnerId: 'local' })).toBe('#/runners/local/access');
  });
});

describe('screenFromHash', () => {
  it('names the navigation entry for sub-pages too', () => {
    expect(screenFromHash('#/runners/add')).toBe('runners');
    expect(screenFromHash('#/runners/local/access')).toBe('runners');
    expect(screenFromHash('#/settings')).toBe('settings');
    expect(screenFromHash('#/unknown')).toBe('runners');
  });
});
