export const screens = [
  { id: 'runners', label: 'Runners' },
  { id: 'environments', label: 'Environments' },
  { id: 'settings', label: 'Settings' },
] as const;

export type ScreenId = (typeof screens)[number]['id'];

/** The screen a location hash names; unknown hashes land on Runners. */
export function screenFromHash(hash: string): ScreenId {
  const id = hash.replace(/^#\/?/, '');
  return screens.find((screen) => screen.id === id)?.id ?? 'runners';
}
