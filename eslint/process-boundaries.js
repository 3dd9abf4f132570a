// ESLint rule: the import rules of ARCHITECTURE.md ("Folders"), so that a
// wrong import fails lint instead of review. One table, checked for every
// import, export-from, dynamic import and require.
import path from 'node:path';
import { builtinModules } from 'node:module';

/** What each process folder may import from the project. */
export const allowedProjectImports = {
  'electron/common': [],
  'electron/core': ['electron/common'],
  'electron/main': ['electron/core', 'electron/common'],
  'electron/preload': ['electron/common'],
  'electron/runner': ['electron/common'],
  renderer: ['electron/common'],
};

/** Folders whose project imports must be `import type` only. */
const typeOnly = { 'electron/preload': ['electron/common'] };

/** Which folders may use Node built-ins, and which may import 'electron'. */
const mayUseNode = new Set(['electron/core', 'electron/main', 'electron/runner']);
const mayUseElectron = new Set(['electron/main', 'electron/preload']);

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

function folderOf(file, root) {
  const relative = path.relative(root, file).split(path.sep).join('/');
  return Object.keys(allowedProjectImports).find((folder) => relative === folder || relative.startsWith(`${folder}/`));
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Enforces which process folder may import which (design/ARCHITECTURE.md).' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: {
      project: '{{from}} may not import {{to}} ({{target}}). Allowed: {{allowed}}.',
      typeOnly: '{{from}} may import only types from {{to}}: use `import type`.',
      node: '{{from}} runs without Node: it may not import the Node built-in "{{target}}".',
      electron: '{{from}} may not import Electron: only electron/main and electron/preload do.',
    },
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const file = context.filename;
    const from = folderOf(file, root);
    if (!from) return {};

    function check(node, source, isTypeOnly) {
      if (typeof source !== 'string') return;
      // Project folders are always reached by relative paths, so a bare
      // 'electron…' specifier is the Electron package (types included).
      if (source === 'electron' || source.startsWith('electron/')) {
        if (!mayUseElectron.has(from)) context.report({ node, messageId: 'electron', data: { from } });
        return;
      }
      if (builtins.has(source) || builtins.has(source.split('/')[0])) {
        if (!mayUseNode.has(from)) context.report({ node, messageId: 'node', data: { from, target: source } });
        return;
      }
      if (!source.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), source);
      const to = folderOf(target, root);
      const relTarget = path.relative(root, target).split(path.sep).join('/');
      if (to === from) return;
      const allowed = allowedProjectImports[from];
      if (!to || !allowed.includes(to)) {
        context.report({
          node,
          messageId: 'project',
          data: { from, to: to ?? 'outside the app', target: relTarget, allowed: allowed.length ? allowed.join(', ') : 'nothing of the project' },
        });
        return;
      }
      if (typeOnly[from]?.includes(to) && !isTypeOnly) {
        context.report({ node, messageId: 'typeOnly', data: { from, to } });
      }
    }

    const isTypeImport = (node) =>
      node.importKind === 'type' ||
      node.exportKind === 'type' ||
      (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'));

    return {
      ImportDeclaration: (node) => check(node, node.source.value, isTypeImport(node)),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value, isTypeImport(node)),
      ExportAllDeclaration: (node) => check(node, node.source.value, node.exportKind === 'type'),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value, false),
      TSImportType: (node) => {
        const literal = node.argument?.literal ?? node.argument;
        if (literal?.type === 'Literal') check(node, literal.value, true);
      },
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node, node.arguments[0].value, false);
        }
      },
    };
  },
};
