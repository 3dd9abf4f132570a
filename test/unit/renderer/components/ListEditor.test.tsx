// @vitest-environment happy-dom
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { ListEditor, type ListColumn } from '../../../../renderer/src/components/ListEditor';
import { descriptionOf } from './dom';

interface Row {
  key: string;
  name: string;
  note: string;
}

let next = 0;
const row = (name = '', note = ''): Row => ({ key: `k${++next}`, name, note });

const columns: [ListColumn<Row>, ListColumn<Row>] = [
  { id: 'name', label: (n) => `Collection ${n}`, value: (r) => r.name, set: (r, name) => ({ ...r, name }) },
  { id: 'note', label: (n) => `Note for collection ${n}`, value: (r) => r.note, set: (r, note) => ({ ...r, note }), hint: () => 'Anything.' },
];

/** A form that keeps the rows and reports an error for each name that is empty or has a space. */
function Form({ initial, minItems }: { initial: Row[]; minItems?: number }) {
  const [rows, setRows] = useState(initial);
  const errors: Record<string, string> = {};
  for (const r of rows) {
    if (r.name === '') errors[`name-${r.key}`] = 'Enter the collection’s name.';
    else if (r.name.includes(' ')) errors[`name-${r.key}`] = 'A collection’s name has no spaces.';
  }
  return (
    <>
      <ListEditor<Row>
        legend="Collections"
        hint="The collections users work in."
        items={rows}
        onChange={(change) => setRows((current) => change(current))}
        create={() => row()}
        columns={columns}
        errors={errors}
        noun="collection"
        addLabel="Add a collection"
        {...(minItems === undefined ? {} : { minItems })}
        actions={(r, n) => (
          <button type="button">
            Look up<span className="visually-hidden"> collection {n}</span>
          </button>
        )}
        status={(r) => <span role="status">{r.name ? `Status of ${r.name}` : ''}</span>}
      />
      <output data-testid="rows">{rows.map((r) => r.name).join(',')}</output>
    </>
  );
}

const field = (name: string) => screen.getByRole('textbox', { name }) as HTMLInputElement;
const rowsNow = () => screen.getByTestId('rows').textContent;

describe('ListEditor', () => {
  it('shows each entry’s fields in a labelled group and edits them', async () => {
    const user = userEvent.setup();
    render(<Form initial={[row('Default'), row('Second')]} />);
    const group = screen.getByRole('group', { name: 'Collections' });
    expect(within(group).getAllByRole('listitem')).toHaveLength(2);
    expect(field('Collection 1').value).toBe('Default');
    expect(descriptionOf(field('Note for collection 2'))).toBe('Anything.');
    await user.type(field('Collection 2'), 'X');
    expect(rowsNow()).toBe('Default,SecondX');
    expect(screen.getByRole('button', { name: 'Look up collection 2' })).toBeTruthy();
    expect(screen.getByText('Status of SecondX')).toBeTruthy();
  });

  it('shows each entry’s own error on its own field', async () => {
    const user = userEvent.setup();
    render(<Form initial={[row('Default'), row('Two words')]} />);
    expect(field('Collection 1').getAttribute('aria-invalid')).toBeNull();
    expect(field('Collection 2').getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(field('Collection 2'))).toContain('A collection’s name has no spaces.');
    await user.clear(field('Collection 2'));
    await user.type(field('Collection 2'), 'Two');
    expect(field('Collection 2').getAttribute('aria-invalid')).toBeNull();
    expect(screen.queryByText('A collection’s name has no spaces.')).toBeNull();
  });

  it('adds an entry from the keyboard and puts focus in it', async () => {
    const user = userEvent.setup();
    render(<Form initial={[row('Default')]} />);
    screen.getByRole('button', { name: 'Add a collection' }).focus();
    await user.keyboard('{Enter}');
    expect(document.activeElement).toBe(field('Collection 2'));
    expect(descriptionOf(field('Collection 2'))).toContain('Enter the collection’s name.');
    await user.keyboard('Next');
    expect(rowsNow()).toBe('Default,Next');
  });

  it('removes entries down to the minimum, moving focus to the entry that takes the place', async () => {
    const user = userEvent.setup();
    render(<Form initial={[row('A'), row('B'), row('C')]} />);
    // The middle one: the next entry moves up into its place and gets focus.
    screen.getByRole('button', { name: 'Remove collection 2' }).focus();
    await user.keyboard('{Enter}');
    expect(rowsNow()).toBe('A,C');
    expect(document.activeElement).toBe(field('Collection 2'));
    expect(field('Collection 2').value).toBe('C');
    // The last one: focus goes to the one before.
    await user.click(screen.getByRole('button', { name: 'Remove collection 2' }));
    expect(rowsNow()).toBe('A');
    expect(document.activeElement).toBe(field('Collection 1'));
    // One must stay.
    expect(screen.queryByRole('button', { name: /^Remove/ })).toBeNull();
  });

  it('can be emptied when no entry is required, then focus goes to Add', async () => {
    const user = userEvent.setup();
    render(<Form initial={[row('A')]} minItems={0} />);
    await user.click(screen.getByRole('button', { name: 'Remove collection 1' }));
    expect(rowsNow()).toBe('');
    expect(screen.queryAllByRole('listitem')).toHaveLength(0);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Add a collection' }));
  });
});
