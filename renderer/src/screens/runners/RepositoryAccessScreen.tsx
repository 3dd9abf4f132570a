import type { RefObject } from 'react';
import type { PaddockApi } from '../../../../electron/common/api';
import { BackLink, LoadError, Screen } from '../../components/Screen';
import { useRunners } from '../../hooks';
import { hashOf } from '../../routes';

/**
 * "Configure repository access" for one runner: where both the create-runner
 * flows and runner settings lead (R3, R4). A placeholder until providers arrive.
 */
export function RepositoryAccessScreen({ api, headingRef, runnerId }: { api: PaddockApi; headingRef: RefObject<HTMLHeadingElement | null>; runnerId: string }) {
  const runners = useRunners(api);
  const runner = runners.state === 'ready' ? runners.value.find((r) => r.id === runnerId) : undefined;
  const settingsHref = hashOf({ screen: 'runners', page: 'settings', runnerId });
  const listHref = hashOf({ screen: 'runners', page: 'list' });
  return (
    <Screen
      title="Configure repository access"
      headingRef={headingRef}
      before={runner ? <BackLink href={settingsHref}>{runner.name}</BackLink> : <BackLink href={listHref}>Runners</BackLink>}
    >
      {runners.state === 'loading' && <p aria-busy="true">Loading the runner…</p>}
      {runners.state === 'failed' && <LoadError message={runners.message} />}
      {runners.state === 'ready' && !runner && <LoadError message="That runner no longer exists." />}
      {runner && (
        <>
          <p className="lead">For {runner.name}.</p>
          <section className="panel" aria-labelledby="access-next">
            <h2 id="access-next">Coming in the next release</h2>
            <p>
              Repository access — which source-control providers this runner can reach (GitHub, GitLab, Bitbucket and Azure DevOps,
              in the cloud or self-hosted) and whether users sign in with OAuth or a personal access token — comes in the next release
              of Paddock. There is nothing to set up here yet.
            </p>
            <div className="actions">
              <a className="button button-primary" href={settingsHref}>
                Go to the runner’s settings
              </a>
              <a className="button" href={listHref}>
                Back to runners
              </a>
            </div>
          </section>
        </>
      )}
    </Screen>
  );
}
