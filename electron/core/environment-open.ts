import fs from 'node:fs';
import path from 'node:path';
import type { Runner } from '../common/api';
import { PaddockError } from '../common/errors';
import type { EnvironmentView } from '../common/runner-api';

// Opening an environment on this computer (PRODUCT E4): which folder, as
// its runner says it is — the renderer never names a path. Only the local
// runner's environments are on this computer; a server runner's are
// reached with ssh (the screen shows the command).

/**
 * The folder to open for an environment: the working copy, or the
 * sub-folder its URL pointed at. Refused, with what to do, unless the
 * runner is this computer's, the environment is ready and the folder is
 * there — inside the working copy both by its path and by where its links
 * lead (a repository can commit `docs -> ../../..`).
 */
export async function folderToOpen(
  runner: Pick<Runner, 'kind' | 'name'>,
  environment: EnvironmentView | undefined,
  isFolder: (folder: string) => Promise<boolean>,
  api: Pick<typeof path, 'resolve' | 'sep'> = path,
  realpath: (file: string) => Promise<string> = (file) => fs.promises.realpath(file),
): Promise<string> {
  if (runner.kind !== 'local') {
    throw new PaddockError(
      'invalid-input',
      `This environment is on ${runner.name}, a runner on a server, so its folder is on that server, not on this computer. Use the ssh command or the VS Code Remote-SSH link shown with it.`,
    );
  }
  if (!environment) throw new PaddockError('not-found', `This environment is no longer on ${runner.name}. It may have been deleted; the list shows what is there.`);
  if (environment.state !== 'ready') {
    const why =
      environment.state === 'creating' ? 'it is still being cloned. Open it once it is ready' : `its clone ${environment.state === 'failed' ? 'failed' : 'was cancelled'}. Retry it first`;
    throw new PaddockError('conflict', `${environment.repository} cannot be opened yet: ${why}.`);
  }
  const root = api.resolve(environment.path);
  const folder = environment.subPath ? api.resolve(root, environment.subPath) : root;
  const inside = (candidate: string, parent: string) => candidate === parent || candidate.startsWith(parent.endsWith(api.sep) ? parent : parent + api.sep);
  if (!inside(folder, root)) {
    throw new PaddockError('internal', `${environment.repository} names a folder outside its working copy, so Paddock does not open it. Delete this environment and create it again from its URL.`);
  }
  const gone = () =>
    new PaddockError(
      'not-found',
      `The folder ${folder} of ${environment.repository} is not there any more: it was moved or deleted outside Paddock. Delete this environment and create it again from its URL.`,
    );
  if (!(await isFolder(folder))) throw gone();
  if (folder !== root) {
    // Where the links lead: the sub-folder, or a folder on its way, may be a link the repository committed.
    const [realRoot, realFolder] = await Promise.all([realpath(root), realpath(folder)]).catch(() => {
      throw gone();
    });
    if (!inside(realFolder, realRoot)) {
      throw new PaddockError(
        'invalid-input',
        `The folder ${environment.subPath} of ${environment.repository} is a link to a place outside its working copy, so Paddock does not open it. If you did not expect that, delete this environment.`,
      );
    }
  }
  return folder;
}
