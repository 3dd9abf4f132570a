import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

// The UI-strings linter (issue 12 point 5, docs/providers.md "Words in the
// UI"): the rules each sentence the UI can show must keep, and the
// extraction of those sentences from the sources. Extraction is pragmatic:
// every string literal, template literal (each ${…} read as "X") and JSX
// text run (its {…} parts read as "X") that reads as prose — three words or
// more — counts; single tokens (class names, codes, paths) never do.

export interface UiString {
  /** Where it is: "renderer/src/App.tsx:12" or "catalogue github.pat.notes[0].text". */
  readonly where: string;
  readonly text: string;
}

export interface Violation extends UiString {
  readonly rule: string;
}

/** Doubt and implementation notes: what the catalogue's confirmed flags and notes are for, never the UI. */
const doubt =
  /\b(not confirmed|unconfirmed|not known|we think|probably|reportedly|TODO|FIXME|XXX)\b|\[(GUESS|UNVERIFIED)\]|removed from [^.]*\bdocs\b|\bnot (?:in|found in|documented in) (?:the )?(?:spec|provider[’']s documentation|provider[’']s docs)\b|\bthe spec\b/i;

/** Words that start a sentence in lower case and are still right: host names, URLs, code. */
const lowercaseStartAllowed = /^(?:[a-z0-9-]+\.[a-z]{2,}|[a-z]+:\/\/|[a-z][\w-]*[_/:@[][\w/:@.\]-]*|[a-z]+[A-Z]\w*|git\b|e\.g\.|i\.e\.|vs\.)/;

/** The rules, each a name and a test giving what it found (or null). */
const rules: readonly { name: string; find: (text: string) => string | null }[] = [
  { name: 'doubt or implementation note', find: (text) => doubt.exec(text)?.[0] ?? null },
  { name: 'raw backtick (render code as <code>, or rephrase)', find: (text) => (text.includes('`') ? '`' : null) },
  { name: 'fixed ISO date (dates are data: render them with format.ts)', find: (text) => /\b\d{4}-\d{2}-\d{2}\b/.exec(text)?.[0] ?? null },
  { name: '"organisation" (the providers spell it "organization")', find: (text) => /\borganis\w*/i.exec(text)?.[0] ?? null },
  { name: 'HTTP header name (say what it means instead)', find: (text) => /\bX-[A-Z][A-Za-z]*(?:-[A-Z][A-Za-z]*)+\b/.exec(text)?.[0] ?? null },
  {
    name: 'token name in lower case (the provider writes "API token", "HTTP access token")',
    find: (text) => /\b(?:api token|http access token|Api token|Http access token)s?\b/.exec(text)?.[0] ?? null,
  },
  { name: 'nested parentheses', find: nestedParentheses },
  { name: 'sentence starting in lower case', find: lowercaseSentence },
  { name: 'repeated sentence', find: repeatedSentence },
];

function nestedParentheses(text: string): string | null {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') {
      depth++;
      if (depth === 2) return text.slice(Math.max(0, i - 20), i + 20);
    } else if (text[i] === ')') depth = Math.max(0, depth - 1);
  }
  return null;
}

function lowercaseSentence(text: string): string | null {
  // The first sentence, when the text is a whole sentence (not a fragment joined to others: those start with a space or end without a stop).
  if (/^[a-z]/.test(text) && /[.!?]$/.test(text.trimEnd()) && !lowercaseStartAllowed.test(text)) return text.slice(0, 30);
  for (const match of text.matchAll(/(?<!\b(?:e\.g|i\.e|etc|vs))[.!?]\s+(?=[a-z])/g)) {
    const rest = text.slice((match.index ?? 0) + match[0].length);
    // "…/oauth/callback? or http://…": the stop is part of an address.
    const before = text.slice(0, match.index ?? 0).split(/\s/).pop() ?? '';
    if (before.includes('://')) continue;
    if (!lowercaseStartAllowed.test(rest)) return text.slice(match.index ?? 0, (match.index ?? 0) + match[0].length + 20);
  }
  return null;
}

function repeatedSentence(text: string): string | null {
  const sentences = text
    .split(/(?<=[.!?])\s+/)
    .map((sentence) => sentence.trim().toLowerCase())
    .filter((sentence) => sentence.split(/\s+/).length >= 3);
  const seen = new Set<string>();
  for (const sentence of sentences) {
    if (seen.has(sentence)) return sentence;
    seen.add(sentence);
  }
  return null;
}

/** Whether a string reads as text for people: three words or more, one of them a real word. */
export function isProse(text: string): boolean {
  const words = text.trim().split(/\s+/);
  return words.length >= 3 && /[A-Za-z]{2,}/.test(text);
}

/** The rules a string breaks; [] when it keeps them all (or is not prose). */
export function lintUiString(text: string): { rule: string; found: string }[] {
  const normalized = text.replace(/\s+/g, ' ');
  if (!isProse(normalized)) return [];
  return rules.flatMap((rule) => {
    const found = rule.find(normalized);
    return found === null ? [] : [{ rule: rule.name, found }];
  });
}

// ---------------------------------------------------------------- extraction

/** Module specifiers, type positions and JSX attributes that never hold UI text. */
const codeAttributes = new Set(['className', 'key', 'id', 'role', 'type', 'href', 'src', 'rel', 'target', 'data-testid', 'autoComplete', 'inputMode', 'pattern']);

function jsxChildText(children: ts.NodeArray<ts.JsxChild>): string {
  return children
    .map((child) => {
      if (ts.isJsxText(child)) return child.text;
      if (ts.isJsxExpression(child)) {
        if (!child.expression) return '';
        if (ts.isStringLiteral(child.expression) || ts.isNoSubstitutionTemplateLiteral(child.expression)) return child.expression.text;
        return 'X';
      }
      return 'X';
    })
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

const selectorMethods = new Set(['querySelector', 'querySelectorAll', 'closest', 'matches']);

function isCodePosition(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent) || ts.isLiteralTypeNode(parent) || ts.isExternalModuleReference(parent)) return true;
  if (ts.isCallExpression(parent) && parent.expression.kind === ts.SyntaxKind.ImportKeyword) return true;
  // CSS selectors given to DOM queries.
  if (ts.isCallExpression(parent) && ts.isPropertyAccessExpression(parent.expression) && selectorMethods.has(parent.expression.name.text)) return true;
  if (ts.isJsxAttribute(parent) && codeAttributes.has(parent.name.getText())) return true;
  // Already part of the JSX text run around it.
  if (ts.isJsxExpression(parent) && (ts.isJsxElement(parent.parent) || ts.isJsxFragment(parent.parent))) return true;
  return false;
}

const templateText = (node: ts.TemplateExpression) => node.head.text + node.templateSpans.map((span) => `X${span.literal.text}`).join('');

function isStringish(node: ts.Node): boolean {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node);
}

/** A + chain with a string literal in it. */
function isConcatenation(node: ts.Node): node is ts.BinaryExpression {
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.PlusToken) return false;
  const sides = [node.left, node.right];
  return sides.some((side) => isStringish(side) || isConcatenation(side));
}

function concatenationText(node: ts.Expression): string {
  if (ts.isParenthesizedExpression(node)) return concatenationText(node.expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return templateText(node);
  if (isConcatenation(node)) return concatenationText(node.left) + concatenationText(node.right);
  return 'X';
}

/** The strings a TypeScript or TSX source holds that the UI can show. */
export function sourceStrings(file: string, source: string): UiString[] {
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, kind);
  const found: UiString[] = [];
  const add = (node: ts.Node, text: string) => {
    const line = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
    found.push({ where: `${file}:${line}`, text });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isJsxElement(node) || ts.isJsxFragment(node)) {
      const text = jsxChildText(node.children);
      if (text !== '') add(node, text);
    } else if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && !isCodePosition(node)) {
      add(node, node.text);
    } else if (ts.isTemplateExpression(node) && !isCodePosition(node)) {
      add(node, templateText(node));
    } else if (isConcatenation(node) && !isConcatenation(node.parent)) {
      // 'One sentence, ' + 'continued.': one text; its literal parts are not read again on their own.
      add(node, concatenationText(node));
      const operands = (side: ts.Expression): ts.Expression[] => (isConcatenation(side) ? [...operands(side.left), ...operands(side.right)] : [side]);
      for (const operand of operands(node)) {
        if (ts.isTemplateExpression(operand)) operand.templateSpans.forEach((span) => visit(span.expression));
        else if (!isStringish(operand)) visit(operand);
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** Catalogue fields for developers and docs only: never shown (docs/providers.md, "Words in the UI"). */
export const developerOnlyFields = new Set(['source', 'note', 'confirmed', 'reads']);

/** The strings of a catalogue-like value, by path, skipping developer-only fields. */
export function dataStrings(value: unknown, where: string): UiString[] {
  if (typeof value === 'string') return [{ where, text: value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => dataStrings(item, `${where}[${index}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => (developerOnlyFields.has(key) ? [] : dataStrings(item, `${where}.${key}`)));
  }
  return [];
}

/** Every .ts/.tsx file under a folder, relative to root, skipping those `skip` names. */
export function sourceFiles(root: string, folder: string, skip: (file: string) => boolean = () => false): string[] {
  const files: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') && !skip(child)) files.push(child);
    }
  };
  walk(folder);
  return files.sort();
}

/** Violations of a list of strings, minus those an allowlist entry explains. */
export function violations(strings: readonly UiString[], allowed: readonly { where: RegExp; text: RegExp }[] = []): Violation[] {
  return strings.flatMap((item) =>
    lintUiString(item.text)
      .filter(() => !allowed.some((entry) => entry.where.test(item.where) && entry.text.test(item.text)))
      .map(({ rule, found }) => ({ ...item, rule: `${rule}: “${found}”` })),
  );
}
