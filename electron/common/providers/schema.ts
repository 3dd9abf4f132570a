import { z } from 'zod';
import { providerKindSchema } from '../provider-kind';

// The shape of one provider catalogue entry. Every protocol fact carries its
// provenance: where it comes from (a section of spec/SCM-PROTOCOLS.md, "§1.3",
// or the document read when the spec does not state it) and whether that
// source confirms it. Facts the spec marks [GUESS] or [UNVERIFIED], lists as
// "could not confirm" (§6), or that are inferences or third-party
// observations are `confirmed: false` with a note, so the dialog and the
// runner can treat them as such (warnings, not errors).

export const provenanceShape = {
  /** "§1.3" for a section of spec/SCM-PROTOCOLS.md; otherwise the document read. */
  source: z.string().min(1),
  /** True only when the source states the fact; never for [GUESS], [UNVERIFIED], §6 items, inferences. */
  confirmed: z.boolean(),
  /** Why it is unconfirmed, or what a reader must know. Required when unconfirmed. */
  note: z.string().min(1).optional(),
};

export const provenanceSchema = z.object(provenanceShape).strict();
export type Provenance = z.infer<typeof provenanceSchema>;

/** Adds the "unconfirmed facts say why" rule to an object schema with provenance. */
function sourced<T extends z.ZodRawShape>(shape: T) {
  return z
    .object({ ...shape, ...provenanceShape })
    .strict()
    .refine((fact) => (fact as Provenance).confirmed || typeof (fact as Provenance).note === 'string', {
      message: 'An unconfirmed fact needs a note saying why.',
      path: ['note'],
    });
}

export const templateVariables = ['baseUrl', 'apiBase', 'tenant', 'organization', 'collection'] as const;
export type TemplateVariable = (typeof templateVariables)[number];

/**
 * A URL template. Placeholders: {baseUrl} (the normalised host, no trailing
 * slash), {apiBase} (the provider's REST API root for that host), {tenant},
 * {organization}, {collection} (percent-encoded when expanded).
 */
export const urlTemplateSchema = z
  .string()
  .min(1)
  .refine((template) => /^(https?:\/\/|\{baseUrl\}|\{apiBase\}|paddock:\/\/)/.test(template), 'must start with a scheme, {baseUrl} or {apiBase}')
  .refine((template) => [...template.matchAll(/\{([^}]*)\}/g)].every((m) => templateVariables.includes(m[1] as TemplateVariable)), {
    message: 'uses an unknown placeholder',
  });

export const hostRulesSchema = sourced({
  /** The base URL used when the admin changes nothing; null where no public service exists. */
  default: z.string().nullable(),
  /** False for cloud services that live at one host only (Bitbucket Cloud, Azure DevOps Services). */
  changeable: z.boolean(),
  /** What a path after the host means: nothing allowed, a relative root / context path, or the IIS virtual directory. */
  path: z.enum(['none', 'relative-root', 'virtual-directory']),
  /** http:// only where on-premises servers commonly run without TLS, always with a warning. */
  http: z.discriminatedUnion('allowed', [
    z.object({ allowed: z.literal(false) }).strict(),
    z.object({ allowed: z.literal(true), warning: z.string().min(1) }).strict(),
  ]),
  /** An example for the Host field. */
  example: z.string().min(1),
  /** The REST API root: for the default host, and for any other host. */
  api: z.object({ defaultHost: urlTemplateSchema.nullable(), otherHost: urlTemplateSchema.nullable() }).strict(),
});
export type HostRules = z.infer<typeof hostRulesSchema>;

/**
 * What one host serves many of, each configured separately: Azure DevOps
 * organisations (each with its Entra tenant) and Azure DevOps Server
 * collections. Null for the other kinds.
 */
export const unitRulesSchema = sourced({
  unit: z.enum(['organization', 'collection']),
  /** The field label, as the dialog shows it. */
  label: z.enum(['Organization', 'Collection']),
  /** Whether each unit carries an Entra tenant. */
  tenant: z.boolean(),
  /** Whether tokens are kept per unit rather than per host. */
  tokensPerUnit: z.boolean(),
});
export type UnitRules = z.infer<typeof unitRulesSchema>;

export const endpointSchema = sourced({
  method: z.enum(['GET', 'HEAD', 'POST']),
  url: urlTemplateSchema,
});
export type Endpoint = z.infer<typeof endpointSchema>;

export const callbackKinds = ['custom-scheme', 'loopback', 'runner-https'] as const;
export const callbackKindSchema = z.enum(callbackKinds);
export type CallbackKind = z.infer<typeof callbackKindSchema>;

/**
 * A kind of redirect URI the provider accepts. The exact string to register
 * comes from callbackUrl(); `secret` says whether the token exchange then
 * needs the client secret ("not-used": a public client must not send one).
 */
export const callbackRuleSchema = sourced({
  kind: callbackKindSchema,
  /** Loopback only: the host name to register, and whether the port is ignored ("any") or must be Paddock's fixed one. */
  loopback: z.object({ host: z.enum(['127.0.0.1', 'localhost']), port: z.enum(['any', 'fixed']) }).strict().nullable(),
  secret: z.enum(['required', 'optional', 'not-used']),
});
export type CallbackRule = z.infer<typeof callbackRuleSchema>;

export const scopeSchema = sourced({
  /** The scope string as requested (or, for PATs, as the token page names it). */
  scope: z.string().min(1),
  /** Why Paddock needs it, in a sentence the admin can read. */
  reason: z.string().min(1),
});
export type Scope = z.infer<typeof scopeSchema>;

/**
 * A date something stops working on, as data: the UI says it relative to
 * today ("App passwords stopped working on 9 June 2026"), never as fixed
 * text. `what` is plural, as it starts the sentence: "App passwords".
 */
export const deadlineSchema = z
  .object({
    what: z.string().min(1),
    date: z.iso.date(),
  })
  .strict();
export type Deadline = z.infer<typeof deadlineSchema>;

/** A sentence for the admin or user; with a deadline, the UI puts the deadline's sentence before it. */
export const noteSchema = sourced({ text: z.string().min(1), deadline: deadlineSchema.optional() });
export type SourcedNote = z.infer<typeof noteSchema>;

export const oauthSupportedSchema = z
  .object({
    supported: z.literal(true),
    /** What the provider calls the thing the admin registers, and where. */
    registration: sourced({ name: z.string().min(1), where: z.string().min(1), url: urlTemplateSchema.nullable() }),
    authorize: endpointSchema,
    token: endpointSchema,
    /** In order of preference for a runner on the workstation. */
    callbacks: z.array(callbackRuleSchema).min(1),
    pkce: sourced({ support: z.enum(['supported', 'tolerated', 'unsupported']) }),
    /** "request": sent in the authorize URL; "registration": ticked on the app, the request cannot widen them. */
    scopesSetAt: z.enum(['request', 'registration']),
    scopes: z.array(scopeSchema).min(1),
    /** Steps the admin must take on the provider beyond the callback and scopes. */
    setup: z.array(noteSchema),
  })
  .strict();

export const oauthUnsupportedSchema = z
  .object({
    supported: z.literal(false),
    reason: z.string().min(1),
    ...provenanceShape,
  })
  .strict();

export const oauthRulesSchema = z.discriminatedUnion('supported', [oauthSupportedSchema, oauthUnsupportedSchema]);
export type OAuthRules = z.infer<typeof oauthRulesSchema>;
export type SupportedOAuthRules = z.infer<typeof oauthSupportedSchema>;

export const patRulesSchema = z
  .object({
    /** What the provider calls these tokens. */
    name: z.string().min(1),
    /** The page where a user creates one. */
    page: sourced({ url: urlTemplateSchema, needs: z.enum(['host', 'organization', 'collection']) }),
    /** Query parameters that pre-fill the page; null where the provider has none. */
    prefill: sourced({ name: z.string().min(1), scopes: z.string().min(1), separator: z.literal(',') }).nullable(),
    scopes: z.array(scopeSchema).min(1),
    /** How git is given the token (username and password, per the spec). */
    git: sourced({ username: z.string().min(1) }),
    notes: z.array(noteSchema),
  })
  .strict();
export type PatRules = z.infer<typeof patRulesSchema>;

/**
 * An unauthenticated request host validation makes (issue 4 point 4), and
 * what a good answer looks like. An unconfirmed probe is only ever a
 * warning, never a reason to refuse the host.
 */
export const probeSchema = sourced({
  purpose: z.enum(['host', 'organization-tenant', 'tenant-openid-configuration']),
  method: z.enum(['GET', 'HEAD']),
  url: urlTemplateSchema,
  expect: z.discriminatedUnion('type', [
    /** A JSON object with these string fields (and, for OpenID documents, issuer/endpoints checked by the runner). */
    z.object({ type: z.literal('json'), fields: z.array(z.string().min(1)).min(1) }).strict(),
    /** Any status: these response headers carry the answer (Azure DevOps' tenant discovery ignores the status). */
    z.object({ type: z.literal('headers'), anyOf: z.array(z.string().min(1)).min(1) }).strict(),
    /** Only that the server answers HTTP over TLS with one of these statuses. */
    z.object({ type: z.literal('status'), statuses: z.array(z.number().int().min(100).max(599)).min(1) }).strict(),
  ]),
});
export type Probe = z.infer<typeof probeSchema>;

/** How a token is checked and its owner learned (PRODUCT A3), per method. */
export const tokenCheckSchema = sourced({
  method: z.enum(['GET']),
  url: urlTemplateSchema,
  auth: z.enum(['bearer', 'basic-empty-user', 'basic-email', 'bearer-or-basic']),
  /** What the answer tells: the user, granted scopes, expiry. */
  reads: z.string().min(1),
});
export type TokenCheck = z.infer<typeof tokenCheckSchema>;

/**
 * PRODUCT S8: a refusal caused by an organisation setting or a registration
 * mismatch, how to recognise it, and what to tell the user.
 */
export const policyHintSchema = sourced({
  id: z.string().regex(/^[a-z0-9-]+$/),
  method: z.enum(['oauth', 'pat']),
  /** How the refusal shows: HTTP status, error codes or strings in the error / body. */
  match: z.object({ status: z.number().int().optional(), errors: z.array(z.string().min(1)) }).strict(),
  cause: z.string().min(1),
  /** The setting that blocks it, as the provider names it; null when it is not a setting. */
  setting: z.string().min(1).nullable(),
  /** Where the setting is, as a navigation path; null when the spec does not say. */
  where: z.string().min(1).nullable(),
  whereUrl: urlTemplateSchema.nullable(),
  /** What the user is offered instead. */
  offer: z.enum(['pat', 'oauth', 'reconnect', 'fix-registration']).nullable(),
});
export type PolicyHint = z.infer<typeof policyHintSchema>;

export const docsLinkSchema = z
  .object({
    title: z.string().min(1),
    url: z.string().regex(/^https:\/\//),
    /** The spec source this page is the published form of. */
    source: z.string().min(1),
  })
  .strict();
export type DocsLink = z.infer<typeof docsLinkSchema>;

export const catalogueEntrySchema = z
  .object({
    kind: providerKindSchema,
    /** Exactly as the UI shows it (the "Provider" choice). */
    displayName: z.string().min(1),
    /** What it covers, e.g. "github.com and GitHub Enterprise Server". */
    covers: z.string().min(1),
    host: hostRulesSchema,
    units: unitRulesSchema.nullable(),
    oauth: oauthRulesSchema,
    pat: patRulesSchema,
    probes: z.array(probeSchema).min(1),
    tokenCheck: z.object({ oauth: tokenCheckSchema.nullable(), pat: tokenCheckSchema }).strict(),
    policyHints: z.array(policyHintSchema),
    docs: z.array(docsLinkSchema).min(1),
  })
  .strict();
export type CatalogueEntry = z.infer<typeof catalogueEntrySchema>;
