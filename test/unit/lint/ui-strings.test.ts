import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { providerCatalogue } from '../../../electron/common/providers';
import { dataStrings, lintUiString, sourceFiles, sourceStrings, violations, type UiString } from './ui-strings';

// Words customers can trust (issue 12 point 5; docs/providers.md, "Words in
// the UI"): every string the UI can show keeps the rules in ui-strings.ts.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Strings that break a rule for a reason. Each entry: where (file or
 * catalogue path), which text, and why it is right as it is.
 */
const allowlist: readonly { where: RegExp; text: RegExp; reason: string }[] = [
  {
    where: /^electron\/common\/providers\/schema\.ts:/,
    text: /^An unconfirmed fact needs a note/,
    reason: 'The catalogue schema’s own rule, for developers: it fails the catalogue unit test, never reaches the UI.',
  },
  {
    where: /^electron\/common\/errors\.ts:/,
    text: /`/,
    reason: 'Error codes’ summaries, for developers and docs/architecture.md: the UI shows the error’s message, never the summary.',
  },
  {
    where: /^electron\/common\/(runner-api\/routes|api\/contract)\.ts:/,
    text: /./,
    reason: 'API descriptions, for developers and the docs: the UI never shows them.',
  },
  {
    where: /^electron\/core\/runners\/calls\.ts:/,
    text: /^(it is starting\.|this workstation's credential)/,
    reason: 'Ends a sentence after a colon (“Build box is not running: it is starting.”).',
  },
  {
    where: /^electron\/runner\/oauth\/exchange\.ts:/,
    text: /^the (token|sign-in|renewal)/,
    reason: 'Ends a sentence after a colon (“Reconnect to GitHub: the renewal was refused.”).',
  },
  {
    where: /^electron\/core\/diagnostics\.ts:/,
    text: /^(states, client secrets|a secret was replaced)/,
    reason: 'Lines of the diagnostics archive’s README.txt, wrapped mid-sentence; the UI never shows them.',
  },
  {
    where: /^electron\/core\/app-core\.ts:/,
    text: /^it (is not valid JSON|could not be read)/,
    reason: 'Ends a sentence after a colon in the diagnostics’ README (“settings.json is left out: it is not valid JSON.”).',
  },
];

/** Where UI text comes from: the renderer, and the messages of the core, the runner and the shared code they send to it. */
const folders = ['renderer/src', 'electron/common', 'electron/core', 'electron/runner'];
/**
 * The catalogue entries are data: they are linted field by field (developer-only fields skipped), not as source.
 * The command lines (paddock, paddock-runner) print to a terminal, with its conventions (command names starting
 * lines, `commands` quoted in backticks); the UI shows none of their text.
 */
const skipFile = (file: string) =>
  file.startsWith('electron/common/providers/entries/') || file.startsWith('electron/core/cli/') || file === 'electron/runner/cli.ts';

function codebaseStrings(): UiString[] {
  const sources = folders.flatMap((folder) => sourceFiles(root, folder, skipFile));
  const fromSources = sources.flatMap((file) => sourceStrings(file, fs.readFileSync(path.join(root, file), 'utf8')));
  const fromCatalogue = Object.entries(providerCatalogue).flatMap(([kind, entry]) => [
    ...dataStrings(entry, `catalogue ${kind}`),
    // As the dialog shows them: "covers" as a sentence, "where" inside parentheses after the registration's name.
    { where: `catalogue ${kind}.covers, as a sentence`, text: `${entry.covers}.` },
    ...(entry.oauth.supported ? [{ where: `catalogue ${kind}.oauth.registration, as a sentence`, text: `Create it (${entry.oauth.registration.where}) with these values.` }] : []),
  ]);
  return [...fromSources, ...fromCatalogue];
}

describe('the UI-strings linter', () => {
  it.each([
    ['Not confirmed by the provider’s documentation.', /doubt/],
    ['Enter the secret: whether the PKCE flow works without it is not known.', /doubt/],
    ['Fine-grained tokens have no pre-fill link (removed from GitHub’s docs as broken).', /doubt/],
    ['This is probably the wrong host, check it.', /doubt/],
    ['Run `paddock-runner start` on the server.', /backtick/],
    ['App passwords stop working on 2026-06-09: use API tokens.', /ISO date/],
    ['Each organisation has its own tenant.', /organisation/],
    ['It reads X-OAuth-Scopes from the answer.', /header/],
    ['Users create a api token on Bitbucket Cloud.', /token name/],
    ['The host (the server (with its path)) is wrong.', /nested/],
    ['the host is wrong. Check it.', /lower case/],
    ['The host is wrong. check it.', /lower case/],
    ['Enter the tenant ID yourself. Enter the tenant ID yourself.', /repeated/],
  ])('fails %j', (text, rule) => {
    expect(lintUiString(text).map((violation) => violation.rule).join('\n')).toMatch(rule);
  });

  it.each([
    'Create the token for one organization, then paste it here.',
    'gitlab.com and self-managed GitLab answer at https://gitlab.com (for example).',
    'Users create an API token on Bitbucket Cloud, e.g. for git.',
    'button-primary',
    'Found: X belongs to tenant X.',
  ])('passes %j', (text) => {
    expect(lintUiString(text)).toEqual([]);
  });

  it('finds strings in a source file: literals, templates and JSX text runs', () => {
    const fixture = [
      "import x from 'some module path here';",
      "const a = 'Not confirmed by the provider’s documentation.';",
      'const b = `The organisation ${name} has no tenant.`;',
      'const c = <p className="one two three">Users create a {name.toLowerCase()} on {kind}, as planned.</p>;',
      "const d = element.querySelector('.dialog-body :is(select, input:not([readonly]))');",
    ].join('\n');
    const strings = sourceStrings('renderer/src/Fixture.tsx', fixture);
    expect(strings.map((item) => item.text)).toEqual([
      'Not confirmed by the provider’s documentation.',
      'The organisation X has no tenant.',
      'Users create a X on X, as planned.',
    ]);
    expect(violations(strings).map((item) => `${item.where} ${item.rule}`)).toEqual([
      expect.stringMatching(/^renderer\/src\/Fixture\.tsx:2 doubt/),
      expect.stringMatching(/^renderer\/src\/Fixture\.tsx:3 "organisation"/),
    ]);
  });

  it('skips the catalogue’s developer-only fields', () => {
    const strings = dataStrings({ text: 'Register the app.', note: 'Not confirmed: the spec is silent.', source: '§2.1' }, 'entry');
    expect(strings).toEqual([{ where: 'entry.text', text: 'Register the app.' }]);
  });
});

describe('the strings the UI can show', () => {
  it('keep the rules (docs/providers.md, “Words in the UI”)', () => {
    const strings = codebaseStrings();
    // Extraction really reaches the renderer, the runner's messages and the catalogue.
    expect(strings.some((item) => item.where.startsWith('renderer/src/screens/runners/ProviderDialog.tsx'))).toBe(true);
    expect(strings.some((item) => item.where.startsWith('electron/runner/providers/validate.ts'))).toBe(true);
    expect(strings.some((item) => item.where.startsWith('catalogue bitbucket-cloud.pat.notes'))).toBe(true);
    const found = violations(strings, allowlist).map((item) => `${item.where}: ${item.rule}\n    ${item.text}`);
    if (process.env.UI_STRINGS_REPORT) fs.writeFileSync(process.env.UI_STRINGS_REPORT, found.join('\n'));
    expect(found, found.join('\n')).toEqual([]);
  });
});
