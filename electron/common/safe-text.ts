// Text a person reads and confirms later (an address in a confirmation, a
// provider's error description) must read as what it is.
//
// Control characters (C0, DEL, C1), format characters (bidirectional controls,
// zero-width characters, the soft hyphen, the byte-order mark) and the line and
// paragraph separators: each can make an address read differently from what it
// is (a person confirms it later), or break a line it is shown or logged on.
const unsafeInText = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
/** Half of a surrogate pair on its own: not text. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when the text has none of the characters above. */
export const isSafeText = (text: string): boolean => !unsafeInText.test(text) && !loneSurrogate.test(text);

/** Why a repository URL with such characters is refused, to the person who pasted, dropped or typed it. */
export const UNSAFE_URL_MESSAGE =
  'This address has invisible or direction-changing characters, so it may not be what it shows. Copy it again from where it came from, or type it.';
