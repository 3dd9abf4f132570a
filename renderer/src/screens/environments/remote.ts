// A server runner's environment is on the server (PRODUCT E4): the screen
// shows its path there, an ssh command that opens a shell in it, and the
// VS Code Remote-SSH link that opens it in VS Code. The server's name is
// the runner's address's host name; ssh finds the user and keys in the
// user's own ssh configuration.

/** The server's name for ssh, from the runner's https address; null when it has none. */
export function sshServer(runnerUrl: string | null): string | null {
  if (!runnerUrl) return null;
  let url: URL;
  try {
    url = new URL(runnerUrl);
  } catch {
    return null;
  }
  // An IPv6 address comes bracketed in a URL; ssh wants it bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return /^[A-Za-z0-9.:_-]+$/.test(host) && !host.startsWith('-') ? host : null;
}

/** One word for a POSIX shell: as it is when nothing in it is special, else in single quotes. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * `ssh -t <server> 'cd <path> && exec "$SHELL" -l'`: a login shell in the
 * environment's folder on the server. The path is quoted for the server's
 * shell, and the whole remote command again for the shell it is pasted in,
 * which must be a POSIX one (bash, zsh): pasted in cmd.exe, single quotes
 * are not quotes and the `&& …` would run on this computer. The screen
 * labels it so.
 */
export function sshCommand(server: string, folder: string): string {
  const remote = `cd ${shellQuote(folder)} && exec "$SHELL" -l`;
  return `ssh -t ${shellQuote(server)} ${shellQuote(remote)}`;
}

/** VS Code's Remote-SSH link to the folder: `vscode://vscode-remote/ssh-remote+<server><path>`, each path segment encoded. */
export function remoteSshLink(server: string, folder: string): string {
  const encoded = folder
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  return `vscode://vscode-remote/ssh-remote+${encodeURIComponent(server)}${encoded.startsWith('/') ? '' : '/'}${encoded}`;
}

/** The folder to open: the working copy, or the sub-folder the URL pointed at (the server's paths are POSIX). */
export function remoteFolder(path: string, subPath: string | null): string {
  if (!subPath) return path;
  return `${path.replace(/\/+$/, '')}/${subPath.replace(/^\/+/, '')}`;
}
