import { useId, useState } from 'react';
import type { DesktopSettings, NetworkPreferences, PaddockApi, Preferences } from '../../../../electron/common/api';
import { Field } from '../../components/Field';
import { ManagedBadge } from '../../components/ManagedBadge';
import { SaveStatus, usePreferenceSaver } from './saving';

type NetworkField = keyof NetworkPreferences;
const order: readonly NetworkField[] = ['proxy', 'noProxy', 'caFile'];
const paths = ['network.proxy', 'network.noProxy', 'network.caFile'] as const;
type NetworkPath = (typeof paths)[number];
const pathOf = (field: NetworkField): NetworkPath => `network.${field}`;

const labels: Record<NetworkField, { label: string; hint: string }> = {
  proxy: {
    label: 'Proxy',
    hint: 'Such as http://proxy.example.com:3128. Leave it empty to use your environment’s HTTPS_PROXY, if it has one.',
  },
  noProxy: {
    label: 'Hosts without the proxy',
    hint: 'Reached directly, separated by commas: localhost, .corp.example.com, 10.0.0.0/8. Used only with the proxy above.',
  },
  caFile: {
    label: 'Certificate authorities (CA file)',
    hint: 'The full path of a PEM file with your company’s certificate authorities, trusted as well as those of your system.',
  },
};

/** The local runner's proxy and CA file; what the admin policy sets is shown, not editable. */
export function NetworkSection({ api, preferences, desktop }: { api: PaddockApi; preferences: Preferences; desktop: DesktopSettings | null }) {
  const headingId = useId();
  const { state, errors, save, clearError } = usePreferenceSaver(api, paths);
  const saved = preferences.network;
  const [draft, setDraft] = useState<Record<NetworkField, string>>(() => ({ proxy: saved.proxy ?? '', noProxy: saved.noProxy ?? '', caFile: saved.caFile ?? '' }));
  // Another window (or the tidied value the core saved) changed them: show what is saved, unless the field has an error to fix.
  const savedKey = JSON.stringify(saved);
  const [shown, setShown] = useState(savedKey);
  if (shown !== savedKey) {
    setShown(savedKey);
    setDraft((d) => ({
      proxy: errors.fields['network.proxy'] ? d.proxy : (saved.proxy ?? ''),
      noProxy: errors.fields['network.noProxy'] ? d.noProxy : (saved.noProxy ?? ''),
      caFile: errors.fields['network.caFile'] ? d.caFile : (saved.caFile ?? ''),
    }));
  }
  const policy = desktop?.networkPolicy ?? null;
  const managed = (field: NetworkField) => policy !== null && (field === 'caFile' ? policy.caFile !== null : policy.proxy !== null);

  const commit = (field: NetworkField) => {
    const text = draft[field].trim();
    if (text === (saved[field] ?? '')) return;
    const network = { ...saved, [field]: text === '' ? null : text };
    const done = text === '' ? `${labels[field].label} removed. The local runner restarts to use it.` : `${labels[field].label} saved. The local runner restarts to use it.`;
    void save({ network }, done);
  };
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Network</h2>
      <p>
        For the local runner on this computer: its requests to providers and git go through this proxy and trust these certificate authorities. Saving
        restarts the local runner; a clone in progress then stops, and you can retry it.
      </p>
      {policy && (
        <div className="managed-settings">
          <p>
            <ManagedBadge /> Your admin’s policy ({policy.source}) sets these; they cannot be changed here.
          </p>
          <dl className="facts">
            {policy.proxy !== null && (
              <>
                <dt>Proxy</dt>
                <dd>{policy.proxy}</dd>
                <dt>Hosts without the proxy</dt>
                <dd>{policy.noProxy ?? 'None'}</dd>
              </>
            )}
            {policy.caFile !== null && (
              <>
                <dt>Certificate authorities (CA file)</dt>
                <dd>{policy.caFile}</dd>
              </>
            )}
          </dl>
        </div>
      )}
      <div>
        {order
          .filter((field) => !managed(field))
          .map((field) => (
            <Field
              key={field}
              label={labels[field].label}
              hint={labels[field].hint}
              value={draft[field]}
              spellCheck={false}
              autoComplete="off"
              error={errors.fields[pathOf(field)]}
              errorIsAlert
              onChange={(event) => {
                const value = event.target.value;
                setDraft((d) => ({ ...d, [field]: value }));
                clearError(pathOf(field));
              }}
              onBlur={() => commit(field)}
              // Enter saves the field, as leaving it does.
              onKeyDown={(event) => {
                if (event.key === 'Enter') commit(field);
              }}
            />
          ))}
      </div>
      <SaveStatus state={state} general={errors.general} />
    </section>
  );
}
