export const screens = [
  { id: 'runners', label: 'Runners' },
  { id: 'environments', label: 'Environments' },
  { id: 'accounts', label: 'Accounts' },
  { id: 'settings', label: 'Settings' },
] as const;

export type ScreenId = (typeof screens)[number]['id'];

/** Where the app is: a screen of the navigation, and for Runners one of its pages. */
export type Route =
  | { screen: 'runners'; page: 'list' }
  | { screen: 'runners'; page: 'add' }
  | { screen: 'runners'; page: 'settings'; runnerId: string }
  | { screen: 'runners'; page: 'access'; runnerId: string }
  | { screen: 'environments' }
  | { screen: 'accounts' }
  | { screen: 'settings' };

const runnersList: Route = { screen: 'runners', page: 'list' };

function decode(segment: string): string | null {
  try {
    const value = decodeURIComponent(segment);
    return value.length > 0 && value.length <= 200 ? value : null;
  } catch {
    return null;
  }
}

/**
 * The route a location hash names: `#/runners`, `#/runners/add`,
 * `#/runners/<id>`, `#/runners/<id>/access`, `#/environments`, `#/accounts`,
 * `#/settings`.
 * Anything else lands on the runners list.
 */
export function routeFromHash(hash: string): Route {
  const segments = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((segment) => segment.length > 0);
  const [first, second, third, ...rest] = segments;
  if (first === 'environments' && segments.length === 1) return { screen: 'environments' };
  if (first === 'accounts' && segments.length === 1) return { screen: 'accounts' };
  if (first === 'settings' && segments.length === 1) return { screen: 'settings' };
  if (first !== 'runners' || rest.length > 0) return runnersList;
  if (second === undefined) return runnersList;
  if (second === 'add') return third === undefined ? { screen: 'runners', page: 'add' } : runnersList;
  const runnerId = decode(second);
  if (runnerId === null) return runnersList;
  if (third === undefined) return { screen: 'runners', page: 'settings', runnerId };
  if (third === 'access') return { screen: 'runners', page: 'access', runnerId };
  return runnersList;
}

/** The hash for a route; `routeFromHash(hashOf(route))` gives the route back. */
export function hashOf(route: Route): string {
  if (route.screen !== 'runners') return `#/${route.screen}`;
  switch (route.page) {
    case 'list':
      return '#/runners';
    case 'add':
      return '#/runners/add';
    case 'settings':
      return `#/runners/${encodeURIComponent(route.runnerId)}`;
    case 'access':
      return `#/runners/${encodeURIComponent(route.runnerId)}/access`;
  }
}

/** The screen a location hash belongs to (for the navigation's highlight); unknown hashes land on Runners. */
export function screenFromHash(hash: string): ScreenId {
  return routeFromHash(hash).screen;
}
