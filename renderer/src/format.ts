import type { RunnerState } from '../../electron/common/api';
import type { Deadline } from '../../electron/common/providers';

// Token names in sentences are shared with the runner's and the core's messages.
export { shortTokenName, tokenNameInSentence } from '../../electron/common/providers';

/** Badge text for each health state: the state is always said in words, never by colour alone. */
export const runnerStateLabels: Record<RunnerState, string> = {
  starting: 'Starting…',
  online: 'Online',
  degraded: 'Degraded',
  offline: 'Offline',
  failed: 'Failed',
  unregistered: 'Needs registration',
};

/** "No providers", "1 provider", "3 providers": a runner's repository access entries. */
export function providerCount(count: number): string {
  if (count === 0) return 'No providers';
  return count === 1 ? '1 provider' : `${count} providers`;
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'always' });

const units: { unit: Intl.RelativeTimeFormatUnit; seconds: number }[] = [
  { unit: 'year', seconds: 365 * 24 * 3600 },
  { unit: 'month', seconds: 30 * 24 * 3600 },
  { unit: 'week', seconds: 7 * 24 * 3600 },
  { unit: 'day', seconds: 24 * 3600 },
  { unit: 'hour', seconds: 3600 },
  { unit: 'minute', seconds: 60 },
  { unit: 'second', seconds: 1 },
];

/**
 * "just now", "40 seconds ago", "2 minutes ago", "3 days ago"; a time
 * slightly in the future (clock skew) also reads "just now".
 */
export function relativeTime(then: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - then.getTime()) / 1000);
  if (seconds < 10) return 'just now';
  for (const { unit, seconds: size } of units) {
    if (seconds >= size) return relative.format(-Math.floor(seconds / size), unit);
  }
  return 'just now';
}

/**
 * A time before or after now, to the largest whole unit: "in 5 days",
 * "in 3 hours", "2 days ago"; within a minute either way, "now".
 */
export function relativeToNow(then: Date, now: Date): string {
  const seconds = Math.round((then.getTime() - now.getTime()) / 1000);
  const size = Math.abs(seconds);
  for (const unit of units) {
    if (unit.unit === 'second') break;
    if (size >= unit.seconds) return relative.format(Math.sign(seconds) * Math.floor(size / unit.seconds), unit.unit);
  }
  return 'now';
}

/** The exact time, for a title or the details page: "3 May 2025, 14:03:12" in the user's locale. */
export function exactTime(date: Date, locale?: string): string {
  return date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'medium' });
}

/**
 * A fingerprint (`sha256/<base64>`) cut into groups for reading aloud and
 * comparing by eye: the prefix, then groups of four characters. Joining the
 * groups gives the fingerprint back exactly.
 */
export function fingerprintGroups(spki: string): { prefix: string; groups: string[] } {
  const slash = spki.indexOf('/');
  const prefix = slash >= 0 ? spki.slice(0, slash + 1) : '';
  return { prefix, groups: textGroups(spki.slice(prefix.length), 4) };
}

/** `text` cut into groups of `size` characters; joining them gives it back exactly. */
export function textGroups(text: string, size: number): string[] {
  const groups: string[] = [];
  for (let i = 0; i < text.length; i += size) groups.push(text.slice(i, i + size));
  return groups;
}

/** A name to offer for a runner at `url`: its host name ("runner.example.com"). */
export function defaultRunnerName(url: string): string {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host.slice(0, 80) || 'Server runner';
  } catch {
    return 'Server runner';
  }
}

/** Days ahead of today within which a deadline also says how near it is ("in 5 days", "tomorrow"). */
export const deadlineNearDays = 30;

/**
 * A deadline as a sentence relative to `today` (the user's calendar day),
 * the date in the user's locale: "App passwords stopped working on 9 June
 * 2026.", "Global tokens stop working today.", "App passwords stop working
 * on 9 June 2026, in 5 days." `today` is injected so tests (and screens)
 * decide what today is.
 */
export function deadlineSentence(deadline: Deadline, today: Date, locale?: string): string {
  const [year, month, day] = deadline.date.split('-').map(Number) as [number, number, number];
  const at = Date.UTC(year, month - 1, day);
  const days = Math.round((at - Date.UTC(today.getFullYear(), today.getMonth(), today.getDate())) / 86_400_000);
  const date = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(at);
  const { what } = deadline;
  if (days < 0) return `${what} stopped working on ${date}.`;
  if (days === 0) return `${what} stop working today.`;
  if (days <= deadlineNearDays) return `${what} stop working on ${date}, ${new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(days, 'day')}.`;
  return `${what} stop working on ${date}.`;
}

/** A catalogue note as the UI shows it: its deadline's sentence (relative to today) first, then its text. */
export function noteText(note: { readonly text: string; readonly deadline?: Deadline | undefined }, today: Date, locale?: string): string {
  return note.deadline ? `${deadlineSentence(note.deadline, today, locale)} ${note.text}` : note.text;
}
