// A parser of git's progress output (stderr of `git clone|fetch --progress`).
//
// git writes each update as "<title>: <body>" and ends it with "\r" while
// the phase runs and with ", done.\n" when it ends (git/git:progress.c):
//   "Receiving objects:  45% (161/356), 12.34 MiB | 2.39 MiB/s\r"
//   "remote: Enumerating objects: 356, done.\n"
// The server's own progress comes through the sideband, each line prefixed
// "remote: " and padded with spaces. A title longer than the terminal (80
// columns without one) is written once on its own line ("Receiving
// objects:") and its updates follow indented, without it ("  46% (…)").
// Phases are recognised by their title, not by one regular expression per
// phase; anything else becomes a text line.

/** The phases of a clone or fetch that the overall fraction counts. */
export type GitPhase = 'enumerating' | 'counting' | 'compressing' | 'receiving' | 'resolving' | 'updating' | 'filtering';

/** One update of a known phase. */
export interface GitProgress {
  readonly kind: 'progress';
  readonly phase: GitPhase;
  /** The title as git wrote it, e.g. "remote: Compressing objects". */
  readonly title: string;
  /** 0–100 as git computed it; null when git knows no total (enumerating). */
  readonly percent: number | null;
  /** git wrote ", done." (the phase ended). */
  readonly done: boolean;
  readonly processed: number;
  readonly total: number | null;
  /** Bytes received so far (from the throughput part; approximate, git rounds). */
  readonly bytes: number | null;
  /** Bytes per second (git's own measure). */
  readonly throughput: number | null;
  /** The whole operation's fraction 0–1, weighted by phase; never goes down within one parser. */
  readonly overall: number;
}

/**
 * A line that is not a known phase's progress: git's and the server's
 * messages ("Cloning into 'x'...", "remote: Total 356 …", "fatal: …").
 * `progress` is true for an update of a phase this parser does not know
 * ("Checking objects: 45% (461/1024)"): the next one replaces it, and it is
 * not a message worth keeping for an error.
 */
export interface GitText {
  readonly kind: 'text';
  readonly text: string;
  readonly progress: boolean;
}

export type GitProgressEvent = GitProgress | GitText;

const PHASE_BY_TITLE: ReadonlyMap<string, GitPhase> = new Map([
  ['remote: Enumerating objects', 'enumerating'],
  ['remote: Counting objects', 'counting'],
  ['remote: Compressing objects', 'compressing'],
  ['Receiving objects', 'receiving'],
  ['Resolving deltas', 'resolving'],
  ['Updating files', 'updating'],
  // The name of the checkout phase before git 2.22 or so (GitHub Desktop still waits for it).
  ['Checking out files', 'updating'],
  ['Filtering content', 'filtering'],
]);

/**
 * Phases in the order git runs them, with their share of the overall
 * fraction (GitHub Desktop's clone weights). Enumerating and counting are
 * quick and have none. "Filtering content" (delayed checkout filters such as
 * Git LFS) comes after "Updating files" and has none either: the overall
 * fraction is 1 by then, and its own percent is in the event.
 */
const PHASES: readonly { phase: GitPhase; weight: number }[] = [
  { phase: 'enumerating', weight: 0 },
  { phase: 'counting', weight: 0 },
  { phase: 'compressing', weight: 0.1 },
  { phase: 'receiving', weight: 0.6 },
  { phase: 'resolving', weight: 0.1 },
  { phase: 'updating', weight: 0.2 },
  { phase: 'filtering', weight: 0 },
];
const PHASE_INDEX = new Map(PHASES.map((p, i) => [p.phase, i]));

/** A line without a terminator longer than this is let out as it is (bounded memory). */
export const MAX_LINE_LENGTH = 8192;

const COUNTS = /^(\d{1,3})% \((\d+)\/(\d+)\)$/;
const COUNT = /^(\d+)$/;
const THROUGHPUT = /^(\d+(?:\.\d+)?) (GiB|MiB|KiB|bytes?) \| (\d+(?:\.\d+)?) (GiB|MiB|KiB|bytes?)\/s$/;
const UNIT: Readonly<Record<string, number>> = { GiB: 1024 ** 3, MiB: 1024 ** 2, KiB: 1024, bytes: 1, byte: 1 };
// CSI sequences (git's ANSI "clear to end of line" on a terminal, colours) and other control characters.
// eslint-disable-next-line no-control-regex
const CONTROL = /\x1b\[[0-9;?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

interface Body {
  percent: number | null;
  processed: number;
  total: number | null;
  bytes: number | null;
  throughput: number | null;
  done: boolean;
}

/** Reads "NN% (n/total)[, <size> | <rate>/s][, done.]" or "n[, …][, done.]"; null if it is not that. */
export function parseProgressBody(body: string): Body | null {
  const parts = body.split(',').map((part) => part.trim());
  const head = parts.shift() ?? '';
  let percent: number | null = null;
  let processed: number;
  let total: number | null = null;
  const counts = COUNTS.exec(head);
  if (counts) {
    percent = Number(counts[1]);
    processed = Number(counts[2]);
    total = Number(counts[3]);
    if (percent > 100) return null;
  } else {
    const count = COUNT.exec(head);
    if (!count) return null;
    processed = Number(count[1]);
  }
  if (!Number.isSafeInteger(processed) || (total !== null && !Number.isSafeInteger(total))) return null;
  let bytes: number | null = null;
  let throughput: number | null = null;
  let done = false;
  for (const part of parts) {
    const rate = THROUGHPUT.exec(part);
    if (rate && bytes === null && !done) {
      bytes = Math.round(Number(rate[1]) * UNIT[rate[2]!]!);
      throughput = Math.round(Number(rate[3]) * UNIT[rate[4]!]!);
    } else if (part === 'done.' && !done) {
      done = true;
    } else {
      return null;
    }
  }
  return { percent, processed, total, bytes, throughput, done };
}

/** The fraction of its phase one update stands for. */
function phaseFraction(body: Body): number {
  if (body.done) return 1;
  if (body.total !== null && body.total > 0) return Math.min(1, body.processed / body.total);
  if (body.percent !== null) return body.percent / 100;
  return 0;
}

export interface GitProgressParser {
  /** Feeds a piece of stderr (any split); returns the events of the lines it completed. */
  push(chunk: string): GitProgressEvent[];
  /** The end of the stream: the last line, if it had no terminator. */
  end(): GitProgressEvent[];
}

/**
 * A parser for one git run. `overall` counts every phase before the latest
 * one seen as complete (a clone without deltas has no "Resolving deltas")
 * and never goes down, also when a phase runs again (submodules, a second
 * fetch): it stays where it was until the new round passes it.
 */
export function createProgressParser(): GitProgressParser {
  let pending = '';
  let overall = 0;
  /** The latest phase seen (its index in PHASES), -1 before any. */
  let latest = -1;
  /** A long title git wrote on its own line; its updates follow without it. */
  let splitTitle: string | null = null;

  function text(line: string, progress: boolean): GitText {
    return { kind: 'text', text: line, progress };
  }

  function progress(title: string, phase: GitPhase, body: Body): GitProgress {
    const index = PHASE_INDEX.get(phase)!;
    if (index >= latest) {
      latest = index;
      let sum = 0;
      for (let i = 0; i < index; i += 1) sum += PHASES[i]!.weight;
      sum += PHASES[index]!.weight * phaseFraction(body);
      // Float sums of the weights may land a hair above 1.
      overall = Math.max(overall, Math.min(1, sum));
    }
    return { kind: 'progress', phase, title, ...body, overall };
  }

  function titled(title: string, bodyText: string, line: string): GitProgressEvent {
    const body = parseProgressBody(bodyText);
    if (!body) return text(line, false);
    const phase = PHASE_BY_TITLE.get(title);
    return phase ? progress(title, phase, body) : text(line, true);
  }

  /** A line ending in ':' that is not a known title: a message, or an unknown phase's long title (the next line tells). */
  let heldTitle: string | null = null;

  function parseLine(raw: string, out: GitProgressEvent[]): void {
    const line = raw.replace(CONTROL, '').trimEnd();
    if (line.trim() === '') return;
    const held = heldTitle;
    heldTitle = null;
    // The indented updates that follow a long title on its own line ("  46% (…)", or
    // "remote:     46% (…)" from the server).
    if (splitTitle !== null) {
      const indent = (splitTitle.startsWith('remote: ') ? /^remote:\s+/ : /^\s+/).exec(line);
      if (indent) {
        const body = line.slice(indent[0].length);
        const event = titled(splitTitle, body, `${splitTitle}: ${body}`);
        if (event.kind === 'progress' || event.progress) {
          if (event.kind === 'progress' && event.done) splitTitle = null;
          out.push(event);
          return;
        }
      }
    }
    if (held !== null) out.push(text(held, false));
    // "Receiving objects:" alone: a title too long for the terminal, whose updates come on the next lines.
    if (line.endsWith(':')) {
      splitTitle = line.slice(0, -1);
      if (!PHASE_BY_TITLE.has(splitTitle)) heldTitle = line;
      return;
    }
    const colon = line.lastIndexOf(': ');
    if (colon < 0) {
      out.push(text(line, false));
      return;
    }
    const event = titled(line.slice(0, colon), line.slice(colon + 2), line);
    // Another phase's update ends the long title's run; a message in between (the server's "Total …") does not.
    if (event.kind === 'progress' || event.progress) splitTitle = null;
    out.push(event);
  }

  function lines(parts: string[]): GitProgressEvent[] {
    const events: GitProgressEvent[] = [];
    for (const part of parts) parseLine(part, events);
    return events;
  }

  return {
    push(chunk) {
      pending += chunk;
      // "\r\n" splits into a line and an empty one, which is dropped; nothing is held back.
      const parts = pending.split(/\r|\n/);
      pending = parts.pop() ?? '';
      while (pending.length > MAX_LINE_LENGTH) {
        parts.push(pending.slice(0, MAX_LINE_LENGTH));
        pending = pending.slice(MAX_LINE_LENGTH);
      }
      return lines(parts);
    },
    end() {
      const rest = pending;
      pending = '';
      const events = lines(rest.split(/\r|\n/));
      if (heldTitle !== null) events.push(text(heldTitle, false));
      heldTitle = null;
      return events;
    },
  };
}

/** All events of a whole stderr text (tests, one-shot use). */
export function parseProgress(stderr: string): GitProgressEvent[] {
  const parser = createProgressParser();
  return [...parser.push(stderr), ...parser.end()];
}
