import { useId, useState } from 'react';
import type { DesktopSettings, DesktopTool, PaddockApi, Preferences } from '../../../../electron/common/api';
import { SaveStatus, usePreferenceSaver } from './saving';

type ToolField = 'editor' | 'terminal';
const fields: readonly ToolField[] = ['editor', 'terminal'];

/** One choice among the editors or terminals this computer has ('auto' first; a chosen one that is gone stays listed as such). */
function ToolChoice({
  label,
  hint,
  automatic,
  tools,
  value,
  error,
  onChange,
}: {
  label: string;
  hint: string;
  /** What the automatic choice opens; null: nothing (no terminal installed). */
  automatic: string | null;
  tools: readonly DesktopTool[];
  value: string;
  error: string | undefined;
  onChange: (id: string) => void;
}) {
  const id = useId();
  const chosen = tools.find((tool) => tool.id === value);
  const missing = value !== 'auto' && !chosen?.installed ? (chosen?.name ?? value) : null;
  const described = [error ? `${id}-error` : null, missing ? `${id}-missing` : null, `${id}-hint`].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <p className="field-hint" id={`${id}-hint`}>
        {hint}
      </p>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)} aria-describedby={described} aria-invalid={error ? true : undefined}>
        <option value="auto">Automatic ({automatic ?? 'none installed'})</option>
        {tools
          .filter((tool) => tool.installed)
          .map((tool) => (
            <option key={tool.id} value={tool.id}>
              {tool.name}
            </option>
          ))}
        {missing && <option value={value}>{missing} (not installed)</option>}
      </select>
      {missing && (
        <p className="field-warning" id={`${id}-missing`}>
          {automatic
            ? `${missing} is not installed on this computer any more, so Paddock opens ${automatic} instead. Choose another here.`
            : `${missing} is not installed on this computer any more, and no other is. Install one to open environments with it.`}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          <span aria-hidden="true">✕ </span>
          {error}
        </p>
      )}
    </div>
  );
}

/** The code editor and terminal an environment opens in. */
export function ToolsSection({ api, preferences, desktop }: { api: PaddockApi; preferences: Preferences; desktop: DesktopSettings | null }) {
  const headingId = useId();
  const { state, errors, save } = usePreferenceSaver(api, fields);
  const [pending, setPending] = useState<Partial<Record<ToolField, string>>>({});
  if (!desktop) return null;
  const name = (field: ToolField, id: string) => {
    if (id === 'auto') return 'the automatic choice';
    return (field === 'editor' ? desktop.editors : desktop.terminals).find((tool) => tool.id === id)?.name ?? id;
  };
  const change = (field: ToolField, id: string) => {
    setPending((p) => ({ ...p, [field]: id }));
    const sentence = field === 'editor' ? `Environments now open in ${name(field, id)}.` : `Terminals now open with ${name(field, id)}.`;
    void save({ [field]: id }, sentence).then(() => setPending((p) => ({ ...p, [field]: undefined })));
  };
  const automaticEditor = desktop.automaticEditor ?? 'the system’s default app for folders';

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Editor and terminal</h2>
      <ToolChoice
        label="Code editor"
        hint="What “Open in editor” on an environment of this computer opens its folder in."
        automatic={automaticEditor}
        tools={desktop.editors}
        value={pending.editor ?? preferences.editor}
        error={errors.fields.editor}
        onChange={(id) => change('editor', id)}
      />
      <ToolChoice
        label="Terminal"
        hint="What “Open terminal” on an environment of this computer starts in its folder."
        automatic={desktop.automaticTerminal}
        tools={desktop.terminals}
        value={pending.terminal ?? preferences.terminal}
        error={errors.fields.terminal}
        onChange={(id) => change('terminal', id)}
      />
      <SaveStatus state={state} general={errors.general} />
    </section>
  );
}
