import type { ProviderKind } from '../provider-kind';
import { providerCatalogue } from './catalogue';
import { suggestedPatDays } from './constants';
import type { Deadline } from './schema';
import { expandUrl, hostValues } from './templates';

// The "create a token" link of PRODUCT A3: the provider's new-token page,
// with name and scopes pre-set where the provider takes them in the URL.
// No provider in the catalogue takes the validity in the URL, so the days
// are always among what the user chooses by hand (each shown with a copy
// button).

export interface PatLink {
  readonly ok: true;
  readonly url: string;
  /** Which values the URL pre-sets; the dialog shows the rest to choose by hand. */
  readonly prefilled: { readonly name: boolean; readonly scopes: boolean; readonly days: false };
  /** False when the page or its pre-fill parameters are not confirmed (the dialog shows everything to copy anyway). */
  readonly confirmed: boolean;
  /** What to choose on the page, whatever the URL pre-set. */
  readonly choose: { readonly name: string; readonly scopes: readonly string[]; readonly days: number };
  /** Sentences to show beside the link (per-organization tokens, retired token kinds, …); a deadline is rendered relative to today. */
  readonly notes: readonly PatNote[];
}

export interface PatNote {
  readonly text: string;
  readonly deadline?: Deadline;
}

export type PatLinkResult = PatLink | { readonly ok: false; readonly message: string };

export interface PatLinkOptions {
  /** The token's name, e.g. "Paddock on alice-laptop". */
  readonly name: string;
  /** The validity to suggest; PRODUCT A3 suggests 30 days. */
  readonly days?: number;
  /** Azure DevOps: the organisation the token is for (tokens are per organisation). */
  readonly organization?: string;
  /** Azure DevOps Server: the collection whose settings hold the token page. */
  readonly collection?: string;
}

export function patNewTokenUrl(kind: ProviderKind, baseUrl: string, options: PatLinkOptions): PatLinkResult {
  const { pat, displayName } = providerCatalogue[kind];
  const name = options.name.trim();
  if (name === '') return { ok: false, message: 'Give the token a name.' };
  const days = options.days ?? suggestedPatDays;
  if (!Number.isInteger(days) || days < 1) return { ok: false, message: 'The validity must be a whole number of days.' };
  if (pat.page.needs === 'organization' && !options.organization?.trim()) {
    return { ok: false, message: `${displayName} tokens belong to one organization: choose it first.` };
  }
  if (pat.page.needs === 'collection' && !options.collection?.trim()) {
    return { ok: false, message: `${displayName} tokens are made in a collection’s user settings: choose the collection first.` };
  }
  const values = hostValues(kind, baseUrl, {
    ...(options.organization ? { organization: options.organization.trim() } : {}),
    ...(options.collection ? { collection: options.collection.trim() } : {}),
  });
  const scopes = pat.scopes.map((scope) => scope.scope);
  let url = expandUrl(pat.page.url, values);
  if (pat.prefill) {
    const list = scopes.map(encodeURIComponent).join(pat.prefill.separator);
    url += `?${pat.prefill.name}=${encodeURIComponent(name)}&${pat.prefill.scopes}=${list}`;
  }
  return {
    ok: true,
    url,
    prefilled: { name: pat.prefill !== null, scopes: pat.prefill !== null, days: false },
    confirmed: pat.page.confirmed && (pat.prefill?.confirmed ?? true),
    choose: { name, scopes, days },
    notes: pat.notes.map((note) => (note.deadline ? { text: note.text, deadline: note.deadline } : { text: note.text })),
  };
}
