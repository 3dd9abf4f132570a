import { useState } from 'react';
import type { Environment, HostAccess, PaddockApi, Runner } from '../../../../electron/common/api';
import type { EnvironmentChanges, JobView } from '../../../../electron/common/runner-api';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CopyButton } from '../../components/CopyButton';
import { errorView } from '../../errors';
import { ConnectDialog } from '../accounts/ConnectDialog';
import { remoteFolder, remoteSshLink, sshCommand, sshServer } from './remote';

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** What deleting loses, in a sentence: "3 uncommitted changes and 1 unpushed commit will be lost." */
export function changesSentence(changes: EnvironmentChanges): string {
  const parts = [
    changes.uncommitted > 0 ? plural(changes.uncommitted, 'uncommitted change', 'uncommitted changes') : null,
    changes.unpushed > 0 ? plural(changes.unpushed, 'unpushed commit', 'unpushed commits') : null,
    changes.stashes > 0 ? plural(changes.stashes, 'stash', 'stashes') : null,
  ].filter((part): part is string => part !== null);
  if (parts.length === 0) return 'Nothing uncommitted or unpushed.';
  const listed = parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]!}`;
  return `${listed} will be lost.`;
}

type OpenTarget = 'folder' | 'editor' | 'terminal';

/**
 * What can be done with one environment: when ready, its folder — opened
 * here in the file manager, the editor or a terminal when the local runner
 * holds it, reached with ssh or VS Code Remote-SSH when a server runner
 * does —, Reconnect and Retry when it failed, Delete.
 */
export function EnvironmentActions({
  api,
  environment,
  runner,
  editor,
  onRetried,
  onDeleted,
  fallbackFocus,
}: {
  api: PaddockApi;
  environment: Environment;
  /** The runner that holds it, once the runners are known. */
  runner: Runner | null;
  /** The code editor "Open in …" uses; null: the system's default app for folders. */
  editor: { name: string } | null;
  onRetried: (environment: Environment, job: JobView) => void;
  onDeleted: () => void;
  fallbackFocus: () => HTMLElement | null;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const [opened, setOpened] = useState<string | null>(null);
  const [opening, setOpening] = useState<OpenTarget | null>(null);
  const [busy, setBusy] = useState<'retry' | 'delete' | 'reconnect' | null>(null);
  const [deleting, setDeleting] = useState<{ sentence: string } | null>(null);
  const [connecting, setConnecting] = useState<HostAccess | null>(null);
  const ref = { runnerId: environment.runnerId, id: environment.id };
  const name = environment.repository;
  const code = environment.error?.code;
  const offersReconnect = environment.state === 'failed' && (code === 'reconnect-needed' || code === 'auth-required');

  const retry = () => {
    setBusy('retry');
    setProblem(null);
    api.retryEnvironment(ref).then(
      ({ environment: next, job }) => {
        setBusy(null);
        onRetried(next, job);
      },
      (error: unknown) => {
        setBusy(null);
        setProblem(`Not retried: ${errorView(error).message}`);
      },
    );
  };

  const askDelete = () => {
    setProblem(null);
    if (environment.state !== 'ready') {
      setDeleting({ sentence: 'Nothing was cloned yet, so nothing is lost.' });
      return;
    }
    setBusy('delete');
    api.environmentChanges(ref).then(
      (changes) => {
        setBusy(null);
        setDeleting({ sentence: changesSentence(changes) });
      },
      (error: unknown) => {
        setBusy(null);
        setProblem(`Not deleted: Paddock could not count the uncommitted and unpushed changes. ${errorView(error).message}`);
      },
    );
  };

  const openLabels: Record<OpenTarget, { button: string; done: string }> = {
    folder: { button: 'Open folder', done: `Opened the folder of ${name}.` },
    editor: editor
      ? { button: `Open in ${editor.name}`, done: `Opened ${name} in ${editor.name}.` }
      : { button: 'Open with default app', done: `Opened ${name} with the default app for folders.` },
    terminal: { button: 'Open terminal', done: `Opened a terminal in ${name}.` },
  };
  const open = (target: OpenTarget) => {
    if (opening) return;
    setOpening(target);
    setProblem(null);
    setOpened(null);
    api.openEnvironment({ ...ref, target }).then(
      (result) => {
        setOpening(null);
        // The editor or terminal chosen in Settings is gone: say what opened instead.
        setOpened(result.note ?? openLabels[target].done);
      },
      (error: unknown) => {
        setOpening(null);
        setProblem(`Not opened: ${errorView(error).message}`);
      },
    );
  };

  const reconnect = () => {
    setBusy('reconnect');
    setProblem(null);
    api.listHosts().then(
      (hosts) => {
        setBusy(null);
        const access = hosts.find((host) => host.runnerId === environment.runnerId && host.host === environment.host);
        if (access) setConnecting(access);
        else setProblem(`${environment.runnerName} no longer has repository access to ${environment.host}. Ask your admin.`);
      },
      (error: unknown) => {
        setBusy(null);
        setProblem(errorView(error).message);
      },
    );
  };

  return (
    <>
      {environment.state === 'ready' && runner?.kind !== 'remote' && (
        <p className="item-meta">
          Folder: <code>{environment.path}</code> <CopyButton text={environment.path} what={`the folder of ${name}`} />
          {environment.subPath && runner?.kind === 'local' && (
            <>
              {' '}
              · opens at <code>{environment.subPath}</code>
            </>
          )}
        </p>
      )}
      {environment.state === 'ready' && runner?.kind === 'remote' && <RemoteAccess environment={environment} runner={runner} />}
      <div className="actions">
        {environment.state === 'ready' && runner?.kind === 'local' && (
          <>
            <button type="button" aria-busy={opening === 'folder'} onClick={() => open('folder')} aria-label={`${openLabels.folder.button}: ${name}`}>
              {openLabels.folder.button}
            </button>
            <button type="button" aria-busy={opening === 'editor'} onClick={() => open('editor')} aria-label={`${openLabels.editor.button}: ${name}`}>
              {openLabels.editor.button}
            </button>
            <button type="button" aria-busy={opening === 'terminal'} onClick={() => open('terminal')} aria-label={`${openLabels.terminal.button}: ${name}`}>
              {openLabels.terminal.button}
            </button>
          </>
        )}
        {offersReconnect && (
          <button type="button" disabled={busy !== null} onClick={reconnect} aria-label={`Reconnect to ${environment.host} for ${name}`}>
            Reconnect
          </button>
        )}
        {(environment.state === 'failed' || environment.state === 'cancelled') && (
          <button type="button" disabled={busy !== null} onClick={retry} aria-label={`Retry ${name}`}>
            {busy === 'retry' ? 'Retrying…' : 'Retry'}
          </button>
        )}
        {environment.state !== 'creating' && (
          <button type="button" disabled={busy !== null} onClick={askDelete} aria-label={`Delete ${name}`}>
            {busy === 'delete' ? 'Counting changes…' : 'Delete'}
          </button>
        )}
      </div>
      {problem && (
        <p role="status" className="field-error">
          {problem}
        </p>
      )}
      {opened && !problem && (
        <p role="status" className="item-meta">
          {opened}
        </p>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete the environment ${name}?`}
          confirm={{
            label: 'Delete',
            busyLabel: 'Deleting…',
            run: async () => {
              await api.deleteEnvironment(ref);
            },
          }}
          onClose={(confirmed) => {
            setDeleting(null);
            if (confirmed) onDeleted();
          }}
          fallbackFocus={fallbackFocus}
        >
          <p>
            {environment.runnerName} deletes the working copy{environment.state === 'ready' ? ` ${environment.path}` : ''}. {deleting.sentence}
          </p>
        </ConfirmDialog>
      )}
      {connecting && (
        <ConnectDialog
          api={api}
          access={connecting}
          organization={environment.organization}
          reconnect
          fallbackFocus={fallbackFocus}
          onClose={(token) => {
            setConnecting(null);
            // Connected again: the clone goes on by itself, as creating does after connecting.
            if (token) retry();
          }}
        />
      )}
    </>
  );
}

/** A server runner's environment: its folder there, the ssh command that opens a shell in it, and the VS Code Remote-SSH link. */
function RemoteAccess({ environment, runner }: { environment: Environment; runner: Runner }) {
  const name = environment.repository;
  const server = sshServer(runner.url);
  const folder = remoteFolder(environment.path, environment.subPath);
  return (
    <dl className="facts environment-remote">
      <dt>Folder on {runner.name}</dt>
      <dd>
        <code>{environment.path}</code> <CopyButton text={environment.path} what={`the folder of ${name} on ${runner.name}`} />
      </dd>
      {server && (
        <>
          {/* A POSIX shell's command: cmd.exe would run what follows `&&` on this computer, and PowerShell reads `'\''` otherwise. */}
          <dt>Terminal (ssh, in bash or zsh)</dt>
          <dd>
            <code>{sshCommand(server, folder)}</code> <CopyButton text={sshCommand(server, folder)} what={`the ssh command for ${name}`} />
          </dd>
          <dt>VS Code Remote-SSH</dt>
          <dd>
            <code>{remoteSshLink(server, folder)}</code> <CopyButton text={remoteSshLink(server, folder)} what={`the VS Code Remote-SSH link for ${name}`} />
          </dd>
        </>
      )}
    </dl>
  );
}
