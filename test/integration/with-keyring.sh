#!/usr/bin/env bash
# Runs a command with the real OS keychain available.
# On Linux: a private D-Bus session with its own gnome-keyring, unlocked from
# stdin, keyring files in a temporary directory; both go away afterwards, so
# tests never touch the user's real keyring. Elsewhere: runs the command as is
# (macOS Keychain and Windows Credential Manager need no setup).
set -euo pipefail

if [[ "$(uname -s)" != "Linux" ]]; then
  exec "$@"
fi

if [[ -z "${PADDOCK_KEYRING_SESSION:-}" ]]; then
  for tool in dbus-run-session gnome-keyring-daemon dbus-send; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "with-keyring: $tool is missing; install the Debian packages dbus and gnome-keyring (bash .ci/run does)." >&2
      exit 69
    fi
  done
  export PADDOCK_KEYRING_SESSION=1
  exec dbus-run-session -- "$0" "$@"
fi

keyring_home="$(mktemp -d "${TMPDIR:-/tmp}/paddock-keyring.XXXXXX")"
export XDG_DATA_HOME="$keyring_home/data"
export XDG_RUNTIME_DIR="$keyring_home/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

# --unlock reads the password from stdin and creates the login keyring.
printf 'paddock-test-keyring' | gnome-keyring-daemon --foreground --unlock --components=secrets >"$keyring_home/daemon.log" 2>&1 &
daemon=$!
cleanup() {
  kill "$daemon" 2>/dev/null || true
  wait "$daemon" 2>/dev/null || true
  rm -rf "$keyring_home"
}
trap cleanup EXIT

for _ in $(seq 1 50); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    break
  fi
  sleep 0.1
done

set +e
"$@"
status=$?
set -e
exit "$status"
