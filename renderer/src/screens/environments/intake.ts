// How a repository URL reaches the window besides the field (issue 10, E2):
// pasted anywhere outside a field, or dropped from a browser or a file
// manager. Pure functions, so what each drag or paste gives is unit-tested.

/** The link types a drag may carry, in the order they are read. */
export const linkTypes = ['text/uri-list', 'text/x-moz-url', 'text/plain'] as const;

/** The part of a DataTransfer these functions read (real ones, and tests' stand-ins). */
export interface TransferLike {
  readonly types: ArrayLike<string> | readonly string[];
  getData(format: string): string;
}

/** Longer than any repository URL the parser takes: such text is not a link, and is not read further. */
const MAX_TEXT = 8192;

const typesOf = (transfer: Pick<TransferLike, 'types'>) => Array.from(transfer.types, (type) => type.toLowerCase());

/**
 * Whether a drag carries something that may be a link (seen on dragenter and
 * dragover, when only the types can be read). Files alone do not: dropping
 * them does nothing.
 */
export function carriesLink(transfer: Pick<TransferLike, 'types'> | null): boolean {
  if (!transfer) return false;
  const types = typesOf(transfer);
  return linkTypes.some((type) => types.includes(type));
}

/**
 * The text a drop gives, read on drop only: `text/uri-list`'s first line that
 * is not a comment (RFC 2483), else `text/x-moz-url`'s first line (URL, then
 * title), else `text/plain` trimmed. Null when none has any.
 */
export function linkFromTransfer(transfer: TransferLike | null): string | null {
  if (!transfer) return null;
  const types = typesOf(transfer);
  const read = (type: string) => (types.includes(type) ? transfer.getData(type).slice(0, MAX_TEXT) : '');
  const lines = (text: string) => text.split(/\r\n|\r|\n/).map((line) => line.trim());
  const uri = lines(read('text/uri-list')).find((line) => line !== '' && !line.startsWith('#'));
  if (uri) return uri;
  const moz = lines(read('text/x-moz-url')).find((line) => line !== '');
  if (moz) return moz;
  const plain = read('text/plain').trim();
  return plain === '' ? null : plain;
}

/** The text a paste gives, trimmed; null when it has none. */
export function textFromPaste(transfer: Pick<TransferLike, 'getData'> | null): string | null {
  const text = transfer?.getData('text/plain').slice(0, MAX_TEXT).trim() ?? '';
  return text === '' ? null : text;
}

/**
 * Whether a key press or paste lands in something that takes text (where
 * paste must behave as usual): inputs that take text, text areas, selects,
 * and anything contenteditable, or inside one.
 */
export function isEditableTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const element = target as HTMLElement;
  if (element.closest('textarea, select, [contenteditable]:not([contenteditable="false"])')) return true;
  if (element.isContentEditable) return true;
  const input = element.closest('input');
  if (!input) return false;
  const nonText = ['button', 'checkbox', 'radio', 'submit', 'reset', 'image', 'file', 'color', 'range', 'hidden'];
  return !nonText.includes(input.type);
}
