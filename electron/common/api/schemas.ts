import { z } from 'zod';
import { providerInputSchema, providerViewSchema } from '../provider-config';
import { providerKindSchema } from '../provider-kind';
import { contextUrlErrorSchema, contextUrlSchema } from '../context-url/schema';
import { environmentIdSchema, environmentUrlInputSchema, environmentViewSchema } from '../runner-api/environments';
import { discoverTenantResponseSchema, saveProviderResponseSchema } from '../runner-api/routes';
import { connectionStateSchema } from './hosts';

export const themeSchema = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof themeSchema>;

/** An editor or terminal id: 'auto' (the best the machine has), or one the desktop lists (electron/main/desktop-launch.ts). */
export const desktopToolChoiceSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/);

/** The local runner's network as the user sets it (PRODUCT D4); the admin policy's, where it sets one, wins. */
export const networkPreferencesSchema = z
  .object({
    /** http(s)://host:port of the proxy git and the runner use; null: none (or the system's variables). */
    proxy: z.string().max(2048).nullable(),
    /** Hosts reached without the proxy, comma-separated as in NO_PROXY. */
    noProxy: z.string().max(4096).nullable(),
    /** A PEM file of extra certificate authorities (a company's TLS inspection), added to the system's. */
    caFile: z.string().max(4096).nullable(),
  })
  .strict();
export type NetworkPreferences = z.infer<typeof networkPreferencesSchema>;

export const preferencesSchema = z
  .object({
    theme: themeSchema,
    /** Start Paddock when the user logs in to the computer. Off by default. */
    startAtLogin: z.boolean(),
    /** Closing the window keeps Paddock running in the tray (where a tray can show). */
    keepInTray: z.boolean(),
    /** System notifications: a host connected, an environment ready or failed, a token expiring, a runner failed. */
    notifications: z.boolean(),
    /** The editor "Open in editor" uses. */
    editor: desktopToolChoiceSchema,
    /** The terminal "Open terminal" uses. */
    terminal: desktopToolChoiceSchema,
    network: networkPreferencesSchema,
  })
  .strict();
export type Preferences = z.infer<typeof preferencesSchema>;

export const preferencesPatchSchema = preferencesSchema.partial().strict();
export type PreferencesPatch = z.infer<typeof preferencesPatchSchema>;

/** An editor or terminal Settings offers: its id (the preference's value), its name, and whether this computer has it. */
export const desktopToolSchema = z.object({ id: desktopToolChoiceSchema, name: z.string().min(1).max(200), installed: z.boolean() }).strict();
export type DesktopTool = z.infer<typeof desktopToolSchema>;

/** The network values the admin policy sets for the local runner (they win over the user's); null where it sets none. */
export const policyNetworkViewSchema = z
  .object({
    /** The policy file they come from. */
    source: z.string().min(1).max(4096),
    /** The proxy's address without any user name or password. */
    proxy: z.string().max(2048).nullable(),
    noProxy: z.string().max(4096).nullable(),
    caFile: z.string().max(4096).nullable(),
  })
  .strict();
export type PolicyNetworkView = z.infer<typeof policyNetworkViewSchema>;

/** What the Settings screen shows beside the preferences: what this computer offers, and what the admin policy decides. */
export const desktopSettingsSchema = z
  .object({
    /** The editors Settings offers on this OS, installed or not; the system's default app for folders among them. */
    editors: z.array(desktopToolSchema).max(50),
    terminals: z.array(desktopToolSchema).max(50),
    /** What the automatic choice opens now: an editor's name (null: the system's default app for folders). */
    automaticEditor: z.string().min(1).max(200).nullable(),
    /** What the automatic choice opens now: a terminal's name (null: no terminal is installed). */
    automaticTerminal: z.string().min(1).max(200).nullable(),
    /** Whether a tray icon can show on this desktop; null: Paddock cannot tell (some Linux desktops show none). */
    trayAvailable: z.boolean().nullable(),
    startAtLogin: z
      .object({
        /** Whether Paddock can start at login here at all. */
        supported: z.boolean(),
        /** What the operating system says now (the user may have changed it in the system's settings); null: it cannot tell. */
        enabled: z.boolean().nullable(),
      })
      .strict(),
    /** The admin policy's network for the local runner; null when it sets none. */
    networkPolicy: policyNetworkViewSchema.nullable(),
  })
  .strict();
export type DesktopSettings = z.infer<typeof desktopSettingsSchema>;

/** One simulated provider: what a person enters to try it, and what it accepts. */
export const simulatedProviderSchema = z
  .object({
    kind: providerKindSchema,
    /** What the page calls it, e.g. "GitHub Enterprise Server". */
    name: z.string().min(1).max(100),
    /** What to enter in "Add a new provider", in the dialog's order, labelled as the dialog labels the field. */
    fields: z.array(z.object({ label: z.string().min(1).max(100), value: z.string().min(1).max(2048) }).strict()).max(20),
    /** The account the simulated provider says is signed in. */
    account: z.string().min(1).max(200),
    /** A personal access token the simulated provider accepts: a made-up value, shown on purpose. */
    personalAccessToken: z.string().min(1).max(400),
    /** Repository URLs it serves, to make environments from (a pull request, a branch with slashes, …). */
    repositories: z.array(z.string().min(1).max(2048)).max(10),
  })
  .strict();
export type SimulatedProvider = z.infer<typeof simulatedProviderSchema>;

/** The web host's simulated providers (`npm run dev:web -- --simulate`, development only). */
export const simulationSchema = z.object({ providers: z.array(simulatedProviderSchema).min(1).max(20) }).strict();
export type Simulation = z.infer<typeof simulationSchema>;

export const appInfoSchema = z
  .object({
    name: z.string(),
    version: z.string(),
    apiVersion: z.number().int().positive(),
    /** 'electron' for the product, 'web' for the web host used in development and tests. */
    shell: z.enum(['electron', 'web']),
    platform: z.string(),
    /** Set only by the web host in simulate mode; the app always sends null. */
    simulation: simulationSchema.nullable().optional(),
  })
  .strict();
export type AppInfo = z.infer<typeof appInfoSchema>;

const idSchema = z.string().min(1).max(200);

/** 'unregistered': a runner the admin policy provisions, which this workstation has not registered with yet. */
export const runnerStateSchema = z.enum(['starting', 'online', 'degraded', 'offline', 'failed', 'unregistered']);
export type RunnerState = z.infer<typeof runnerStateSchema>;

/** What the app knows of a runner right now, from its heartbeat. */
export const runnerHealthSchema = z
  .object({
    state: runnerStateSchema,
    /** A sentence for the user when the state is not 'online' (what is wrong, what to do). */
    message: z.string().max(2000).nullable(),
    version: z.string().max(100).nullable(),
    apiVersion: z.number().int().positive().nullable(),
    /** When the runner last answered (ISO 8601), null if never. */
    lastSeen: z.iso.datetime().nullable(),
  })
  .strict();
export type RunnerHealth = z.infer<typeof runnerHealthSchema>;

/** A runner as the app lists it. */
export const runnerSchema = z
  .object({
    id: idSchema,
    name: z.string().min(1).max(200),
    kind: z.enum(['local', 'remote']),
    /** Provisioned by the admin policy: it cannot be renamed or removed here (S7). */
    managed: z.boolean(),
    /** The remote runner's https URL; null for the local runner. */
    url: z.string().max(2048).nullable(),
    /** X25519 public key (base64) that client secrets are sealed to; null until the runner first starts. */
    publicKey: z.string().max(100).nullable(),
    /** The runner's own id (its runner.json), which sealed client secrets are bound to; null until first seen. */
    runnerUid: z.string().max(100).nullable(),
    /** Pinned SHA-256 of the remote runner's TLS public key, `sha256/<base64>`; null for the local runner. */
    spki: z.string().max(100).nullable(),
    createdAt: z.iso.datetime(),
    health: runnerHealthSchema,
    /**
     * This workstation's role on the runner: 'admin' may change repository
     * access, 'user' reads it; null until the runner first answered.
     */
    role: z.enum(['admin', 'user']).nullable(),
    /**
     * A remote runner's own https callback URL, when browsers trust its
     * certificate (its admin's own): the OAuth redirect may then go to the
     * runner itself. Null or absent: the workstation receives it.
     */
    oauthCallback: z.string().max(2100).nullable().optional(),
  })
  .strict();
export type Runner = z.infer<typeof runnerSchema>;

export const runnerIdInputSchema = z.object({ id: idSchema }).strict();

export const runnerNameSchema = z.string().trim().min(1, 'Give the runner a name.').max(80, 'Keep the name under 80 characters.');

/** What the admin types in "Add a runner on a server". */
export const remoteRunnerProbeInputSchema = z
  .object({
    url: z.string().trim().min(1, 'Enter the runner’s URL.').max(2048),
    token: z.string().trim().min(1, 'Paste the registration token.').max(200),
  })
  .strict();

/** What the app saw: the admin compares the fingerprint with the one the runner printed. */
export const remoteRunnerProbeSchema = z
  .object({
    url: z.string(),
    spki: z.string(),
    publicKey: z.string(),
    version: z.string(),
    apiVersion: z.number().int().positive(),
    tokenExpiresAt: z.iso.datetime(),
  })
  .strict();
export type RemoteRunnerProbe = z.infer<typeof remoteRunnerProbeSchema>;

export const addRemoteRunnerInputSchema = remoteRunnerProbeInputSchema
  .extend({
    name: runnerNameSchema,
    /** The fingerprint the admin confirmed; registration fails if the runner now shows another. */
    spki: z.string().regex(/^sha256\/[A-Za-z0-9+/]{43}=$/),
  })
  .strict();

export const removeRunnerInputSchema = z
  .object({
    id: idSchema,
    /** Remove it from this app even if the runner cannot be reached to delete what it stores. */
    force: z.boolean().optional(),
  })
  .strict();

export const registerManagedRunnerInputSchema = z
  .object({ id: idSchema, token: z.string().trim().min(1, 'Paste the registration token.').max(200) })
  .strict();

export const renameRunnerInputSchema = z.object({ id: idSchema, name: runnerNameSchema }).strict();

/** An environment as the app lists it: the runner's view of it, and which runner holds it. */
export const environmentSchema = environmentViewSchema.extend({ runnerId: idSchema, runnerName: z.string().max(200) }).strict();
export type Environment = z.infer<typeof environmentSchema>;

/** Every runner's environments; a runner that could not be asked is named, so the list is never silently short. */
export const environmentListResultSchema = z
  .object({
    environments: z.array(environmentSchema).max(5000),
    unavailable: z.array(z.object({ runnerId: idSchema, runnerName: z.string().max(200), message: z.string().max(2000) }).strict()).max(100),
  })
  .strict();

/** A runner that could make an environment from a URL, with this user's connection there. */
export const environmentCandidateSchema = z
  .object({
    runnerId: idSchema,
    runnerName: z.string().max(200),
    host: z.string().max(2048),
    organization: z.string().max(256).nullable(),
    connection: connectionStateSchema,
    methods: z.object({ oauth: z.boolean(), pat: z.boolean() }).strict(),
  })
  .strict();
export type EnvironmentCandidate = z.infer<typeof environmentCandidateSchema>;

/** A URL read for the intake: what it names, and which runners could make it (none: `missing` says which admin setting). */
export const environmentMatchSchema = z.discriminatedUnion('ok', [
  z
    .object({
      ok: z.literal(true),
      context: contextUrlSchema,
      candidates: z.array(environmentCandidateSchema).max(100),
      /** The runner the user chose before for this host (and organization), when it is still a candidate. */
      remembered: idSchema.nullable(),
      missing: z.string().max(2000).nullable(),
    })
    .strict(),
  contextUrlErrorSchema,
]);
export type EnvironmentMatch = z.infer<typeof environmentMatchSchema>;

/**
 * Where a request to create an environment came from: a paddock://open
 * link, the command line's `open <url>`, the tray menu's "New environment
 * from clipboard", or a link dropped on the tray icon (macOS).
 */
export const environmentRequestSourceSchema = z.enum(['link', 'command line', 'tray', 'tray drop']);
export type EnvironmentRequestSource = z.infer<typeof environmentRequestSourceSchema>;

/**
 * A URL that arrived from outside the window (a paddock://open link, the
 * command line) and waits for the user's answer: nothing is created until
 * they confirm it on the Environments screen.
 */
export const environmentRequestSchema = z
  .object({
    id: z.string().regex(/^r_[0-9a-f]{16}$/),
    url: z.string().min(1).pipe(environmentUrlInputSchema),
    source: environmentRequestSourceSchema,
    receivedAt: z.iso.datetime(),
  })
  .strict();
export type EnvironmentRequest = z.infer<typeof environmentRequestSchema>;

export const environmentRefSchema = z.object({ runnerId: idSchema, id: environmentIdSchema }).strict();

/**
 * What the main process asks the window to show, because the user clicked
 * something outside it (a tray item, a notification). Kept by the core until
 * the window takes it (`takeUiActions`), so one that arrives before the window
 * loaded is delivered once it has, once, in order.
 */
export const uiActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('show-screen'), screen: z.enum(['runners', 'environments', 'accounts', 'settings']) }).strict(),
  /** "Log in…" or "Reconnect…": the connect dialog for a host (and Azure DevOps organization) of a runner. */
  z
    .object({
      type: z.literal('connect'),
      runnerId: idSchema,
      host: z.string().min(1).max(2048),
      organization: z.string().min(1).max(200).nullable(),
    })
    .strict(),
  /** One environment, on the Environments screen. */
  z.object({ type: z.literal('show-environment'), runnerId: idSchema, id: environmentIdSchema }).strict(),
]);
export type UiAction = z.infer<typeof uiActionSchema>;

export const noticeSchema = z
  .object({
    id: idSchema,
    level: z.enum(['info', 'warning', 'error']),
    message: z.string().max(2000),
  })
  .strict();
export type Notice = z.infer<typeof noticeSchema>;

/** Repository access (issue 4): the app API's view of a runner's provider entries. */
export const saveProviderInputSchema = z
  .object({
    runnerId: idSchema,
    provider: providerInputSchema,
    previousHost: z.string().max(2048).nullable(),
    confirmWarnings: z.boolean(),
    /** The codes of the warnings the admin saw when they chose Save anyway (runner API: saveProviderRequestSchema). */
    warningsSeen: z.array(z.string().max(100)).max(200).optional(),
  })
  .strict();

/** The runner's answer, as the runner API contract defines it. */
export const saveProviderResultSchema = saveProviderResponseSchema;
export type SaveProviderResult = z.infer<typeof saveProviderResultSchema>;

export const deleteProviderInputSchema = z.object({ runnerId: idSchema, host: z.string().min(1).max(2048) }).strict();
export const deleteProviderResultSchema = z
  .object({ deletedTokens: z.number().int().nonnegative(), providers: z.array(providerViewSchema) })
  .strict();

export const discoverTenantInputSchema = z
  .object({ runnerId: idSchema, organization: z.string().trim().min(1).max(256) })
  .strict();
/** What `HEAD https://dev.azure.com/{organization}` said about the organization's Entra tenant (runner API contract). */
export const discoverTenantResultSchema = discoverTenantResponseSchema;

/** Whether the tray icon shows: 'shown', 'none' (this desktop shows no tray icons), or 'unknown' (not reported). */
export const trayStateSchema = z.enum(['shown', 'none', 'unknown']);
export type TrayState = z.infer<typeof trayStateSchema>;

const diagnosticsPathSchema = z.string().min(1).max(4096);

/** About: what runs, where its files are, whether paddock:// links come back (never a token or a secret). */
export const diagnosticsSchema = z
  .object({
    app: z
      .object({
        name: z.string().max(100),
        version: z.string().max(100),
        shell: appInfoSchema.shape.shell,
        platform: z.string().max(50),
        arch: z.string().max(50),
      })
      .strict(),
    /** What runs Paddock: Electron and Chromium in the desktop app (null in the web host), and Node.js. */
    runtime: z
      .object({ electron: z.string().max(50).nullable(), chrome: z.string().max(50).nullable(), node: z.string().max(50) })
      .strict(),
    /** Each runner with its live health and the version it reported (null until it answered). */
    runners: z
      .array(
        z
          .object({
            id: idSchema,
            name: z.string().max(200),
            kind: runnerSchema.shape.kind,
            state: runnerStateSchema,
            version: z.string().max(100).nullable(),
            apiVersion: z.number().int().positive().nullable(),
            lastSeen: z.iso.datetime().nullable(),
          })
          .strict(),
      )
      .max(100),
    protocolHandler: z
      .object({
        /** Paddock is the operating system's handler of paddock:// links: the browser hands sign-in answers back to it. */
        isDefault: z.boolean(),
        /** More the desktop can say about it (which program has the links instead, how they were registered); null when nothing. */
        note: z.string().max(2000).nullable(),
      })
      .strict(),
    tray: trayStateSchema,
    paths: z
      .object({
        settingsFile: diagnosticsPathSchema,
        /** Null: this app keeps no log files (tests of other parts). */
        logsFolder: diagnosticsPathSchema.nullable(),
        /** The local runner's own folder (its keys, its vault, its environments' records); null without a local runner. */
        localRunnerData: diagnosticsPathSchema.nullable(),
      })
      .strict(),
    /** Whether `collectDiagnostics` can save a zip here. */
    canCollect: z.boolean(),
  })
  .strict();
export type Diagnostics = z.infer<typeof diagnosticsSchema>;

/** What "Collect diagnostics" did: the zip saved where the user chose (or the web host's data folder), or nothing saved (they cancelled). */
export const collectDiagnosticsResultSchema = z.discriminatedUnion('saved', [
  z
    .object({
      saved: z.literal(true),
      path: diagnosticsPathSchema,
      bytes: z.number().int().nonnegative(),
      /** The files in the zip, README.txt first. */
      entries: z.array(z.string().min(1).max(200)).max(50),
    })
    .strict(),
  z.object({ saved: z.literal(false) }).strict(),
]);
export type CollectDiagnosticsResult = z.infer<typeof collectDiagnosticsResultSchema>;
