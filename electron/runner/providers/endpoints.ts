/**
 * Development and test builds only: moves a real service's URL onto its
 * simulator (PADDOCK_DEV_PROVIDER_ENDPOINTS, real origin → simulator origin).
 * Without a mapping for its origin the URL stays as it is.
 */
export function rewriteEndpoint(url: string, endpoints: Readonly<Record<string, string>>): string {
  for (const [from, to] of Object.entries(endpoints)) {
    const origin = from.replace(/\/+$/, '');
    if (url === origin || url.startsWith(`${origin}/`)) return `${to.replace(/\/+$/, '')}${url.slice(origin.length)}`;
  }
  return url;
}
