import type { ContextUrl } from '../../common/context-url/schema';
import { PaddockError } from '../../common/errors';
import type { ProviderKind } from '../../common/provider-kind';

// What to fetch and check out for a context URL (GIT-AND-DESKTOP §2): pure,
// so each provider's pull-request rule and the reading of a ref name with a
// slash are tested on their own.

/** How the clone gets to the ref the URL names. */
export type CheckoutPlan =
  /** The remote's default branch. */
  | { type: 'default' }
  /** A branch or tag known by its full name: `git clone --branch`. */
  | { type: 'branch' | 'tag'; name: string }
  /** A commit: cloned, then checked out detached. */
  | { type: 'commit'; sha: string }
  /**
   * A name taken from a path (GitHub's tree/feature/x/src): which part is the
   * ref and which the folder is read from the remote's refs (`ls-remote`).
   */
  | { type: 'ambiguous'; segments: string[] }
  /** A pull or merge request the base repository keeps a ref for: fetched by that ref. */
  | { type: 'pull-ref'; number: number; ref: string }
  /** A pull request the provider keeps no head ref for: its source repository and branch come from the provider's API. */
  | { type: 'pull-api'; number: number };

/** The ref a provider keeps for pull request N's head in the base repository, or null where it keeps none (§2). */
export function pullRequestRef(kind: ProviderKind, number: number): string | null {
  switch (kind) {
    case 'github':
      return `refs/pull/${number}/head`;
    case 'gitlab':
      return `refs/merge-requests/${number}/head`;
    case 'bitbucket-dc':
      return `refs/pull-requests/${number}/from`;
    // Bitbucket Cloud keeps no pull-request refs; Azure DevOps only the merge preview refs/pull/N/merge.
    case 'bitbucket-cloud':
    case 'azure-devops':
    case 'azure-devops-server':
      return null;
  }
}

export function checkoutPlan(context: Pick<ContextUrl, 'provider' | 'ref' | 'path' | 'refAmbiguous'>): CheckoutPlan {
  const { ref } = context;
  if (ref === null) return { type: 'default' };
  switch (ref.type) {
    case 'branch':
      if (context.refAmbiguous) return { type: 'ambiguous', segments: [...ref.name.split('/'), ...(context.path ? context.path.split('/') : [])] };
      return { type: 'branch', name: ref.name };
    case 'tag':
      return { type: 'tag', name: ref.name };
    case 'commit':
      return { type: 'commit', sha: ref.sha };
    case 'pull': {
      const pull = pullRequestRef(context.provider, ref.number);
      return pull ? { type: 'pull-ref', number: ref.number, ref: pull } : { type: 'pull-api', number: ref.number };
    }
  }
}

/** The branches and tags `git ls-remote --heads --tags` listed, by short name. */
export interface RemoteRefs {
  readonly branches: ReadonlySet<string>;
  readonly tags: ReadonlySet<string>;
}

/** Reads `git ls-remote --heads --tags` output ("<sha>\trefs/heads/<name>" lines; peeled tags "^{}" folded in). */
export function parseLsRemote(output: string): RemoteRefs {
  const branches = new Set<string>();
  const tags = new Set<string>();
  for (const line of output.split('\n')) {
    const ref = line.split('\t')[1]?.trim();
    if (!ref) continue;
    if (ref.startsWith('refs/heads/')) branches.add(ref.slice('refs/heads/'.length));
    else if (ref.startsWith('refs/tags/')) tags.add(ref.slice('refs/tags/'.length).replace(/\^\{\}$/, ''));
  }
  return { branches, tags };
}

/**
 * An ambiguous name read against the remote's refs: the longest leading
 * run of segments that is a branch (or else a tag) is the ref, the rest the
 * folder. GitHub reads these paths the same way, longest ref first.
 */
export function resolveAmbiguous(segments: readonly string[], refs: RemoteRefs): { type: 'branch' | 'tag'; name: string; subPath: string | null } {
  for (let length = segments.length; length > 0; length--) {
    const name = segments.slice(0, length).join('/');
    const type = refs.branches.has(name) ? 'branch' : refs.tags.has(name) ? 'tag' : null;
    if (type) {
      const rest = segments.slice(length).join('/');
      return { type, name, subPath: rest === '' ? null : rest };
    }
  }
  throw new PaddockError(
    'not-found',
    `The repository has no branch or tag named “${segments[0]}”${segments.length > 1 ? ` (nor “${segments.slice(0, 2).join('/')}”, …)` : ''}. It may have been deleted or renamed: copy the URL again from the provider.`,
  );
}

/** Azure DevOps names a pull request's branches `refs/heads/<name>`: the name alone (a branch with no such prefix is kept as it is). */
export function branchOfRefName(refName: string): string {
  return refName.startsWith('refs/heads/') ? refName.slice('refs/heads/'.length) : refName;
}
