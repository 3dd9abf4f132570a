/*
 * Paddock's git credential helper for packaged apps: a "trampoline" (the
 * design of GitHub Desktop's desktop-trampoline). The packaged app has
 * Electron's runAsNode fuse off, so there is no Node to run
 * paddock-credential-helper.cjs; git runs this small program instead, as
 * `<path> [--environment ID --endpoint SOCKET --secret-file FILE] get|store|erase`.
 *
 * It understands nothing of git's request: it forwards its arguments, the
 * one value the protocol needs (the per-run capability in PADDOCK_CRED_TOKEN,
 * or the environment's secret read from --secret-file) and its stdin to the
 * runner's socket (PADDOCK_CRED_SOCKET, or --endpoint; a named pipe on
 * Windows), then copies the runner's answer to stdout (and its second part,
 * a sentence for the person at a terminal, to stderr). The runner parses and
 * checks everything (electron/runner/git/trampoline-frame.ts).
 *
 * Request frame: NUL, "PDKT1", NUL, then fields "name=value" each ended by a
 * NUL, then one more NUL. Names: arg (repeated, in order), capability,
 * secret, stdin. No value may hold a NUL (this program refuses one).
 * Answer: the bytes for stdout, NUL, the bytes for stderr; then the runner
 * closes the connection.
 *
 * Fixed buffers only, sizes bounded; on any error it exits 1 with no output,
 * and git goes on without a credential. The two exceptions are the Node
 * helper's for a push from a terminal (environment mode, `get`): no secret
 * file, or no runner listening — it prints the same sentence to stderr and
 * `quit=1` to stdout, so git stops at once.
 *
 * Build (POSIX): cc -O2 -o paddock-git-helper paddock-git-helper.c
 * Windows: cl /O2 paddock-git-helper.c, or MinGW: gcc -municode -O2 -o
 * paddock-git-helper.exe paddock-git-helper.c — only cross-compiled with
 * MinGW here, never run or tested on Windows; see docs/runners.md.
 */
#ifdef _WIN32
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <fcntl.h>
#include <io.h>
#include <wchar.h>
#else
#define _POSIX_C_SOURCE 200809L /* lstat, getuid under -std=c99 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STDIN 60000
#define MAX_FRAME 65536
#define MAX_ANSWER 65536
#define MAX_SECRET 256
#define MAX_ARGS 16
#define TIMEOUT_SECONDS 30

static const char NO_ENVIRONMENT[] =
    "Paddock no longer has this environment, so it gives no credentials for it. Create the environment again in Paddock.";
#ifndef _WIN32
static const char NOT_OURS[] = "Paddock: its credential endpoint is not in a folder only you can use, so git gets no credentials from it. Restart Paddock.";
#endif
static const char NOT_RUNNING[] = "Paddock is not running: start Paddock, then push again";

static char frame[MAX_FRAME];
static size_t frame_len;
static char input[MAX_STDIN + 1];
static char answer[MAX_ANSWER + 1];

static void fail(void) { exit(1); }

/* Appends "name=value\0"; refuses a value with a NUL, or a frame over the limit. */
static void add_field(const char *name, const char *value, size_t value_len) {
  size_t name_len = strlen(name);
  if (memchr(value, '\0', value_len) != NULL) fail();
  if (value_len > MAX_FRAME || frame_len + name_len + 1 + value_len + 2 > MAX_FRAME) fail();
  memcpy(frame + frame_len, name, name_len);
  frame_len += name_len;
  frame[frame_len++] = '=';
  memcpy(frame + frame_len, value, value_len);
  frame_len += value_len;
  frame[frame_len++] = '\0';
}

/* ---- platform: raw reads and writes, files, the connection ---- */

#ifdef _WIN32
typedef HANDLE conn_t;

static int read_fd(int fd, char *buf, size_t len) { return _read(fd, buf, (unsigned)len); }

static int write_all_fd(int fd, const char *buf, size_t len) {
  while (len > 0) {
    int n = _write(fd, buf, (unsigned)(len > 65536 ? 65536 : len));
    if (n <= 0) return -1;
    buf += n;
    len -= (size_t)n;
  }
  return 0;
}

static wchar_t *widen(const char *utf8) {
  static wchar_t wide[4096];
  if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, wide, 4096) == 0) return NULL;
  return wide;
}

/* Reads at most max bytes of the file; -1 when it cannot be opened or is larger. */
static long read_file(const char *path, char *buf, size_t max) {
  wchar_t *wpath = widen(path);
  HANDLE file;
  DWORD got = 0;
  if (wpath == NULL) return -1;
  file = CreateFileW(wpath, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
  if (file == INVALID_HANDLE_VALUE) return -1;
  if (!ReadFile(file, buf, (DWORD)max, &got, NULL)) got = (DWORD)-1;
  CloseHandle(file);
  return got == (DWORD)-1 || got >= max ? -1 : (long)got;
}

/* 1: connected; 0: nothing listens (the runner is not running); -1: another error. */
static int connect_endpoint(const char *endpoint, conn_t *out) {
  wchar_t *name = widen(endpoint);
  int attempt;
  if (name == NULL || wcsncmp(name, L"\\\\.\\pipe\\", 9) != 0) return -1;
  for (attempt = 0; attempt < 2; attempt++) {
    HANDLE pipe = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (pipe != INVALID_HANDLE_VALUE) {
      *out = pipe;
      return 1;
    }
    if (GetLastError() == ERROR_FILE_NOT_FOUND) return 0;
    if (GetLastError() != ERROR_PIPE_BUSY || !WaitNamedPipeW(name, 5000)) return -1;
  }
  return -1;
}

static int conn_write(conn_t conn, const char *buf, size_t len) {
  while (len > 0) {
    DWORD wrote = 0;
    if (!WriteFile(conn, buf, (DWORD)len, &wrote, NULL) || wrote == 0) return -1;
    buf += wrote;
    len -= wrote;
  }
  return 0;
}

/* Bytes read, 0 at the end (the runner closed its end), -1 on an error. */
static long conn_read(conn_t conn, char *buf, size_t len) {
  DWORD got = 0;
  if (!ReadFile(conn, buf, (DWORD)len, &got, NULL)) return GetLastError() == ERROR_BROKEN_PIPE ? 0 : -1;
  return (long)got;
}

static void conn_close(conn_t conn) { CloseHandle(conn); }

/* The whole run gives up after TIMEOUT_SECONDS, as the Node helper does. */
static DWORD WINAPI watchdog(LPVOID unused) {
  (void)unused;
  Sleep(TIMEOUT_SECONDS * 1000);
  ExitProcess(1);
  return 0;
}

static void start_timeout(void) {
  HANDLE thread = CreateThread(NULL, 0, watchdog, NULL, 0, NULL);
  if (thread == NULL) fail();
  CloseHandle(thread);
  _setmode(0, _O_BINARY);
  _setmode(1, _O_BINARY);
  _setmode(2, _O_BINARY);
}

static const char *env_value(const char *name) {
  static char values[2][4096];
  static int next;
  wchar_t *wname = widen(name);
  wchar_t wvalue[4096];
  DWORD n;
  char *slot = values[next++ % 2];
  if (wname == NULL) return NULL;
  n = GetEnvironmentVariableW(wname, wvalue, 4096);
  if (n == 0 || n >= 4096) return NULL;
  if (WideCharToMultiByte(CP_UTF8, 0, wvalue, -1, slot, 4096, NULL, NULL) == 0) return NULL;
  return slot;
}
#else
typedef int conn_t;

static int read_fd(int fd, char *buf, size_t len) {
  ssize_t n;
  do n = read(fd, buf, len);
  while (n < 0 && errno == EINTR);
  return (int)n;
}

static int write_all_fd(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, buf, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    buf += n;
    len -= (size_t)n;
  }
  return 0;
}

static long read_file(const char *path, char *buf, size_t max) {
  size_t got = 0;
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  for (;;) {
    int n = read_fd(fd, buf + got, max - got);
    if (n < 0) {
      close(fd);
      return -1;
    }
    if (n == 0) break;
    got += (size_t)n;
    if (got >= max) {
      close(fd);
      return -1;
    }
  }
  close(fd);
  return (long)got;
}

static int connect_endpoint(const char *endpoint, conn_t *out) {
  struct sockaddr_un address;
  int fd;
  if (strlen(endpoint) >= sizeof(address.sun_path)) return -1;
  memset(&address, 0, sizeof(address));
  address.sun_family = AF_UNIX;
  memcpy(address.sun_path, endpoint, strlen(endpoint) + 1);
  fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  while (connect(fd, (struct sockaddr *)&address, sizeof(address)) != 0) {
    int error = errno;
    if (error == EINTR) continue;
    close(fd);
    return error == ENOENT || error == ECONNREFUSED ? 0 : -1;
  }
  *out = fd;
  return 1;
}

static int conn_write(conn_t conn, const char *buf, size_t len) { return write_all_fd(conn, buf, len); }

static long conn_read(conn_t conn, char *buf, size_t len) { return read_fd(conn, buf, len); }

static void conn_close(conn_t conn) { close(conn); }

static void start_timeout(void) {
  /* SIGALRM's default action ends the process (non-zero, nothing printed). */
  signal(SIGPIPE, SIG_IGN);
  alarm(TIMEOUT_SECONDS);
}

static const char *env_value(const char *name) { return getenv(name); }

/*
 * The endpoint's folder must be this user's own and closed to others, and
 * whatever is at the endpoint this user's: otherwise another local user may
 * have made it first (the temp-folder fallback) to receive the secret. As
 * the Node helper's endpointIsOurs.
 */
static int endpoint_is_ours(const char *endpoint) {
  char folder[4096];
  const char *slash = strrchr(endpoint, '/');
  struct stat st;
  size_t len;
  if (!slash) return 0;
  len = slash == endpoint ? 1 : (size_t)(slash - endpoint);
  if (len >= sizeof(folder)) return 0;
  memcpy(folder, endpoint, len);
  folder[len] = '\0';
  if (lstat(folder, &st) != 0) return errno == ENOENT;
  if (!S_ISDIR(st.st_mode) || st.st_uid != getuid() || (st.st_mode & 077) != 0) return 0;
  if (lstat(endpoint, &st) != 0) return errno == ENOENT;
  return st.st_uid == getuid();
}
#endif

/* ---- the helper ---- */

/* Environment mode, `get`: one line for the person at the terminal, and git told to stop asking. */
static int stop(const char *message) {
  if (write_all_fd(2, message, strlen(message)) != 0 || write_all_fd(2, "\n", 1) != 0) return 1;
  return write_all_fd(1, "quit=1\n", 7) == 0 ? 0 : 1;
}

/* Whether git's request has ended: a blank line (git then closes stdin anyway). */
static int has_blank_line(const char *buf, size_t len) {
  size_t i;
  if (len > 0 && buf[0] == '\n') return 1;
  for (i = 1; i < len; i++)
    if (buf[i] == '\n' && buf[i - 1] == '\n') return 1;
  return 0;
}

/* git's request: everything up to the end of stdin or a blank line. */
static size_t read_stdin(void) {
  size_t got = 0;
  for (;;) {
    int n = read_fd(0, input + got, MAX_STDIN + 1 - got);
    if (n < 0) fail();
    if (n == 0) break;
    got += (size_t)n;
    if (got > MAX_STDIN) fail();
    if (has_blank_line(input, got)) break;
  }
  return got;
}

static int run(int argc, char **argv) {
  const char *action, *endpoint = NULL, *secret_file = NULL;
  int environment = 0, i, connected;
  size_t input_len, answer_len = 0;
  char *split;
  conn_t conn;

  start_timeout();
  if (argc < 2 || argc - 1 > MAX_ARGS) fail();
  action = argv[argc - 1];
  if (strcmp(action, "get") != 0 && strcmp(action, "store") != 0 && strcmp(action, "erase") != 0) fail();
  if ((argc - 2) % 2 != 0) fail();
  for (i = 1; i < argc - 1; i += 2) {
    if (strncmp(argv[i], "--", 2) != 0) fail();
    if (strcmp(argv[i], "--environment") == 0) environment = 1;
    else if (strcmp(argv[i], "--endpoint") == 0) endpoint = argv[i + 1];
    else if (strcmp(argv[i], "--secret-file") == 0) secret_file = argv[i + 1];
  }

  frame[frame_len++] = '\0';
  memcpy(frame + frame_len, "PDKT1", 5);
  frame_len += 5;
  frame[frame_len++] = '\0';
  for (i = 1; i < argc; i++) add_field("arg", argv[i], strlen(argv[i]));

  if (environment) {
    char secret[MAX_SECRET];
    long secret_len;
    if (endpoint == NULL || secret_file == NULL) fail();
    secret_len = read_file(secret_file, secret, sizeof(secret));
    if (secret_len < 0) {
      /* No secret file: the environment was deleted (or its runner's data with it). */
      if (strcmp(action, "get") == 0) return stop(NO_ENVIRONMENT);
      fail();
    }
    while (secret_len > 0 && (secret[secret_len - 1] == '\n' || secret[secret_len - 1] == '\r' ||
                              secret[secret_len - 1] == ' ' || secret[secret_len - 1] == '\t'))
      secret_len--;
    if (secret_len == 0) fail();
    add_field("secret", secret, (size_t)secret_len);
    memset(secret, 0, sizeof(secret));
  } else {
    const char *capability = env_value("PADDOCK_CRED_TOKEN");
    endpoint = env_value("PADDOCK_CRED_SOCKET");
    if (endpoint == NULL || *endpoint == '\0' || capability == NULL || *capability == '\0') fail();
    add_field("capability", capability, strlen(capability));
  }

  input_len = read_stdin();
  add_field("stdin", input, input_len);
  frame[frame_len++] = '\0';

#ifndef _WIN32
  if (environment && !endpoint_is_ours(endpoint)) {
    if (strcmp(action, "get") == 0) return stop(NOT_OURS);
    fail();
  }
#endif
  connected = connect_endpoint(endpoint, &conn);
  if (connected == 0 && environment && strcmp(action, "get") == 0) return stop(NOT_RUNNING);
  if (connected != 1) fail();
  if (conn_write(conn, frame, frame_len) != 0) fail();
  memset(frame, 0, sizeof(frame));
  for (;;) {
    long n = conn_read(conn, answer + answer_len, MAX_ANSWER + 1 - answer_len);
    if (n < 0) fail();
    if (n == 0) break;
    answer_len += (size_t)n;
    if (answer_len > MAX_ANSWER) fail();
  }
  conn_close(conn);

  split = memchr(answer, '\0', answer_len);
  if (split == NULL) fail();
  if (write_all_fd(1, answer, (size_t)(split - answer)) != 0) fail();
  if (write_all_fd(2, split + 1, answer_len - (size_t)(split - answer) - 1) != 0) fail();
  return 0;
}

#ifdef _WIN32
/* Arguments as UTF-8 (the frame's encoding), from the wide command line. */
int wmain(int argc, wchar_t **wargv) {
  static char storage[MAX_FRAME];
  static char *argv[MAX_ARGS + 2];
  size_t used = 0;
  int i;
  if (argc > MAX_ARGS + 1) return 1;
  for (i = 0; i < argc; i++) {
    int n = WideCharToMultiByte(CP_UTF8, 0, wargv[i], -1, storage + used, (int)(sizeof(storage) - used), NULL, NULL);
    if (n == 0) return 1;
    argv[i] = storage + used;
    used += (size_t)n;
  }
  argv[argc] = NULL;
  return run(argc, argv);
}
#else
int main(int argc, char **argv) { return run(argc, argv); }
#endif
