import { z } from 'zod';
import { errorDataSchema } from '../errors';
import {
  addRemoteRunnerInputSchema,
  appInfoSchema,
  collectDiagnosticsResultSchema,
  diagnosticsSchema,
  deleteProviderInputSchema,
  deleteProviderResultSchema,
  discoverTenantInputSchema,
  discoverTenantResultSchema,
  desktopSettingsSchema,
  environmentListResultSchema,
  environmentMatchSchema,
  environmentRefSchema,
  environmentRequestSchema,
  uiActionSchema,
  environmentSchema,
  noticeSchema,
  preferencesPatchSchema,
  preferencesSchema,
  remoteRunnerProbeInputSchema,
  remoteRunnerProbeSchema,
  registerManagedRunnerInputSchema,
  removeRunnerInputSchema,
  renameRunnerInputSchema,
  runnerIdInputSchema,
  runnerSchema,
  saveProviderInputSchema,
  saveProviderResultSchema,
} from './schemas';
import { providerViewSchema } from '../provider-config';
import {
  cloneDepthSchema,
  connectPatRequestSchema,
  deletedCountSchema,
  environmentChangesSchema,
  environmentUrlInputSchema,
  jobEventSchema,
  jobIdSchema,
  jobStartSchema,
  jobViewSchema,
  oauthCallbackKindSchema,
  redirectUriSchema,
  tokenIdSchema,
  tokenSelectorSchema,
  tokenViewSchema,
} from '../runner-api';
import { hostAccessSchema } from './hosts';

const runnerIdSchema = z.string().min(1).max(200);
const jobRefSchema = z.object({ runnerId: runnerIdSchema, jobId: jobIdSchema }).strict();

/** One job's event, for the screen that shows that job (progress is never sent as a snapshot of every job). */
export const appJobEventSchema = z
  .object({
    runnerId: runnerIdSchema,
    jobId: jobIdSchema,
    event: jobEventSchema.refine((event) => event.type !== 'ping', 'keep-alive lines stay between core and runner'),
  })
  .strict();

/** An OAuth attempt the app started (A1): its job on the runner, and what the browser was sent to. */
export const oauthAttemptSchema = z
  .object({
    runnerId: runnerIdSchema,
    job: jobViewSchema,
    /** The provider's page, opened in the system browser (shown too, for copying into another browser). */
    authorizeUrl: z.url({ protocol: /^https?$/ }).max(8192),
    expiresAt: z.iso.datetime(),
    /** How the provider hands the answer back: the paddock:// scheme, a loopback address, or the runner's own https address. */
    callback: oauthCallbackKindSchema,
    redirectUri: redirectUriSchema,
    /**
     * True when the browser cannot hand the answer back by itself: the
     * provider is sent to paddock:// while Paddock is not the scheme's
     * handler on this machine. The dialog then offers pasting the address
     * at once. Absent: false.
     */
    pasteNeeded: z.boolean().optional(),
  })
  .strict();
export type OAuthAttempt = z.infer<typeof oauthAttemptSchema>;

/** Bumped whenever a method or event changes incompatibly. */
export const APP_API_VERSION = 1;

/** Methods that take nothing are sent `null`, so both transports carry the same JSON. */
export const noInput = z.null();

interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly summary: string;
}

function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, summary: string): MethodSpec<I, O> {
  return { input, output, summary };
}

/**
 * Everything the renderer may ask. Adding a method here is the first of the
 * three steps in docs/architecture.md ("Adding an API method").
 */
export const apiMethods = {
  getAppInfo: method(noInput, appInfoSchema, 'What this app is and where it runs.'),
  getPreferences: method(noInput, preferencesSchema, "The user's preferences."),
  updatePreferences: method(preferencesPatchSchema, preferencesSchema, 'Changes some preferences and returns them all.'),
  listRunners: method(noInput, z.array(runnerSchema), 'The runners this app knows, with their live health.'),
  getRunner: method(runnerIdInputSchema, runnerSchema, 'One runner.'),
  probeRemoteRunner: method(
    remoteRunnerProbeInputSchema,
    remoteRunnerProbeSchema,
    'Connects to a runner on a server, checks that it holds the registration token and its keys, and returns the fingerprint to compare. Registers nothing.',
  ),
  addRemoteRunner: method(
    addRemoteRunnerInputSchema,
    runnerSchema,
    'Registers this workstation with a runner on a server whose fingerprint the admin confirmed, and pins its key.',
  ),
  renameRunner: method(renameRunnerInputSchema, runnerSchema, 'Renames a runner.'),
  registerManagedRunner: method(
    registerManagedRunnerInputSchema,
    runnerSchema,
    'Registers this workstation with a runner the admin policy provisions (its key and fingerprint come from the policy), using a registration token.',
  ),
  removeRunner: method(removeRunnerInputSchema, z.array(runnerSchema), "Removes a runner and deletes what it stores for this workstation (tokens, keys); returns the runners left."),
  restartRunner: method(runnerIdInputSchema, runnerSchema, 'Starts the local runner again (for example after the keychain was unlocked); for a remote runner, checks it again now.'),
  setUpLocalRunner: method(noInput, runnerSchema, 'Creates and starts the local runner if there is none.'),
  listProviders: method(runnerIdInputSchema, z.array(providerViewSchema), "A runner's repository access entries (never a client secret, only whether one is set)."),
  saveProvider: method(
    saveProviderInputSchema,
    saveProviderResultSchema,
    'Adds or edits a provider entry on a runner; the client secret arrives sealed to the runner. The runner validates it: only what is wrong in the form refuses the save; warnings (the network’s findings among them) need confirmWarnings, unless accepted before for the same values.',
  ),
  deleteProvider: method(deleteProviderInputSchema, deleteProviderResultSchema, "Deletes a provider entry and every user's tokens for it."),
  discoverTenant: method(
    discoverTenantInputSchema,
    discoverTenantResultSchema,
    "Asks Azure DevOps (through the runner) which Entra tenant an organization belongs to; null when it cannot tell.",
  ),
  listHosts: method(
    noInput,
    z.array(hostAccessSchema),
    'Every host some runner has repository access to: which runner, the ways to connect, and this user’s connection per Azure DevOps organization.',
  ),
  connectWithPat: method(
    connectPatRequestSchema.extend({ runnerId: runnerIdSchema }).strict(),
    tokenViewSchema,
    'Gives a runner a pasted personal access token, sealed in the page to the runner’s key for that host (and Azure DevOps organization); the runner checks it with the provider and keeps it only if it passes.',
  ),
  connectOAuth: method(
    z
      .object({
        runnerId: runnerIdSchema,
        host: z.string().min(1).max(2048),
        /** Azure DevOps Services: the organization to connect (its tenant signs the user in); null elsewhere. */
        organization: z.string().min(1).max(256).nullable(),
      })
      .strict(),
    oauthAttemptSchema,
    'Starts an OAuth attempt on the runner for a host (and Azure DevOps organization), opens the provider’s page in the system browser, and answers with the attempt; its end (the token, or why not) arrives as jobEvent. Cancel it with cancelJob.',
  ),
  completeOAuth: method(
    z.object({ url: z.string().min(1).max(8192) }).strict(),
    z.object({ matched: z.boolean() }).strict(),
    'The address the browser ended at after the provider’s page (when it could not hand it back to Paddock): its code and state go to the attempt they belong to. matched is false when no attempt of this app has that state.',
  ),
  listTokens: method(runnerIdInputSchema, z.array(tokenViewSchema), 'This user’s tokens on a runner: host, organization, account, method, expiry, state (never the token).'),
  useToken: method(
    z.object({ runnerId: runnerIdSchema, id: tokenIdSchema }).strict(),
    z.array(tokenViewSchema),
    'Makes one of this user’s accounts the one used for its host (and organization); returns the user’s tokens on that runner.',
  ),
  logOut: method(
    tokenSelectorSchema.omit({ method: true }).extend({ runnerId: runnerIdSchema }).strict(),
    deletedCountSchema,
    'Deletes this user’s tokens for a host on a runner (only that Azure DevOps organization’s when one is named, only one account’s when its id is given); returns how many.',
  ),
  startJob: method(
    z.object({ runnerId: runnerIdSchema, job: jobStartSchema }).strict(),
    jobViewSchema,
    'Starts a job on a runner (a provider check, a token check; later a clone) and answers at once; its events arrive as jobEvent. OAuth attempts start with connectOAuth.',
  ),
  getJob: method(jobRefSchema, jobViewSchema, 'A job’s state, latest progress and outcome.'),
  cancelJob: method(jobRefSchema, jobViewSchema, 'Cancels a job; answers once the runner has stopped its work.'),
  listEnvironments: method(
    noInput,
    environmentListResultSchema,
    'This user’s environments on every runner, newest first, each as its runner reports it; a runner that could not be asked is named in `unavailable`.',
  ),
  matchEnvironment: method(
    z.object({ url: environmentUrlInputSchema }).strict(),
    environmentMatchSchema,
    'Reads a repository URL (pasted, dropped or linked) with the context-URL parser and names the runners whose repository access covers it, with this user’s connection on each; nothing is created.',
  ),
  createEnvironment: method(
    z
      .object({
        runnerId: runnerIdSchema,
        url: z.string().trim().min(1).pipe(environmentUrlInputSchema),
        tokenId: tokenIdSchema.nullable(),
        depth: cloneDepthSchema,
        /** Remember this runner for new environments of the URL's host (and organization). */
        remember: z.boolean(),
      })
      .strict(),
    z.object({ environment: environmentSchema, job: jobViewSchema }).strict(),
    'Creates an environment on a runner from a repository URL and starts its clone; its progress and end arrive as jobEvent.',
  ),
  retryEnvironment: method(environmentRefSchema, z.object({ environment: environmentSchema, job: jobViewSchema }).strict(), 'Clones a failed or cancelled environment again.'),
  environmentChanges: method(environmentRefSchema, environmentChangesSchema, 'What deleting an environment would lose: uncommitted files, unpushed commits, stashes.'),
  deleteEnvironment: method(environmentRefSchema, z.object({ ok: z.literal(true) }).strict(), 'Deletes an environment and its working copy on its runner (one being cloned is cancelled first).'),
  listEnvironmentRequests: method(
    noInput,
    z.array(environmentRequestSchema),
    'The repository URLs that arrived from a paddock://open link or the command line and wait for the user to confirm or decline them, oldest first. Nothing has been created from them.',
  ),
  resolveEnvironmentRequest: method(
    z.object({ id: environmentRequestSchema.shape.id }).strict(),
    z.array(environmentRequestSchema),
    'Removes a waiting request once the user answered it (confirmed, or declined with nothing created); returns those left. One already gone is not an error.',
  ),
  openEnvironment: method(
    environmentRefSchema.extend({ target: z.enum(['folder', 'editor', 'terminal']) }).strict(),
    z
      .object({
        ok: z.literal(true),
        /** Set when the editor or terminal chosen in Settings is no longer installed: what was opened instead, for the user. */
        note: z.string().min(1).max(500).optional(),
      })
      .strict(),
    'Opens a ready environment of the local runner (its folder, or the sub-folder its URL named) in the file manager, the code editor or a terminal (the ones chosen in Settings). The core asks the runner where it is; no path is sent.',
  ),
  desktopEditor: method(
    noInput,
    z.object({ name: z.string().min(1).max(200) }).strict().nullable(),
    'The code editor openEnvironment’s `editor` uses (the one chosen in Settings; automatically Visual Studio Code when it is installed); null: the system’s default app for folders.',
  ),
  getDesktopSettings: method(
    noInput,
    desktopSettingsSchema,
    'What the Settings screen shows beside the preferences: the editors and terminals this computer offers, whether a tray icon can show, whether start at login works here (and what the OS says), and the network values the admin policy sets.',
  ),
  takeUiActions: method(
    noInput,
    z.array(uiActionSchema),
    'What the main process asked the window to show (a tray item or a notification was clicked), oldest first. Each is given once: taking them empties the list.',
  ),
  getDiagnostics: method(
    noInput,
    diagnosticsSchema,
    'About: the app’s and its runtime’s versions, each runner’s state and version, whether paddock:// links reach Paddock, the tray, and where its settings, logs and local runner data are. Never a token.',
  ),
  collectDiagnostics: method(
    noInput,
    collectDiagnosticsResultSchema,
    'Makes a zip of the logs (their last 5 MB), the settings and the state of runners, accounts, jobs, environments and notices, all redacted, and saves it where the user chooses (the desktop asks); saved is false when the user cancelled.',
  ),
  listNotices: method(noInput, z.array(noticeSchema), 'Things the user should know about, such as a settings file that was moved aside.'),
  dismissNotice: method(z.object({ id: z.string().min(1).max(200) }).strict(), z.array(noticeSchema), 'Dismisses a notice and returns those left.'),
} as const;

/** Events the renderer may subscribe to, as `on<Name>(listener)`. */
export const apiEvents = {
  preferencesChanged: preferencesSchema,
  runnersChanged: z.array(runnerSchema),
  noticesChanged: z.array(noticeSchema),
  hostsChanged: z.array(hostAccessSchema),
  /** Per job: subscribers keep the events of the job they show (see `jobEventsFor`). */
  jobEvent: appJobEventSchema,
  /** The waiting environment requests after a change (one arrived, one was resolved), oldest first. */
  environmentRequestsChanged: z.array(environmentRequestSchema),
  /** Something waits for `takeUiActions` (the window should take it now). */
  uiActionsWaiting: z.object({ count: z.number().int().min(1) }).strict(),
} as const;

export type ApiMethods = typeof apiMethods;
export type ApiMethodName = keyof ApiMethods;
export type ApiEvents = typeof apiEvents;
export type ApiEventName = keyof ApiEvents;

export type MethodInput<K extends ApiMethodName> = z.input<ApiMethods[K]['input']>;
export type MethodOutput<K extends ApiMethodName> = z.output<ApiMethods[K]['output']>;
export type EventPayload<K extends ApiEventName> = z.output<ApiEvents[K]>;

export type Unsubscribe = () => void;
export type EventSubscriberName<K extends ApiEventName> = `on${Capitalize<K>}`;

type MethodFunctions = {
  [K in ApiMethodName]: MethodInput<K> extends null
    ? () => Promise<MethodOutput<K>>
    : (input: MethodInput<K>) => Promise<MethodOutput<K>>;
};

type EventSubscribers = {
  [K in ApiEventName as EventSubscriberName<K>]: (listener: (payload: EventPayload<K>) => void) => Unsubscribe;
};

/**
 * The app API: what `window.paddock` is in the renderer, and what the core
 * implements. Methods reject with a `PaddockErrorData`-shaped value.
 */
export type PaddockApi = MethodFunctions & EventSubscribers;

export function eventSubscriberName<K extends ApiEventName>(event: K): EventSubscriberName<K> {
  return `on${event.charAt(0).toUpperCase()}${event.slice(1)}` as EventSubscriberName<K>;
}

/** A listener for one job's events only, for `onJobEvent`. */
export function jobEventsFor(runnerId: string, jobId: string, listener: (event: z.output<typeof appJobEventSchema>['event']) => void) {
  return (payload: z.output<typeof appJobEventSchema>) => {
    if (payload.runnerId === runnerId && payload.jobId === jobId) listener(payload.event);
  };
}

export function isApiMethodName(name: unknown): name is ApiMethodName {
  return typeof name === 'string' && Object.hasOwn(apiMethods, name);
}

export function isApiEventName(name: unknown): name is ApiEventName {
  return typeof name === 'string' && Object.hasOwn(apiEvents, name);
}

/** What a transport carries back for one call. */
export const envelopeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }).strict(),
  z.object({ ok: z.literal(false), error: errorDataSchema }).strict(),
]);
export type Envelope = z.infer<typeof envelopeSchema>;

/** IPC channel names; the WebSocket bridge uses the same words as message types. */
export const ipcChannels = {
  call: 'paddock:call',
  event: 'paddock:event',
} as const;
