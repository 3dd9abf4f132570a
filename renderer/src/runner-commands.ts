import { PADDOCK_VERSION } from '../../electron/common/version';

/**
 * What an admin runs on a server to install and start a runner and to create
 * a registration token (docs/runner-on-a-server.md): the paddock-runner
 * package under systemd, or its container image.
 */
export type ServerRunnerKind = 'systemd' | 'container';

export const RUNNER_PORT = 8443;
export const EXAMPLE_SERVER_NAME = 'runner.example.com';
const dataDir = '/var/lib/paddock-runner';
export const runnerPackage = `paddock-runner-${PADDOCK_VERSION}.tgz`;
export const runnerImage = `localhost/paddock-runner:${PADDOCK_VERSION}`;
export const runnerImageArchive = `paddock-runner-image-${PADDOCK_VERSION}.tar`;

const hostLabel = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** The server's name as typed, when it can be a host name or an IP address (no scheme, port or path); else null. */
export function serverNameOf(text: string): string | null {
  const name = text.trim().replace(/\.$/, '');
  if (name === '' || name.length > 253) return null;
  if (/^\[?[0-9A-Fa-f:]+\]?$/.test(name) && name.includes(':')) return name.replace(/^\[|\]$/g, '');
  return name.split('.').every((label) => hostLabel.test(label)) ? name.toLowerCase() : null;
}

/** The URL workstations use for the runner on that server. */
export function runnerUrlFor(serverName: string): string {
  return `https://${serverName.includes(':') ? `[${serverName}]` : serverName}:${RUNNER_PORT}`;
}

export interface ServerCommands {
  /** Install the package or load the image. */
  install: string;
  /** Set it up and start it, in order. */
  start: string[];
  /** Show its URL and fingerprint. */
  fingerprint: string;
  /** A registration token for this (the admin's) workstation: the admin role, to set up repository access. */
  registration: string;
}

export function serverCommands(kind: ServerRunnerKind, serverName: string): ServerCommands {
  const url = runnerUrlFor(serverName);
  if (kind === 'systemd') {
    return {
      install: `sudo npm install -g ./${runnerPackage}`,
      start: [
        'sudo install -m 0644 "$(npm root -g)/paddock-runner/systemd/paddock-runner.service" /etc/systemd/system/',
        `printf '%s\\n' PADDOCK_RUNNER_LISTEN=0.0.0.0:${RUNNER_PORT} PADDOCK_RUNNER_PUBLIC_URL=${url} PADDOCK_RUNNER_OPTIONS= | sudo install -D -m 0600 /dev/stdin /etc/paddock-runner/paddock-runner.env`,
        'sudo systemctl daemon-reload && sudo systemctl enable --now paddock-runner',
      ],
      fingerprint: `sudo paddock-runner status --data-dir ${dataDir}`,
      registration: `sudo paddock-runner registration create --data-dir ${dataDir} --role admin`,
    };
  }
  return {
    install: `podman load -i ${runnerImageArchive}`,
    start: [
      `podman run -d --name paddock-runner --restart on-failure -p ${RUNNER_PORT}:${RUNNER_PORT} -v paddock-runner:${dataDir} ${runnerImage} --listen 0.0.0.0:${RUNNER_PORT} --public-url ${url}`,
    ],
    fingerprint: `podman exec paddock-runner paddock-runner status --data-dir ${dataDir}`,
    registration: `podman exec paddock-runner paddock-runner registration create --data-dir ${dataDir} --role admin`,
  };
}
