import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createProgressParser, MAX_LINE_LENGTH, parseProgress, parseProgressBody, type GitProgress, type GitProgressEvent } from '../../../../electron/runner/git/progress';

// Fixtures: stderr of real `git clone --progress` runs (git 2.39.5, LC_ALL=C), byte for byte:
//   clone-file.stderr            file:// clone, GIT_PROGRESS_DELAY=0 (every phase, "Updating files" included)
//   clone-file-columns30.stderr  the same with COLUMNS=30: long titles on their own line, updates indented
//   clone-http-throttled.stderr  smart HTTP from a throttled server: throughput, the server's "Total" mid-phase
//   clone-http-401.stderr        smart HTTP, a credential the server refuses
const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');

const progressOf = (events: GitProgressEvent[]) => events.filter((e): e is GitProgress => e.kind === 'progress');
const textsOf = (events: GitProgressEvent[], progress = false) => events.filter((e) => e.kind === 'text' && e.progress === progress).map((e) => (e.kind === 'text' ? e.text : ''));

function expectMonotonic(events: GitProgressEvent[]) {
  let last = 0;
  for (const event of progressOf(events)) {
    expect(event.overall).toBeGreaterThanOrEqual(last);
    expect(event.overall).toBeLessThanOrEqual(1);
    last = event.overall;
  }
}

describe('git progress: captured clones', () => {
  it('reads every phase of a file:// clone, in order, with counts and a weighted overall fraction', () => {
    const events = parseProgress(fixture('clone-file.stderr'));
    const progress = progressOf(events);
    const phases = [...new Set(progress.map((e) => e.phase))];
    expect(phases).toEqual(['enumerating', 'counting', 'compressing', 'receiving', 'resolving', 'updating']);

    expect(progress[0]).toEqual({
      kind: 'progress',
      phase: 'enumerating',
      title: 'remote: Enumerating objects',
      percent: null,
      done: true,
      processed: 356,
      total: null,
      bytes: null,
      throughput: null,
      overall: 0,
    });
    const receivedDone = progress.find((e) => e.phase === 'receiving' && e.done)!;
    expect(receivedDone).toMatchObject({ percent: 100, processed: 356, total: 356, bytes: Math.round(919.2 * 1024), throughput: Math.round(15.07 * 1024 * 1024) });
    // compressing 0.1 + receiving 0.6, done.
    expect(receivedDone.overall).toBeCloseTo(0.7, 10);
    const halfReceived = progress.find((e) => e.phase === 'receiving' && e.processed === 178)!;
    expect(halfReceived.overall).toBeCloseTo(0.1 + 0.6 * (178 / 356), 10);
    const resolvedDone = progress.find((e) => e.phase === 'resolving' && e.done)!;
    expect(resolvedDone.overall).toBeCloseTo(0.8, 10);
    expect(progress.at(-1)).toMatchObject({ phase: 'updating', title: 'Updating files', done: true, processed: 301, total: 301, overall: 1 });
    expectMonotonic(events);

    // "Checking objects" is no phase this parser knows: its updates are text marked as progress.
    const checking = textsOf(events, true);
    expect(checking.length).toBeGreaterThan(10);
    expect(checking.every((t) => t.startsWith('Checking objects: '))).toBe(true);
    expect(checking.at(-1)).toBe('Checking objects: 100% (1024/1024), done.');
    // The messages, trailing padding gone.
    expect(textsOf(events)).toEqual(["Cloning into 'dst'...", 'remote: Total 356 (delta 51), reused 0 (delta 0), pack-reused 0']);
  });

  it('follows titles git wrote on their own line (80 columns or fewer), also the server’s, across a message in between', () => {
    const raw = fixture('clone-file-columns30.stderr');
    const split = parseProgress(raw);
    // Every update git wrote, titled or indented, is an event: a known phase's, or text marked as progress
    // for the one phase this parser does not know ("Checking objects"), its title put back.
    const updates = raw.split(/\r|\n/).filter((segment) => /^(remote:)?.*\d+% \(\d+\/\d+\)|objects: \d+, done\./.test(segment));
    const unknown = textsOf(split, true);
    expect(progressOf(split).length + unknown.length).toBe(updates.length);
    expect(unknown.length).toBeGreaterThan(10);
    expect(unknown.every((t) => /^Checking objects: +\d+% \(\d+\/1024\)/.test(t))).toBe(true);
    expect([...new Set(progressOf(split).map((e) => e.phase))]).toEqual(['enumerating', 'counting', 'compressing', 'receiving', 'resolving', 'updating']);
    expect(progressOf(split).at(-1)).toMatchObject({ phase: 'updating', done: true, overall: 1 });
    expect(progressOf(split).find((e) => e.phase === 'counting' && e.processed === 11)).toMatchObject({ title: 'remote: Counting objects', percent: 3, total: 356 });
    expect(progressOf(split).find((e) => e.phase === 'receiving' && e.done)).toMatchObject({ bytes: Math.round(919.2 * 1024), throughput: Math.round(12.95 * 1024 * 1024) });
    expect(textsOf(split)).toEqual(["Cloning into 'dst2'...", 'remote: Total 356 (delta 51), reused 0 (delta 0), pack-reused 0']);
    expectMonotonic(split);
  });

  it('reads throughput as it changes during a slow HTTP clone, and the server’s message mid-phase as text', () => {
    const events = parseProgress(fixture('clone-http-throttled.stderr'));
    const receiving = progressOf(events).filter((e) => e.phase === 'receiving');
    expect(receiving[0]).toMatchObject({ processed: 1, total: 43, bytes: null, throughput: null });
    expect(receiving.find((e) => e.processed === 25 && e.bytes === Math.round(1.09 * 1024 * 1024))).toMatchObject({ throughput: 342 * 1024 });
    expect(receiving.at(-1)).toMatchObject({ done: true, percent: 100, bytes: Math.round(1.91 * 1024 * 1024), throughput: 340 * 1024, overall: 0.7 });
    // No deltas and no checkout progress (quicker than git's 2 s delay): the run ends at 0.7; the caller ends the bar.
    expect(progressOf(events).some((e) => e.phase === 'resolving' || e.phase === 'updating')).toBe(false);
    expect(textsOf(events)).toEqual(["Cloning into 'h1'...", 'remote: Total 43 (delta 0), reused 0 (delta 0), pack-reused 0']);
    expectMonotonic(events);
  });

  it('gives an authentication failure as text lines, the server’s and git’s', () => {
    const events = parseProgress(fixture('clone-http-401.stderr'));
    expect(events).toEqual([
      { kind: 'text', text: "Cloning into 'h2'...", progress: false },
      { kind: 'text', text: 'remote: Authentication required', progress: false },
      { kind: 'text', text: "fatal: Authentication failed for 'http://127.0.0.1:41573/big.git/'", progress: false },
    ]);
  });

  it('gives the same events however the stream is cut into chunks', () => {
    const text = fixture('clone-file-columns30.stderr');
    const whole = parseProgress(text);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: text.length }), { maxLength: 30 }), (cuts) => {
        const points = [...new Set([0, ...cuts, text.length])].sort((a, b) => a - b);
        const parser = createProgressParser();
        const events: GitProgressEvent[] = [];
        for (let i = 1; i < points.length; i += 1) events.push(...parser.push(text.slice(points[i - 1], points[i])));
        events.push(...parser.end());
        expect(events).toEqual(whole);
      }),
      { numRuns: 50 },
    );
  });
});

describe('git progress: formats from git’s source (progress.c, unpack-trees.c, entry.c)', () => {
  it('reads the checkout phase by its old name, and LFS’s delayed checkout', () => {
    const events = parseProgress(
      'Receiving objects: 100% (3/3), done.\nChecking out files:  50% (1/2)\rChecking out files: 100% (2/2), done.\nFiltering content:  50% (1/2), 1.00 KiB | 512.00 KiB/s\rFiltering content: 100% (2/2), 2.00 KiB | 1 byte/s, done.\n',
    );
    expect(progressOf(events).map((e) => [e.phase, e.title, e.overall])).toEqual([
      ['receiving', 'Receiving objects', 0.7],
      ['updating', 'Checking out files', expect.closeTo(0.9, 10)],
      ['updating', 'Checking out files', 1],
      ['filtering', 'Filtering content', 1],
      ['filtering', 'Filtering content', 1],
    ]);
    expect(progressOf(events).at(-1)).toMatchObject({ bytes: 2048, throughput: 1, percent: 100, done: true });
  });

  it('reads a count without a total, with throughput', () => {
    expect(parseProgressBody('1234, 5.50 MiB | 1.25 MiB/s')).toEqual({ percent: null, processed: 1234, total: null, bytes: Math.round(5.5 * 1024 ** 2), throughput: Math.round(1.25 * 1024 ** 2), done: false });
    expect(parseProgressBody('  7% (7/100)   ')).toMatchObject({ percent: 7, processed: 7, total: 100 });
    expect(parseProgressBody('100% (2/2), 3 bytes | 3 bytes/s, done.')).toMatchObject({ bytes: 3, throughput: 3, done: true });
    expect(parseProgressBody('1.00 GiB | 2.00 GiB/s')).toBeNull();
  });

  it('refuses bodies that only look like progress', () => {
    for (const body of ['Total 3 (delta 0)', '101% (1/1)', '50% (1/2), done., done.', '50% (1/2), oops', '12abc', '', 'done.']) {
      expect(parseProgressBody(body), body).toBeNull();
    }
  });

  it('counts earlier phases as complete once a later one is seen', () => {
    const events = progressOf(parseProgress('Resolving deltas:  50% (1/2)\r'));
    expect(events[0]!.overall).toBeCloseTo(0.1 + 0.6 + 0.05, 10);
  });

  it('never lowers the overall fraction when a phase runs again (a second fetch)', () => {
    const events = progressOf(parseProgress('Receiving objects: 100% (4/4), done.\nReceiving objects:  25% (1/4)\rReceiving objects: 100% (4/4), done.\n'));
    expect(events.map((e) => e.overall)).toEqual([0.7, 0.7, 0.7]);
    expect(events[1]).toMatchObject({ percent: 25, processed: 1 });
  });

  it('strips terminal escapes and control characters from text, and drops empty lines', () => {
    const events = parseProgress('remote: \x1b[1;31mDenied\x1b[m\x1b[K\r\n\r\n\x07fatal: no\n   \n');
    expect(events).toEqual([
      { kind: 'text', text: 'remote: Denied', progress: false },
      { kind: 'text', text: 'fatal: no', progress: false },
    ]);
  });

  it('keeps a message ending in ":" and reads what follows as text unless it is an update', () => {
    const events = parseProgress('error: Your local changes would be overwritten:\n\tREADME.md\nPlease commit.\n');
    expect(textsOf(events)).toEqual(['error: Your local changes would be overwritten:', '\tREADME.md', 'Please commit.']);
  });

  it('lets out a line without a terminator once it is too long, so memory stays bounded', () => {
    const parser = createProgressParser();
    const events = parser.push('x'.repeat(MAX_LINE_LENGTH * 3 + 5));
    expect(events.map((e) => (e.kind === 'text' ? e.text.length : 0))).toEqual([MAX_LINE_LENGTH, MAX_LINE_LENGTH, MAX_LINE_LENGTH]);
    expect(parser.end()).toEqual([{ kind: 'text', text: 'xxxxx', progress: false }]);
  });
});

describe('git progress: properties', () => {
  const titles = ['remote: Enumerating objects', 'remote: Counting objects', 'remote: Compressing objects', 'Receiving objects', 'Resolving deltas', 'Updating files', 'Checking out files', 'Filtering content', 'Checking objects', 'remote'];
  const line = fc.oneof(
    fc.record({ title: fc.constantFrom(...titles), n: fc.nat({ max: 500 }), total: fc.nat({ max: 500 }), done: fc.boolean(), end: fc.constantFrom('\r', '\n', '\r\n', '   \r') }).map(({ title, n, total, done, end }) => {
      const percent = total === 0 ? 0 : Math.floor((Math.min(n, total) * 100) / total);
      return `${title}: ${String(percent).padStart(3)}% (${Math.min(n, total)}/${total})${done ? ', done.\n' : end}`;
    }),
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.constantFrom('\r', '\n', ': ', '%', ', done.', ' (1/2)', 'remote: ', 'Receiving objects:', '  50% (1/2)'),
  );

  it('never throws, keeps overall within 0–1 and never lowers it within a run, whatever git writes and however it is cut', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 80 }), fc.array(fc.nat({ max: 50 }), { maxLength: 20 }), (lines, cuts) => {
        const text = lines.join('');
        const parser = createProgressParser();
        const events: GitProgressEvent[] = [];
        let at = 0;
        for (const cut of cuts) {
          events.push(...parser.push(text.slice(at, at + cut)));
          at += cut;
        }
        events.push(...parser.push(text.slice(at)), ...parser.end());
        let last = 0;
        for (const event of events) {
          if (event.kind === 'text') {
            expect(event.text.trim()).not.toBe('');
            expect(event.text.includes('\r') || event.text.includes('\n') || event.text.includes('\u001b')).toBe(false);
            continue;
          }
          expect(event.overall).toBeGreaterThanOrEqual(last);
          expect(event.overall).toBeLessThanOrEqual(1);
          expect(event.percent === null || (event.percent >= 0 && event.percent <= 100)).toBe(true);
          last = event.overall;
        }
      }),
      { numRuns: 300 },
    );
  });
});
