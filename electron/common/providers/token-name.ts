// A provider's token name as the UI and messages write it (issue 12 point 5):
// the provider's own name and case ("API token", "HTTP access token",
// "personal access token"), also mid-sentence.

/** A token name without its qualifier, for buttons, titles and labels: "Personal access token (classic)" → "Personal access token". */
export function shortTokenName(name: string): string {
  return name.replace(/\s*\([^)]*\)$/, '');
}

/**
 * A provider's token name inside a sentence: "personal access token", but
 * names that start with an abbreviation keep their case ("API token",
 * "HTTP access token"). With `article`, the right "a" or "an" before it.
 */
export function tokenNameInSentence(name: string, options: { article?: boolean; short?: boolean } = {}): string {
  if (options.short) name = shortTokenName(name);
  // Two capitals first: an abbreviation or a name ("API", "HTTP", "OAuth"), kept as the provider writes it.
  const keepCase = /^[A-Z]{2}/.test(name);
  const inSentence = keepCase ? name : name.charAt(0).toLowerCase() + name.slice(1);
  if (!options.article) return inSentence;
  // An abbreviation is read letter by letter: "an API token", "an HTTP access token", "a URL".
  const vowelSound = keepCase ? /^[AEFHILMNORSX]/.test(name) : /^[aeiou]/i.test(inSentence);
  return `${vowelSound ? 'an' : 'a'} ${inSentence}`;
}
