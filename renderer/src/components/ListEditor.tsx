import { useRef, type ReactNode } from 'react';
import { useFocusAfterRender } from '../hooks';
import { Field } from './Field';

/** One text field of each entry. */
export interface ListColumn<T> {
  /** With the entry's key, names the field (data-field `${id}-${key}`) and its error in `errors`. */
  id: string;
  /** The field's label for the entry at `position` (1-based): "Organization 2". */
  label: (position: number) => string;
  value: (item: T) => string;
  /** The entry with this field changed to `value`. */
  set: (item: T, value: string) => T;
  hint?: (item: T) => ReactNode;
  placeholder?: string;
}

/**
 * An editable list of entries inside a fieldset (Azure DevOps organizations,
 * Server collections): each entry's fields with their own errors, Remove per
 * entry (down to `minItems`), and Add. Focus follows the change: Add puts it
 * in the new entry's first field; Remove moves it to the entry that takes
 * the removed one's place, else to the one before, else to Add.
 */
export function ListEditor<T extends { key: string }>({
  legend,
  hint,
  items,
  onChange,
  create,
  columns,
  errors = {},
  noun,
  addLabel,
  minItems = 1,
  actions,
  status,
}: {
  legend: string;
  hint?: ReactNode;
  items: readonly T[];
  /** Gets a change to apply to the current entries, so that changes made together do not overwrite each other. */
  onChange: (change: (items: readonly T[]) => T[]) => void;
  /** A new, empty entry. */
  create: () => T;
  columns: readonly [ListColumn<T>, ...ListColumn<T>[]];
  /** Messages by field name (`${column.id}-${item.key}`). */
  errors?: Readonly<Partial<Record<string, string | undefined>>>;
  /** What one entry is, in lower case, for the buttons' accessible names: "Remove organization 2". */
  noun: string;
  addLabel: string;
  minItems?: number;
  /** More buttons for an entry, before its Remove (a lookup). */
  actions?: (item: T, position: number) => ReactNode;
  /** Shown after an entry's buttons: what one of them did (a live region of the caller's). */
  status?: (item: T, position: number) => ReactNode;
}) {
  const fieldset = useRef<HTMLFieldSetElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const focusAfterRender = useFocusAfterRender();
  const first = columns[0];

  const fieldOf = (key: string) => () => fieldset.current?.querySelector<HTMLElement>(`[data-field="${CSS.escape(`${first.id}-${key}`)}"]`) ?? null;

  const add = () => {
    const item = create();
    onChange((current) => [...current, item]);
    focusAfterRender(fieldOf(item.key));
  };

  const remove = (index: number) => {
    const removed = items[index];
    if (!removed) return;
    const next = items[index + 1] ?? items[index - 1];
    onChange((current) => current.filter((item) => item.key !== removed.key));
    focusAfterRender(next ? fieldOf(next.key) : () => addButton.current);
  };

  return (
    <fieldset className="units" ref={fieldset}>
      <legend>{legend}</legend>
      {hint && <p className="field-hint">{hint}</p>}
      <ul className="unit-list">
        {items.map((item, index) => {
          const position = index + 1;
          const removable = items.length > minItems;
          const more = actions?.(item, position);
          const said = status?.(item, position);
          return (
            <li key={item.key} className="unit-row">
              {columns.map((column) => (
                <Field
                  key={column.id}
                  label={column.label(position)}
                  data-field={`${column.id}-${item.key}`}
                  value={column.value(item)}
                  placeholder={column.placeholder}
                  autoComplete="off"
                  spellCheck={false}
                  hint={column.hint?.(item)}
                  onChange={(event) => {
                    const value = event.target.value;
                    onChange((current) => current.map((entry) => (entry.key === item.key ? column.set(entry, value) : entry)));
                  }}
                  error={errors[`${column.id}-${item.key}`]}
                />
              ))}
              {(removable || more || said) && (
                <div className="actions unit-actions">
                  {more}
                  {removable && (
                    <button type="button" onClick={() => remove(index)}>
                      Remove<span className="visually-hidden"> {noun} {position}</span>
                    </button>
                  )}
                  {said}
                </div>
              )}
            </li>
          );
        })}
      </ul>
      <button type="button" ref={addButton} onClick={add}>
        {addLabel}
      </button>
    </fieldset>
  );
}
