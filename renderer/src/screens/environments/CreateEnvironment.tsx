import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { EnvironmentCandidate, EnvironmentMatch, EnvironmentRequest, HostAccess, PaddockApi } from '../../../../electron/common/api';
import type { CloneDepth, JobView } from '../../../../electron/common/runner-api';
import type { Environment } from '../../../../electron/common/api';
import { isSafeText, UNSAFE_URL_MESSAGE } from '../../../../electron/common/safe-text';
import { errorView } from '../../errors';
import { relativeTime } from '../../format';
import { ConnectDialog } from '../accounts/ConnectDialog';
import type { Arrival } from './WindowIntake';

type Matched = Extract<EnvironmentMatch, { ok: true }>;

const depthChoices: { value: CloneDepth; label: string; hint: string }[] = [
  { value: 'full', label: 'Full', hint: 'Everything' },
  { value: 'shallow', label: 'Shallow', hint: 'Only the latest commit: fastest, no history' },
  { value: 'blobless', label: 'Blobless', hint: 'All commits, file contents as needed' },
];

/** The ref a URL names, in words. */
export function contextRefLabel(ref: Matched['context']['ref']): string {
  if (!ref) return 'default branch';
  if (ref.type === 'pull') return `pull request ${ref.number}`;
  if (ref.type === 'commit') return `commit ${ref.sha.slice(0, 8)}`;
  return ref.type === 'tag' ? `tag ${ref.name}` : `branch ${ref.name}`;
}

function repositoryName(context: Matched['context']): string {
  return [context.owner, context.project, context.repo].filter((part) => part !== null).join('/');
}

/** Where a waiting request came from, as the first words of the confirmation ("… asked to create an environment from this address"). */
const sourceWords: Record<EnvironmentRequest['source'], string> = {
  link: 'A Paddock link',
  'command line': 'The command line',
  tray: 'The tray menu’s New environment from clipboard',
  'tray drop': 'A link dropped on the Paddock icon',
};

/**
 * How long the confirm button of a confirmation stays disabled after what it
 * confirms changed: a click meant for what was there before does not land on
 * what replaced it.
 */
export const confirmSettleMs = 1000;

const needsConnect = (candidate: EnvironmentCandidate) => candidate.connection === 'none' || candidate.connection === 'reconnect-needed';

export interface CreateEnvironmentProps {
  api: PaddockApi;
  onCreated: (environment: Environment, job: JobView) => void;
  /** The latest URL pasted outside a field or dropped on the window: read as if typed and submitted. */
  arrival?: Arrival | null;
  /** The arrival was read: it is not read again when the screen shows next time. */
  onArrivalTaken?: () => void;
  /** The URLs from paddock://open links or the command line that wait for the user's answer, oldest first. */
  requests?: EnvironmentRequest[];
  /** The user answered a request (confirmed or declined): it stops waiting. */
  onResolve?: (id: string) => void;
}

/**
 * The intake (PRODUCT E2, issue 10): a repository URL — typed, pasted,
 * dropped or from a link — read by the runners, a confirmation naming what
 * will be made and where, the account connected first when the runner has
 * none for the host, then the clone. A URL from a link or the command line
 * is always confirmed (or declined) by the user before anything is created.
 *
 * A request never replaces what is on screen: a confirmation, a read under
 * way, a URL the user is typing, the connect dialog. It waits (the screen
 * says so) and is shown once that is answered or cleared. Whenever the
 * confirmation's content changes, its confirm button waits confirmSettleMs
 * before it can be pressed.
 */
export function CreateEnvironment({ api, onCreated, arrival = null, onArrivalTaken = () => {}, requests = [], onResolve = () => {} }: CreateEnvironmentProps) {
  const fieldId = useId();
  const errorId = useId();
  const field = useRef<HTMLInputElement>(null);
  const confirmationHeading = useRef<HTMLHeadingElement>(null);
  const [url, setUrl] = useState('');
  /** The field holds what the user typed (not a URL put there by a paste, a drop or a link). */
  const [typing, setTyping] = useState(false);
  /** The request being read or confirmed: it stays until the user answers it or leaves it. */
  const [shown, setShown] = useState<EnvironmentRequest | null>(null);
  /** The confirmation whose confirm button may be pressed: its content has stayed for confirmSettleMs. */
  const [settledKey, setSettledKey] = useState<number | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const [matched, setMatched] = useState<{ url: string; match: Matched; request: EnvironmentRequest | null; key: number } | null>(null);
  /** Which read is the latest: an older answer that arrives after it is dropped. */
  const reads = useRef(0);
  const resolve = useRef(onResolve);
  useEffect(() => {
    resolve.current = onResolve;
  });
  const [runnerId, setRunnerId] = useState<string | null>(null);
  const [remember, setRemember] = useState(false);
  const [depth, setDepth] = useState<CloneDepth>('full');
  const [note, setNote] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  /** The connect dialog, with the confirmation it was opened for: that, and only that, is created once connected. */
  const [connecting, setConnecting] = useState<{ access: HostAccess; candidate: EnvironmentCandidate; target: { url: string; match: Matched } } | null>(null);

  const showFieldError = (message: string) => {
    setFieldError(message);
    setMatched(null);
    field.current?.focus();
  };

  /**
   * Reads a URL; `fill` puts it in the field first (one that arrived by paste, drop or link). A request
   * read becomes the one on screen; any other read leaves the one that was (it waits again, unanswered).
   */
  const readUrl = async (text: string, from: EnvironmentRequest | null, fill = false) => {
    if (fill) {
      setUrl(text);
      setTyping(false);
    }
    setNote(null);
    const typed = text.trim();
    const read = ++reads.current;
    const current = () => read === reads.current;
    const refuse = (message: string) => {
      if (!current()) return;
      showFieldError(message);
      // Nothing can be made from it: the message under the field says why and what to do; the request is answered.
      if (from) {
        resolve.current(from.id);
        setShown(null);
      }
    };
    if (typed === '') return refuse('Paste the web or SSH address of a repository, branch, tag, commit or pull request.');
    // Invisible and direction-changing characters would make the confirmation show another address than the one used.
    if (!isSafeText(typed)) return refuse(UNSAFE_URL_MESSAGE);
    setShown(from);
    setChecking(true);
    try {
      const match = await api.matchEnvironment({ url: typed });
      if (!current()) return;
      if (!match.ok) return refuse(match.error.message);
      if (match.candidates.length === 0) return refuse(match.missing ?? 'No runner has repository access to this host. Ask your admin to add it.');
      setFieldError(null);
      setMatched({ url: typed, match, request: from, key: read });
      const preselected = match.remembered ?? match.candidates[0]!.runnerId;
      setRunnerId(preselected);
      setRemember(match.remembered === null);
      setDepth('full');
    } catch (error) {
      refuse(errorView(error).message);
    } finally {
      if (current()) setChecking(false);
    }
  };

  /** The latest readUrl, for the effects below: they start a read when something arrives, not when readUrl changes. */
  const readLatest = useRef(readUrl);
  useEffect(() => {
    readLatest.current = readUrl;
  });

  const read = (event: FormEvent) => {
    event.preventDefault();
    void readUrl(url, null);
  };

  // A URL pasted outside a field or dropped on the window: the user's own action, so it may replace the
  // field and a confirmation on screen (a link's goes back to waiting) — but not while the connect dialog is open.
  const readArrivals = useRef(new Set<number>());
  useEffect(() => {
    if (!arrival || readArrivals.current.has(arrival.key)) return;
    readArrivals.current.add(arrival.key);
    onArrivalTaken();
    if (connecting) return;
    void readLatest.current(arrival.url, null, true);
    // Only a new arrival is read.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [arrival?.key]);

  // A request from a link or the command line waits until nothing else is on screen, then is read and
  // confirmed or declined by the user. It never replaces a confirmation, a read, a URL being typed or the dialog.
  const busy = matched !== null || checking || creating || connecting !== null || shown !== null || (typing && url.trim() !== '');
  const next = busy ? null : (requests[0] ?? null);
  useEffect(() => {
    if (!next) return;
    void readLatest.current(next.url, next, true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [next?.id]);

  // After a match, focus goes to what will be created, so that it is read out first; its confirm button
  // can be pressed once it has stayed for a moment.
  const matchedKey = matched?.key;
  useEffect(() => {
    if (matchedKey === undefined) return;
    confirmationHeading.current?.focus();
    const timer = setTimeout(() => setSettledKey(matchedKey), confirmSettleMs);
    return () => clearTimeout(timer);
  }, [matchedKey]);
  const settled = matchedKey !== undefined && settledKey === matchedKey;
  const onScreen = shown?.id ?? matched?.request?.id;
  const waitingCount = requests.filter((request) => request.id !== onScreen).length;

  const chosen = matched?.match.candidates.find((candidate) => candidate.runnerId === runnerId) ?? null;

  const create = async (candidate: EnvironmentCandidate, target: { url: string; match: Matched }) => {
    setCreating(true);
    setNote(null);
    try {
      const several = target.match.candidates.length > 1;
      const { environment, job } = await api.createEnvironment({ runnerId: candidate.runnerId, url: target.url, tokenId: null, depth, remember: several && remember });
      setMatched(null);
      setUrl('');
      setTyping(false);
      onCreated(environment, job);
    } catch (error) {
      setNote(`Nothing was created: ${errorView(error).message}`);
    } finally {
      setCreating(false);
    }
  };

  const confirm = async () => {
    if (!chosen || !matched || !settled) return;
    // The user answered the link: it no longer waits, whatever happens next.
    if (matched.request) onResolve(matched.request.id);
    setShown(null);
    if (!needsConnect(chosen)) return create(chosen, matched);
    setCreating(true);
    try {
      const hosts = await api.listHosts();
      const access = hosts.find((host) => host.runnerId === chosen.runnerId && host.host === chosen.host);
      if (!access) {
        setNote(`Nothing was created: ${chosen.runnerName} no longer has repository access to ${chosen.host}. Ask your admin.`);
        return;
      }
      setConnecting({ access, candidate: chosen, target: matched });
    } catch (error) {
      setNote(`Nothing was created: ${errorView(error).message}`);
    } finally {
      setCreating(false);
    }
  };

  const decline = (declined: EnvironmentRequest) => {
    onResolve(declined.id);
    setShown(null);
    setMatched(null);
    setUrl('');
    setTyping(false);
    setNote('Nothing was created from the link.');
    field.current?.focus();
  };

  const context = matched?.match.context;
  const several = (matched?.match.candidates.length ?? 0) > 1;
  return (
    <section aria-labelledby={`${fieldId}-title`} className="panel">
      <h2 id={`${fieldId}-title`}>Create an environment</h2>
      <form onSubmit={read} noValidate>
        <div className="field">
          <label htmlFor={fieldId}>Repository URL</label>
          <input
            id={fieldId}
            ref={field}
            type="text"
            spellCheck={false}
            autoComplete="off"
            value={url}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={fieldError ? errorId : undefined}
            onChange={(event) => {
              setUrl(event.target.value);
              setTyping(true);
              if (matched) setMatched(null);
              // Leaving a link's confirmation by typing does not answer it: it waits again.
              setShown(null);
            }}
          />
          {fieldError && (
            <p id={errorId} className="field-error" role="alert">
              {fieldError}
            </p>
          )}
        </div>
        <div className="actions">
          <button type="submit" disabled={checking}>
            {checking ? 'Reading the URL…' : 'Create environment'}
          </button>
        </div>
      </form>
      {matched && context && (
        <div role="group" aria-labelledby={`${fieldId}-what`} className="confirmation">
          <h3 id={`${fieldId}-what`} ref={confirmationHeading} tabIndex={-1} className="confirmation-heading">
            What will be created
          </h3>
          {matched.request && (
            <>
              <p>
                {sourceWords[matched.request.source]} asked to create an environment from this address,{' '}
                {relativeTime(new Date(matched.request.receivedAt), new Date())}. Nothing is created unless you choose Create environment.
              </p>
              <dl className="facts">
                <dt>URL</dt>
                <dd>
                  <code className="request-url">{matched.url}</code>
                </dd>
                <dt>Host</dt>
                <dd>{context.host}</dd>
                <dt>Runner</dt>
                <dd>{several ? 'The one you choose below' : (chosen?.runnerName ?? '')}</dd>
              </dl>
            </>
          )}
          <p>
            Repository <strong>{repositoryName(context)}</strong> on {context.host}, {contextRefLabel(context.ref)}
            {context.path ? `, folder ${context.path}` : ''}
            {!several && chosen ? `, on the runner ${chosen.runnerName}` : ''}.
          </p>
          {several && (
            <fieldset className="choices">
              <legend>Runner</legend>
              {matched.match.candidates.map((candidate) => (
                <label key={candidate.runnerId} className="choice">
                  <input type="radio" name={`${fieldId}-runner`} value={candidate.runnerId} checked={runnerId === candidate.runnerId} onChange={() => setRunnerId(candidate.runnerId)} />{' '}
                  {candidate.runnerName}
                  {needsConnect(candidate) ? <span className="field-hint"> (you connect your account first)</span> : null}
                </label>
              ))}
              <label className="choice">
                <input type="checkbox" checked={remember} onChange={(event) => setRemember(event.target.checked)} /> Remember this runner for {context.host}
              </label>
            </fieldset>
          )}
          <fieldset className="choices">
            <legend>History</legend>
            {depthChoices.map((choice) => (
              <label key={choice.value} className="choice">
                <input type="radio" name={`${fieldId}-depth`} value={choice.value} checked={depth === choice.value} onChange={() => setDepth(choice.value)} /> {choice.label}
                <span className="field-hint"> {choice.hint}</span>
              </label>
            ))}
          </fieldset>
          <div className="actions">
            <button type="button" className="button-primary" disabled={creating || !chosen || !settled} onClick={() => void confirm()}>
              {creating ? 'Creating…' : matched.request ? 'Create environment' : 'Create'}
            </button>
            {matched.request && (
              <button type="button" disabled={creating} onClick={() => decline(matched.request!)}>
                Not now
              </button>
            )}
          </div>
        </div>
      )}
      {waitingCount > 0 && (
        <p role="status" className="field-hint">
          {matched?.request
            ? `${waitingCount === 1 ? 'One more link waits' : `${waitingCount} more links wait`} after this one.`
            : `${waitingCount === 1 ? 'Another link is waiting' : `${waitingCount} links are waiting`}: shown once you have created or cleared this one.`}
        </p>
      )}
      {note && (
        <p role="status" className="inline-warning">
          {note}
        </p>
      )}
      {connecting && (
        <ConnectDialog
          api={api}
          access={connecting.access}
          organization={connecting.candidate.organization}
          reconnect={connecting.candidate.connection === 'reconnect-needed'}
          fallbackFocus={() => field.current}
          onClose={(token) => {
            const { candidate, target } = connecting;
            setConnecting(null);
            if (token) void create(candidate, target);
            else setNote(`Nothing was created: you did not connect to ${candidate.host}. Create again to connect.`);
          }}
        />
      )}
    </section>
  );
}
