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
 * there.
 */
export async function folderToOpen(
  runner: Pick<Runner, 'kind' | 'name'>,
  environment: EnvironmentView | undefined,
  isFolder: (folder: string) => Promise<boolean>,
  api: Pick<typeof path, 'resolve' | 'sep'> = path,
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
  if (folder !== root && !folder.startsWith(root.endsWith(api.sep) ? root : root + api.sep)) {
    throw new PaddockError('internal', `${environment.repository} names a folder outside its working copy, so Paddock does not open it. Delete this environment and create it again from its URL.`);
  }
  if (!(await isFolder(folder))) {
    throw new PaddockError(
      'not-found',
      `The folder ${folder} of ${environment.repository} is not there any more: it was moved or deleted outside Paddock. Delete this environment and create it again from its URL.`,
    );
  }
  return folder;
}
