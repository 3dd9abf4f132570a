// @vitest-environment happy-dom
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState, type ComponentProps } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ConfirmDialog } from '../../../../renderer/src/components/ConfirmDialog';
import { deferred, descriptionOf, pressEscapeIn } from './dom';

type Props = ComponentProps<typeof ConfirmDialog>;

/** A page with the button that opens the dialog, as the screens use it: rendered only while open. */
function Page({ confirm, fallback, onClose, hideOpener = false }: Pick<Props, 'confirm' | 'fallback' | 'onClose'> & { hideOpener?: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      {!hideOpener && (
        <button type="button" onClick={() => setOpen(true)}>
          Remove the thing…
        </button>
      )}
      <button type="button" id="elsewhere">
        Elsewhere
      </button>
      {open && (
        <ConfirmDialog
          title="Remove the thing?"
          confirm={confirm}
          {...(fallback ? { fallback } : {})}
          fallbackFocus={() => document.getElementById('elsewhere')}
          onClose={(confirmed) => {
            onClose(confirmed);
            setOpen(false);
          }}
        >
          <p>The thing and its tokens will be deleted.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

async function openDialog(props: Parameters<typeof Page>[0]) {
  const user = userEvent.setup();
  const view = render(<Page {...props} />);
  const opener = screen.getByRole('button', { name: 'Remove the thing…' });
  await user.click(opener);
  const dialog = screen.getByRole('dialog', { name: 'Remove the thing?' }) as HTMLDialogElement;
  return { user, view, opener, dialog };
}

describe('ConfirmDialog', () => {
  it('opens as a modal with its title and description, on Cancel', async () => {
    const { dialog } = await openDialog({ confirm: { label: 'Remove', busyLabel: 'Removing…', run: vi.fn(async () => {}) }, onClose: vi.fn() });
    expect(dialog.open).toBe(true);
    expect(descriptionOf(dialog)).toBe('The thing and its tokens will be deleted.');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
  });

  it('runs the action on confirm, stays open and blocks Escape and Cancel while it runs, then closes without taking focus back', async () => {
    const call = deferred();
    const run = vi.fn(() => call.promise);
    const onClose = vi.fn();
    const { user, opener, dialog } = await openDialog({ confirm: { label: 'Remove', busyLabel: 'Removing…', run }, onClose });

    await user.click(screen.getByRole('button', { name: 'Remove' }));
    expect(run).toHaveBeenCalledTimes(1);
    const busyButton = screen.getByRole('button', { name: 'Removing…' });
    expect(busyButton.getAttribute('aria-disabled')).toBe('true');
    expect(screen.getByRole('button', { name: 'Cancel' }).getAttribute('aria-disabled')).toBe('true');

    pressEscapeIn(dialog);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await user.click(busyButton);
    expect(dialog.open).toBe(true);
    expect(onClose).not.toHaveBeenCalled();
    expect(run).toHaveBeenCalledTimes(1);

    await act(async () => call.resolve());
    expect(onClose).toHaveBeenCalledWith(true);
    expect(screen.queryByRole('dialog')).toBeNull();
    // After a success the caller moves focus (an outcome, another page); the dialog does not.
    expect(document.activeElement).not.toBe(opener);
  });

  it('gives focus back to the opener when cancelled with Escape or Cancel', async () => {
    const onClose = vi.fn();
    const run = vi.fn(async () => {});
    const { user, opener, dialog } = await openDialog({ confirm: { label: 'Remove', busyLabel: 'Removing…', run }, onClose });
    pressEscapeIn(dialog);
    expect(onClose).toHaveBeenLastCalledWith(false);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);

    await user.click(opener);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onClose).toHaveBeenLastCalledWith(false);
    expect(document.activeElement).toBe(opener);
    expect(run).not.toHaveBeenCalled();
  });

  it('puts focus on fallbackFocus when the opener has left the page', async () => {
    const { user, view } = await openDialog({ confirm: { label: 'Remove', busyLabel: 'Removing…', run: async () => {} }, onClose: vi.fn() });
    // The list re-rendered without the opener while the dialog was open.
    view.rerender(<Page hideOpener confirm={{ label: 'Remove', busyLabel: 'Removing…', run: async () => {} }} onClose={vi.fn()} />);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(document.getElementById('elsewhere'));
  });

  it('shows a failure and stays open; offers the fallback only when the failure allows it', async () => {
    const onClose = vi.fn();
    const unreachable = Object.assign(new Error('The runner could not be reached.'), { canForce: true });
    const refused = Object.assign(new Error('The runner refused: it is busy.'), { canForce: false });
    const run = vi.fn().mockRejectedValueOnce(refused).mockRejectedValueOnce(unreachable);
    const force = vi.fn(async () => {});
    const { user, dialog } = await openDialog({
      confirm: { label: 'Remove', busyLabel: 'Removing…', run },
      fallback: { label: 'Remove anyway', busyLabel: 'Removing…', run: force, offerAfter: (error) => (error as { canForce: boolean }).canForce },
      onClose,
    });

    await user.click(screen.getByRole('button', { name: 'Remove' }));
    expect(screen.getByRole('alert').textContent).toBe('The runner refused: it is busy.');
    expect(screen.queryByRole('button', { name: 'Remove anyway' })).toBeNull();
    expect(dialog.open).toBe(true);
    expect(screen.getByRole('button', { name: 'Remove' }).getAttribute('aria-disabled')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Remove' }));
    expect(screen.getByRole('alert').textContent).toBe('The runner could not be reached.');
    await user.click(screen.getByRole('button', { name: 'Remove anyway' }));
    expect(force).toHaveBeenCalledTimes(1);
    expect(onClose).toHaveBeenCalledWith(true);
  });
});
