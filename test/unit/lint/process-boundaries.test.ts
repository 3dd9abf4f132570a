import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const eslint = new ESLint({ cwd: root });

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'paddock/process-boundaries').map((m) => m.message);
}

describe('process boundaries (ARCHITECTURE.md import rules) fail lint', () => {
  it.each([
    ['renderer/src/Bad.tsx', "import { createCore } from '../../electron/core/app-core';\nexport const x = createCore;\n", /renderer may not import electron\/core/],
    ['electron/core/bad.ts', "import { app } from 'electron';\nexport const x = app;\n", /may not import Electron/],
    ['electron/core/bad.ts', "import { setupIpc } from '../main/ipc';\nexport const x = setupIpc;\n", /electron\/core may not import electron\/main/],
    ['electron/common/bad.ts', "import fs from 'node:fs';\nexport const x = fs;\n", /runs without Node/],
    ['electron/common/bad.ts', "import { createLogger } from '../core/logger';\nexport const x = createLogger;\n", /electron\/common may not import electron\/core/],
    ['electron/runner/bad.ts', "import { openStore } from '../core/store/store';\nexport const x = openStore;\n", /electron\/runner may not import electron\/core/],
    ['electron/runner/bad.ts', "import electron from 'electron';\nexport const x = electron;\n", /may not import Electron/],
    ['electron/preload/bad.ts', "import { apiMethods } from '../common/api';\nexport const x = apiMethods;\n", /only types/],
    ['renderer/src/bad.ts', "import path from 'node:path';\nexport const x = path;\n", /runs without Node/],
    ['renderer/src/bad.ts', "export const load = () => import('../../electron/main/ipc');\n", /renderer may not import electron\/main/],
    ['electron/common/bad.ts', "export * from '../../renderer/src/App';\n", /electron\/common may not import renderer/],
  ])('%s: %s', async (file, code, expected) => {
    const errors = await boundaryErrors(file, code);
    expect(errors.join('\n')).toMatch(expected);
  });

  it.each([
    ['electron/main/ok.ts', "import { app } from 'electron';\nimport { createCore } from '../core/app-core';\nexport const x = [app, createCore];\n"],
    ['electron/core/ok.ts', "import fs from 'node:fs';\nimport { apiMethods } from '../common/api';\nexport const x = [fs, apiMethods];\n"],
    ['electron/preload/ok.ts', "import type { PaddockApi } from '../common/api';\nexport type X = PaddockApi;\n"],
    ['renderer/src/ok.ts', "import { isPaddockError } from '../../electron/common/errors';\nexport const x = isPaddockError;\n"],
  ])('allows %s', async (file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });
});
