import { useId, useState } from 'react';
import type { SimulatedProvider, Simulation } from '../../../electron/common/api';
import { hashOf } from '../routes';
import { CopyButton } from './CopyButton';

/**
 * Says that this page talks to simulated providers (the web host's
 * `--simulate` mode, for trying Paddock without a network) and lists what
 * to enter to try each one. The app itself never has a simulation, so it
 * never shows this. Collapsed until asked, so it stays out of the way.
 */
export function SimulationBanner({ simulation }: { simulation: Simulation }) {
  const [open, setOpen] = useState(false);
  const headingId = useId();
  const detailsId = useId();

  return (
    <section className="simulation" aria-labelledby={headingId}>
      <div className="simulation-head">
        <h2 id={headingId}>Simulated providers</h2>
        <button type="button" aria-expanded={open} aria-controls={detailsId} onClick={() => setOpen((value) => !value)}>
          {open ? 'Hide what to enter' : 'Show what to enter'}
        </button>
      </div>
      <p>
        This Paddock works with simulated providers running on this computer, not with the real GitHub, GitLab, Bitbucket or Azure DevOps. Nothing
        you enter here leaves this computer, and no real account is needed.
      </p>
      <div id={detailsId} hidden={!open}>
        <p>
          To try a provider, open <a href={hashOf({ screen: 'runners', page: 'access', runnerId: 'local' })}>repository access for the Local runner</a>,
          choose Add a new provider and enter the values listed for it below: validation then passes. Each simulated provider knows one account and
          accepts only its own personal access token.
        </p>
        <ul className="simulation-list">
          {simulation.providers.map((provider) => (
            <SimulatedProviderItem key={provider.name} provider={provider} />
          ))}
        </ul>
      </div>
    </section>
  );
}

/** One provider, closed to a line (its name and host) until opened: the values to enter, each with a Copy button. */
function SimulatedProviderItem({ provider }: { provider: SimulatedProvider }) {
  const host = provider.fields.find((field) => field.label === 'Host')?.value;
  const rows = [
    ...provider.fields.map((field) => ({ label: field.label, value: field.value, what: `the ${field.label} for ${provider.name}` })),
    { label: 'Account', value: provider.account, what: `the account for ${provider.name}` },
    { label: 'Personal access token', value: provider.personalAccessToken, what: `the personal access token for ${provider.name}` },
    ...provider.repositories.map((url, index) => ({
      label: index === 0 ? 'Repository to try' : 'Another repository to try',
      value: url,
      what: `a repository URL of ${provider.name}`,
    })),
  ];
  return (
    <li>
      <details className="simulation-item">
        <summary>
          <span className="simulation-name">{provider.name}</span>
          {host && <span className="simulation-host"> {host}</span>}
        </summary>
        <dl className="simulation-facts">
          {rows.map((row) => (
            <div key={row.label}>
              <dt>{row.label}</dt>
              <dd>
                <code>{row.value}</code>
                <CopyButton text={row.value} what={row.what} />
              </dd>
            </div>
          ))}
        </dl>
      </details>
    </li>
  );
}
