import type { ProviderKind } from '../provider-kind';
import { providerCatalogue } from './catalogue';
import type { TemplateVariable } from './schema';

export type TemplateValues = Partial<Record<TemplateVariable, string>>;

/** URL-valued placeholders, inserted as they are; the others are names, percent-encoded. */
const urlValued: ReadonlySet<TemplateVariable> = new Set(['baseUrl', 'apiBase']);

/**
 * Fills a catalogue URL template. A missing value is a programming error
 * (the caller picked a template it cannot fill) and throws.
 */
export function expandUrl(template: string, values: TemplateValues): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (_, name: TemplateVariable) => {
    const value = values[name];
    if (value === undefined) throw new Error(`The URL template ${template} needs {${name}}.`);
    return urlValued.has(name) ? value : encodeURIComponent(value);
  });
}

/** The REST API root of a host, or null where the kind has none to name (Azure DevOps writes full URLs). */
export function apiBase(kind: ProviderKind, baseUrl: string): string | null {
  const { host } = providerCatalogue[kind];
  const template = host.default !== null && baseUrl === host.default ? host.api.defaultHost : host.api.otherHost;
  return template === null ? null : expandUrl(template, { baseUrl });
}

/** The values every template of a host can use: {baseUrl} and, where the kind has one, {apiBase}. */
export function hostValues(kind: ProviderKind, baseUrl: string, extra: Omit<TemplateValues, 'baseUrl' | 'apiBase'> = {}): TemplateValues {
  const api = apiBase(kind, baseUrl);
  return api === null ? { ...extra, baseUrl } : { ...extra, baseUrl, apiBase: api };
}
