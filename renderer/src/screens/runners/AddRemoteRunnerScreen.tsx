import { useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import type { PaddockApi, RemoteRunnerProbe } from '../../../../electron/common/api';
import type { Navigate } from '../../App';
import { CopyButton } from '../../components/CopyButton';
import { Field } from '../../components/Field';
import { Fingerprint, FingerprintCompare } from '../../components/Fingerprint';
import { BackLink, Screen } from '../../components/Screen';
import { defaultRunnerName, exactTime, relativeToNow } from '../../format';
import { firstInvalid, formErrors, noFormErrors, type FormErrors } from '../../form-errors';
import { useFocusAfterRender, useNow } from '../../hooks';
import { hashOf } from '../../routes';
import {
  EXAMPLE_SERVER_NAME,
  runnerImageArchive,
  runnerPackage,
  runnerUrlFor,
  serverCommands,
  serverNameOf,
  type ServerRunnerKind,
} from '../../runner-commands';


type ConnectField = 'url' | 'token';
const connectFields = ['url', 'token'] as const;

/** "Add a runner on a server" (R2): the commands for the server, URL and token, the fingerprint to compare, then repository access (R4). */
export function AddRemoteRunnerScreen({ api, headingRef, navigate }: { api: PaddockApi; headingRef: RefObject<HTMLHeadingElement | null>; navigate: Navigate }) {
  const [serverName, setServerName] = useState('');
  const [kind, setKind] = useState<ServerRunnerKind>('systemd');
  // Until it is typed in, the URL is the one the commands give the runner.
  const [typedUrl, setUrl] = useState<string | null>(null);
  const name = serverNameOf(serverName);
  const url = typedUrl ?? (name ? runnerUrlFor(name) : '');
  const [token, setToken] = useState('');
  const [probe, setProbe] = useState<RemoteRunnerProbe | null>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors<ConnectField>>(noFormErrors);
  const urlRef = useRef<HTMLInputElement>(null);
  const tokenRef = useRef<HTMLInputElement>(null);
  const connectHeading = useRef<HTMLHeadingElement>(null);
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const focusAfterRender = useFocusAfterRender();

  const check = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setErrors(noFormErrors);
    api.probeRemoteRunner({ url, token }).then(
      (result) => {
        setBusy(false);
        setProbe(result);
        focusAfterRender(() => confirmHeading.current);
      },
      (error: unknown) => {
        setBusy(false);
        const next = formErrors(error, connectFields);
        setErrors(next);
        const field = firstInvalid(next, connectFields);
        if (field) focusAfterRender(() => (field === 'url' ? urlRef.current : tokenRef.current));
      },
    );
  };

  const back = () => {
    setProbe(null);
    focusAfterRender(() => connectHeading.current);
  };

  return (
    <Screen title="Add a runner on a server" headingRef={headingRef} before={<BackLink href={hashOf({ screen: 'runners', page: 'list' })}>Runners</BackLink>}>
      {probe === null ? (
        <>
          <p className="lead">
            A runner on a server keeps its private key there, so the secrets sealed to it never exist on this workstation. Each
            workstation registers with its own one-time token.
          </p>
          <ServerStep serverName={serverName} onServerName={setServerName} kind={kind} onKind={setKind} />
          <section className="panel" aria-labelledby="add-step-2">
            <h2 id="add-step-2" ref={connectHeading} tabIndex={-1}>
              Step 2: Connect to it
            </h2>
            <form onSubmit={check} noValidate aria-busy={busy || undefined}>
              {errors.general && (
                <p className="error" role="alert">
                  {errors.general}
                </p>
              )}
              <Field
                label="Runner URL"
                hint="The runner’s URL, as its status shows it, such as https://runner.example.com:8443. The server name above fills it in."
                type="url"
                inputMode="url"
                autoComplete="off"
                spellCheck={false}
                value={url}
                onChange={(event) => setUrl(event.target.value)}
                error={errors.fields.url}
                inputRef={urlRef}
              />
              <Field
                label="Registration token"
                hint="The token that registration create printed; it starts with prt1_."
                autoComplete="off"
                spellCheck={false}
                value={token}
                onChange={(event) => setToken(event.target.value)}
                error={errors.fields.token}
                inputRef={tokenRef}
              />
              <div className="actions">
                <button type="submit" className="button-primary" aria-disabled={busy || undefined}>
                  {busy ? 'Checking…' : 'Check runner'}
                </button>
                <span role="status" className="muted">
                  {busy && 'Checking the runner…'}
                </span>
              </div>
            </form>
          </section>
        </>
      ) : (
        <ConfirmStep api={api} navigate={navigate} probe={probe} token={token} headingRef={confirmHeading} onBack={back} />
      )}
    </Screen>
  );
}

/** Step 1: the server's name and how the runner runs there, and the commands for it with that name in them. */
function ServerStep({
  serverName,
  onServerName,
  kind,
  onKind,
}: {
  serverName: string;
  onServerName: (name: string) => void;
  kind: ServerRunnerKind;
  onKind: (kind: ServerRunnerKind) => void;
}) {
  const choiceName = useId();
  const name = serverNameOf(serverName);
  const commands = serverCommands(kind, name ?? EXAMPLE_SERVER_NAME);
  const invalid = serverName.trim() !== '' && name === null;
  const startWhat =
    kind === 'systemd'
      ? ['the command that installs the service', 'the command that gives the service this server’s URL', 'the command that starts the service']
      : ['the command that starts the runner'];
  return (
    <section className="panel" aria-labelledby="add-step-1">
      <h2 id="add-step-1">Step 1: On the server</h2>
      <Field
        label="Server name"
        hint="The name workstations reach the server by, such as runner.example.com. The commands below use it."
        autoComplete="off"
        spellCheck={false}
        value={serverName}
        onChange={(event) => onServerName(event.target.value)}
        error={invalid ? 'Enter only the server’s host name or IP address, such as runner.example.com: no https:// and no port.' : undefined}
      />
      <fieldset className="choices">
        <legend>How the runner runs</legend>
        <label className="choice">
          <input type="radio" name={choiceName} value="systemd" checked={kind === 'systemd'} onChange={() => onKind('systemd')} />
          <span>
            As a service (systemd)
            <span className="field-hint">The runner package on the server’s Node 24; it runs as its own user and restarts after a failure.</span>
          </span>
        </label>
        <label className="choice">
          <input type="radio" name={choiceName} value="container" checked={kind === 'container'} onChange={() => onKind('container')} />
          <span>
            In a container
            <span className="field-hint">The runner image with Podman; with Docker, the same commands with docker.</span>
          </span>
        </label>
      </fieldset>
      <ol className="commands">
        <li>
          {kind === 'systemd' ? (
            <p>
              Copy the runner package, <code>{runnerPackage}</code>, from the same Paddock release as this app to the server, and install it.
              The server needs Node 24 and nothing else of Paddock.
            </p>
          ) : (
            <p>
              Copy the runner image, <code>{runnerImageArchive}</code>, from the same Paddock release as this app to the server, and load it.
            </p>
          )}
          <Command text={commands.install} what={kind === 'systemd' ? 'the command that installs the runner package' : 'the command that loads the runner image'} />
        </li>
        <li>
          {kind === 'systemd' ? (
            <p>
              Install the service, give it this server’s URL, and start it. On its first start the runner makes its keys and keeps them in a
              file only its user can read.
            </p>
          ) : (
            <p>
              Start the runner with this server’s URL. On its first start it makes its keys; they stay with its registrations in the{' '}
              <code>paddock-runner</code> volume, which you back up.
            </p>
          )}
          {commands.start.map((command, index) => (
            <Command key={command} text={command} what={startWhat[index]!} />
          ))}
        </li>
        <li>
          <p>
            Show its URL and its <strong>fingerprint</strong> (the SHA-256 of its TLS public key, SPKI), which you compare in step 3.
          </p>
          <Command text={commands.fingerprint} what="the command that shows the runner’s fingerprint" />
        </li>
        <li>
          <p>
            Create a registration token for this workstation. It prints a one-time token that is valid for 24 hours. With{' '}
            <code>--role admin</code> this workstation can set up the runner’s repository access; other workstations each get their own
            token, without <code>--role admin</code>, to connect their accounts and create environments.
          </p>
          <Command text={commands.registration} what="the command that creates a registration token" />
        </li>
      </ol>
    </section>
  );
}

function Command({ text, what }: { text: string; what: string }) {
  return (
    <div className="command">
      <pre>
        {/* Lines break between arguments only, never inside "--public-url". */}
        <code>
          {text.split(' ').map((word, index) => (
            <span key={index}>
              {index > 0 && ' '}
              <span className="nowrap">{word}</span>
            </span>
          ))}
        </code>
      </pre>
      <CopyButton text={text} what={what} />
    </div>
  );
}

function ConfirmStep({
  api,
  navigate,
  probe,
  token,
  headingRef,
  onBack,
}: {
  api: PaddockApi;
  navigate: Navigate;
  probe: RemoteRunnerProbe;
  token: string;
  headingRef: RefObject<HTMLHeadingElement | null>;
  onBack: () => void;
}) {
  const [name, setName] = useState(() => defaultRunnerName(probe.url));
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors<'name'>>(noFormErrors);
  const nameRef = useRef<HTMLInputElement>(null);
  const focusAfterRender = useFocusAfterRender();
  const now = useNow();

  const add = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setErrors(noFormErrors);
    api.addRemoteRunner({ url: probe.url, token, name, spki: probe.spki }).then(
      (runner) => navigate({ screen: 'runners', page: 'access', runnerId: runner.id }, `${runner.name} was added.`),
      (error: unknown) => {
        setBusy(false);
        const next = formErrors(error, ['name'] as const);
        setErrors(next);
        if (next.fields.name) focusAfterRender(() => nameRef.current);
      },
    );
  };

  return (
    <section className="panel" aria-labelledby="add-step-3">
      <h2 id="add-step-3" ref={headingRef} tabIndex={-1}>
        Step 3: Compare the fingerprint
      </h2>
      <p>
        Paddock reached the runner at <strong>{probe.url}</strong>, and it proved that it made this registration token. Compare this
        fingerprint with the one the runner printed:
      </p>
      <figure className="fingerprint-box">
        <figcaption>Fingerprint (SPKI SHA-256)</figcaption>
        <Fingerprint spki={probe.spki} />
      </figure>
      <p>
        Add the runner only if the two are the same. If they differ, someone may be intercepting the connection: go back and check the
        URL.
      </p>
      <FingerprintCompare spki={probe.spki} />
      <dl className="facts">
        <dt>Runner version</dt>
        <dd>
          {probe.version} (runner API v{probe.apiVersion})
        </dd>
        <dt>Token valid until</dt>
        <dd>
          <time dateTime={probe.tokenExpiresAt} title={exactTime(new Date(probe.tokenExpiresAt))}>
            {relativeToNow(new Date(probe.tokenExpiresAt), now)}
          </time>
          <span className="muted"> ({exactTime(new Date(probe.tokenExpiresAt))})</span>
        </dd>
      </dl>
      <form onSubmit={add} noValidate aria-busy={busy || undefined}>
        {errors.general && (
          <p className="error" role="alert">
            {errors.general}
          </p>
        )}
        <Field
          label="Name"
          hint="How this runner is shown in Paddock."
          autoComplete="off"
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={errors.fields.name}
          inputRef={nameRef}
        />
        <div className="actions">
          <button type="submit" className="button-primary" aria-disabled={busy || undefined}>
            {busy ? 'Adding…' : 'Add runner'}
          </button>
          <button type="button" onClick={() => !busy && onBack()} aria-disabled={busy || undefined}>
            Back
          </button>
          <span role="status" className="muted">
            {busy && 'Adding the runner…'}
          </span>
        </div>
      </form>
    </section>
  );
}
