import { useId, useRef, useState, type FormEvent } from 'react';
import type { EnvironmentCandidate, EnvironmentMatch, HostAccess, PaddockApi } from '../../../../electron/common/api';
import type { CloneDepth, JobView } from '../../../../electron/common/runner-api';
import type { Environment } from '../../../../electron/common/api';
import { errorView } from '../../errors';
import { ConnectDialog } from '../accounts/ConnectDialog';

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

const needsConnect = (candidate: EnvironmentCandidate) => candidate.connection === 'none' || candidate.connection === 'reconnect-needed';

/**
 * The intake (PRODUCT E2, issue 10): a repository URL read by the runners,
 * a confirmation naming what will be made and where, the account connected
 * first when the runner has none for the host, then the clone.
 */
export function CreateEnvironment({ api, onCreated }: { api: PaddockApi; onCreated: (environment: Environment, job: JobView) => void }) {
  const fieldId = useId();
  const errorId = useId();
  const field = useRef<HTMLInputElement>(null);
  const [url, setUrl] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const [matched, setMatched] = useState<{ url: string; match: Matched } | null>(null);
  const [runnerId, setRunnerId] = useState<string | null>(null);
  const [remember, setRemember] = useState(false);
  const [depth, setDepth] = useState<CloneDepth>('full');
  const [note, setNote] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [connecting, setConnecting] = useState<{ access: HostAccess; candidate: EnvironmentCandidate } | null>(null);

  const showFieldError = (message: string) => {
    setFieldError(message);
    setMatched(null);
    field.current?.focus();
  };

  const read = async (event: FormEvent) => {
    event.preventDefault();
    setNote(null);
    const typed = url.trim();
    if (typed === '') {
      showFieldError('Paste the web or SSH address of a repository, branch, tag, commit or pull request.');
      return;
    }
    setChecking(true);
    try {
      const match = await api.matchEnvironment({ url: typed });
      if (!match.ok) return showFieldError(match.error.message);
      if (match.candidates.length === 0) return showFieldError(match.missing ?? 'No runner has repository access to this host. Ask your admin to add it.');
      setFieldError(null);
      setMatched({ url: typed, match });
      const preselected = match.remembered ?? match.candidates[0]!.runnerId;
      setRunnerId(preselected);
      setRemember(match.remembered === null);
      setDepth('full');
    } catch (error) {
      showFieldError(errorView(error).message);
    } finally {
      setChecking(false);
    }
  };

  const chosen = matched?.match.candidates.find((candidate) => candidate.runnerId === runnerId) ?? null;

  const create = async (candidate: EnvironmentCandidate, target: { url: string; match: Matched }) => {
    setCreating(true);
    setNote(null);
    try {
      const several = target.match.candidates.length > 1;
      const { environment, job } = await api.createEnvironment({ runnerId: candidate.runnerId, url: target.url, tokenId: null, depth, remember: several && remember });
      setMatched(null);
      setUrl('');
      onCreated(environment, job);
    } catch (error) {
      setNote(`Nothing was created: ${errorView(error).message}`);
    } finally {
      setCreating(false);
    }
  };

  const confirm = async () => {
    if (!chosen || !matched) return;
    if (!needsConnect(chosen)) return create(chosen, matched);
    setCreating(true);
    try {
      const hosts = await api.listHosts();
      const access = hosts.find((host) => host.runnerId === chosen.runnerId && host.host === chosen.host);
      if (!access) {
        setNote(`Nothing was created: ${chosen.runnerName} no longer has repository access to ${chosen.host}. Ask your admin.`);
        return;
      }
      setConnecting({ access, candidate: chosen });
    } catch (error) {
      setNote(`Nothing was created: ${errorView(error).message}`);
    } finally {
      setCreating(false);
    }
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
              if (matched) setMatched(null);
            }}
          />
          {fieldError && (
            <p id={errorId} className="field-error">
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
        <div role="group" aria-label="What will be created" className="confirmation">
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
            <button type="button" className="button-primary" disabled={creating || !chosen} onClick={() => void confirm()}>
              {creating ? 'Creating…' : 'Create'}
            </button>
          </div>
        </div>
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
            const { candidate } = connecting;
            setConnecting(null);
            if (token && matched) void create(candidate, matched);
            else setNote(`Nothing was created: you did not connect to ${candidate.host}. Create again to connect.`);
          }}
        />
      )}
    </section>
  );
}
