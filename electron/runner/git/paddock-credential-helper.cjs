'use strict';
// Paddock's git credential helper: the program git runs (`credential.helper`)
// when it needs, has used or was refused a credential. It asks the Paddock
// runner that started git, over the socket (named pipe on Windows) named in
// PADDOCK_CRED_SOCKET, with the run's one-time capability in
// PADDOCK_CRED_TOKEN, and prints the answer for git.
//
// Run with the runner's own Node; no dependencies (it is copied next to the
// runner's bundle as it is). git calls it as `<command> get|store|erase`
// with its request on stdin ("key=value" lines up to a blank line;
// git/git:Documentation/git-credential.adoc, "INPUT/OUTPUT FORMAT").
//
// On any failure it prints nothing and exits 0: git then fails with its own
// authentication error. It never writes to stderr (git would show it) and
// never prints the capability; it forwards only protocol, host, path and
// username, never a password git sends back with store/erase (for erase,
// only the password's SHA-256, so the runner can tell whether the refused
// password was its token).
//
// Environment mode (a working copy's own `.git/config`, for the user's
// `git push` in a terminal): `--environment <id> --endpoint <socket>
// --secret-file <file>` before the action. It reads the environment's
// secret from the file and asks the runner's long-lived endpoint. Here a
// person is reading git's output, so when the runner is not running, or
// says why it gives nothing, the helper writes one line to stderr and
// answers `quit=1`, so git stops at once instead of prompting.

const net = require('node:net');

const ACTIONS = ['get', 'store', 'erase'];
const FORWARDED = ['protocol', 'host', 'path', 'username'];
const MAX_INPUT_BYTES = 64 * 1024;
const MAX_ANSWER_BYTES = 64 * 1024;
/** The runner may refresh a token before it answers; past this, git gets nothing. */
const TIMEOUT_MS = 30000;

function quit() {
  process.exit(0);
}

process.on('uncaughtException', quit);
process.on('unhandledRejection', quit);

/** Reads git's request: "key=value" lines up to a blank line or the end of input. */
function readRequest(action, done) {
  let input = '';
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    process.stdin.removeAllListeners('data');
    process.stdin.pause();
    const request = {};
    for (const line of input.split('\n')) {
      if (line === '') break;
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      const key = line.slice(0, eq);
      if (FORWARDED.includes(key)) request[key] = line.slice(eq + 1);
      // erase: which password was refused, as a hash (the runner marks its token only if it is that one).
      if (key === 'password' && action === 'erase') request.passwordSha256 = require('node:crypto').createHash('sha256').update(line.slice(eq + 1), 'utf8').digest('hex');
    }
    done(request);
  };
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    input += chunk;
    if (input.length > MAX_INPUT_BYTES) quit();
    if (input.startsWith('\n') || input.includes('\n\n')) finish();
  });
  process.stdin.on('end', finish);
  process.stdin.on('error', quit);
}

/** One value git may print back: no line breaks or NUL (they would add keys of their own). */
function printable(value) {
  return typeof value === 'string' && value !== '' && value.length <= 16384 && !/[\r\n\0]/.test(value);
}

/** `--name value` pairs before the action (environment mode), or null. */
function options(argv) {
  const named = {};
  for (let i = 0; i + 1 < argv.length; i += 2) {
    if (!argv[i].startsWith('--')) return null;
    named[argv[i].slice(2)] = argv[i + 1];
  }
  return named;
}

/** Control, invisible and direction-changing characters: a terminal must not be steered by a sentence it shows. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** Environment mode: one line for the person at the terminal, and git told to stop asking. */
function stop(message) {
  process.stderr.write(`${String(message).replace(UNSHOWABLE, '')}\n`);
  process.stdout.write('quit=1\n', quit);
}

/**
 * Unix: the endpoint's folder must be this user's own and closed to others,
 * and what is at the endpoint this user's — otherwise another local user may
 * have put one there first (a temp-folder fallback) to receive the secret.
 * Windows' named pipes have no folder to check.
 */
function endpointIsOurs(socketPath) {
  if (typeof process.getuid !== 'function') return true;
  const fs = require('node:fs');
  const uid = process.getuid();
  try {
    const folder = fs.lstatSync(require('node:path').dirname(socketPath));
    if (!folder.isDirectory() || folder.uid !== uid || (folder.mode & 0o077) !== 0) return false;
    // Anything else there (a file) fails to connect, which says "not running".
    return fs.lstatSync(socketPath).uid === uid;
  } catch (error) {
    // No socket (yet): the runner is not running, which the connection says.
    return error && error.code === 'ENOENT';
  }
}

function main() {
  const action = process.argv[process.argv.length - 1];
  const named = options(process.argv.slice(2, -1)) || {};
  const environment = named.environment;
  let socketPath = process.env.PADDOCK_CRED_SOCKET;
  let identity = { capability: process.env.PADDOCK_CRED_TOKEN };
  if (environment) {
    socketPath = named.endpoint;
    let secret;
    try {
      secret = require('node:fs').readFileSync(named['secret-file'], 'utf8').trim();
    } catch {
      // No secret file: the environment was deleted (or its runner's data with it).
      if (action === 'get') stop('Paddock no longer has this environment, so it gives no credentials for it. Create the environment again in Paddock.');
      else quit();
      return;
    }
    identity = { environment, secret };
    if (!endpointIsOurs(socketPath)) {
      if (action === 'get') stop('Paddock: its credential endpoint is not in a folder only you can use, so git gets no credentials from it. Restart Paddock.');
      else quit();
      return;
    }
  }
  if (!ACTIONS.includes(action) || !socketPath || !(identity.capability || identity.secret)) quit();
  setTimeout(quit, TIMEOUT_MS);

  readRequest(action, (request) => {
    if (typeof request.protocol !== 'string' || typeof request.host !== 'string') quit();
    const socket = net.connect({ path: socketPath });
    let answer = '';
    let printing = false;
    socket.setEncoding('utf8');
    socket.on('error', (error) => {
      // Nothing listens: the runner is not running (no socket, or one a stopped runner left).
      const notRunning = error && ['ENOENT', 'ECONNREFUSED'].includes(error.code);
      if (environment && action === 'get' && notRunning && !printing) {
        printing = true;
        stop('Paddock is not running: start Paddock, then push again');
        return;
      }
      quit();
    });
    // Closed without an answer (the runner stopped, refused the message).
    socket.on('close', () => {
      if (!printing) quit();
    });
    socket.on('connect', () => {
      socket.write(`${JSON.stringify({ v: 1, ...identity, action, ...request })}\n`);
    });
    socket.on('data', (chunk) => {
      answer += chunk;
      if (answer.length > MAX_ANSWER_BYTES) quit();
    });
    socket.on('end', () => {
      let parsed;
      try {
        parsed = JSON.parse(answer);
      } catch {
        quit();
      }
      if (action === 'get' && parsed && printable(parsed.username) && printable(parsed.password)) {
        printing = true;
        process.stdout.write(`username=${parsed.username}\npassword=${parsed.password}\n`, quit);
        return;
      }
      if (environment && action === 'get' && parsed && printable(parsed.message) && parsed.message.length <= 1000) {
        printing = true;
        stop(`Paddock: ${parsed.message}`);
        return;
      }
      quit();
    });
  });
}

main();
