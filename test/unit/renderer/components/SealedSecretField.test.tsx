// @vitest-environment happy-dom
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRef, useState, type ComponentProps, type RefObject } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { sealClientSecret } from '../../../../electron/common/provider-config';
import {
  SealedSecretField,
  type SealedSecretFieldHandle,
  type SealedValue,
  type SealOutcome,
  type StoredSecret,
} from '../../../../renderer/src/components/SealedSecretField';
import type { SecretBinding } from '../../../../renderer/src/provider-form';
import { descriptionOf } from './dom';
import { runnerKeys } from './fixtures';

const canary = 'canary-Secret-5d1e8b2a-must-not-leak';
const keys = runnerKeys();
const binding: SecretBinding = { runnerId: 'r_0f5c3a52-7c3e-4a6c', kind: 'github', host: 'https://github.com', clientId: 'app-1', tenant: null };

type Props = ComponentProps<typeof SealedSecretField<SecretBinding>>;

/** The field inside a form that keeps the sealed value, as the provider dialog does. */
function Form({
  handle,
  initial = null,
  onChange,
  ...props
}: Partial<Omit<Props, 'value' | 'ref'>> & { handle: RefObject<SealedSecretFieldHandle<SecretBinding> | null>; initial?: SealedValue<SecretBinding> | null }) {
  const [value, setValue] = useState(initial);
  return (
    <form>
      <SealedSecretField<SecretBinding>
        ref={handle}
        label="Client Secret"
        field="clientSecret"
        hint="Optional: only for a confidential app."
        publicKey={keys.publicKey}
        binding={binding}
        bindingLabels={{ host: 'host', clientId: 'Client ID', tenant: 'tenant' }}
        seal={(secret, b, publicKey) => sealClientSecret({ ...b, secret }, publicKey)}
        unboundMessage="Enter the host and Client ID first: the secret is sealed for them."
        staleHint="The host, Client ID or tenant changed since the secret was sealed: enter it again."
        {...props}
        value={value}
        onChange={(next) => {
          onChange?.(next);
          setValue(next);
        }}
      />
    </form>
  );
}

function setup(props: Partial<Props> & { initial?: SealedValue<SecretBinding> | null } = {}) {
  const handle = createRef<SealedSecretFieldHandle<SecretBinding>>();
  const user = userEvent.setup();
  const view = render(<Form handle={handle} {...props} />);
  const seal = () => {
    let outcome: SealOutcome<SecretBinding> | undefined;
    act(() => {
      outcome = handle.current?.seal();
    });
    if (!outcome) throw new Error('The field gave no handle.');
    return outcome;
  };
  return { handle, user, view, seal, input: () => screen.getByLabelText('Client Secret') as HTMLInputElement };
}

/** Nowhere in the page: not in its markup, not in any input's value (which the markup does not show). */
function expectNotInPage(text: string) {
  expect(document.body.innerHTML).not.toContain(text);
  for (const input of document.querySelectorAll('input')) expect(input.value).not.toContain(text);
}

describe('SealedSecretField', () => {
  it('seals what was typed to the runner’s key for the binding, and clears the field', async () => {
    const onChange = vi.fn();
    const { user, seal, input } = setup({ onChange });
    expect(input().type).toBe('password');
    await user.type(input(), canary);
    expect(input().value).toBe(canary);

    const outcome = seal();
    expect(outcome.state).toBe('sealed');
    if (outcome.state !== 'sealed') return;
    expect(outcome.value.binding).toEqual(binding);
    expect(outcome.value.box).not.toContain(canary);
    const opened = keys.open(outcome.value.box, binding);
    expect(opened.ok && opened.envelope.secret).toBe(canary);
    expect(onChange).toHaveBeenLastCalledWith(outcome.value);

    expect(input().value).toBe('');
    expectNotInPage(canary);
    expect(descriptionOf(input())).toContain('Entered and sealed to this runner’s key');
    // Sent again as it is: the same box, no second sealing.
    const again = seal();
    expect(again).toEqual(outcome);
  });

  it('is empty when nothing was typed', () => {
    const onChange = vi.fn();
    const { seal } = setup({ onChange });
    expect(seal()).toEqual({ state: 'empty' });
    expect(onChange).not.toHaveBeenCalled();
  });

  it('asks again for a secret sealed for other values, and keeps the box', async () => {
    const onChange = vi.fn();
    const old: SealedValue<SecretBinding> = { box: sealClientSecret({ ...binding, secret: canary }, keys.publicKey), binding };
    const moved = { ...binding, clientId: 'app-2' };
    const { seal, input } = setup({ onChange, initial: old, binding: moved });
    expect(descriptionOf(input())).toContain('The host, Client ID or tenant changed since the secret was sealed: enter it again.');

    const outcome = seal();
    expect(outcome).toEqual({ state: 'failed', message: 'Enter the Client Secret again: it was sealed for other values.' });
    expect(input().getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(input())).toContain('Enter the Client Secret again');
    // Not dropped: the caller still has the box (for "Save anyway" once the values are back).
    expect(onChange).not.toHaveBeenCalled();
  });

  it('drops the box sealed before once something new is typed', async () => {
    const onChange = vi.fn();
    const old: SealedValue<SecretBinding> = { box: sealClientSecret({ ...binding, secret: 'old' }, keys.publicKey), binding };
    const { user, input } = setup({ onChange, initial: old });
    await user.type(input(), 'n');
    expect(onChange).toHaveBeenCalledWith(null);
  });

  it('says a secret is too long, clears it, and never shows it', async () => {
    const { user, seal, input } = setup();
    const long = canary + 'x'.repeat(4097 - canary.length);
    await user.click(input());
    await user.paste(long);
    const outcome = seal();
    expect(outcome).toEqual({ state: 'failed', message: 'This client secret cannot be sealed: it is longer than 4,096 characters.' });
    expect(descriptionOf(input())).toContain('longer than 4,096 characters');
    expect(input().value).toBe('');
    expectNotInPage(canary);
  });

  it('says when the runner’s key is the problem, not the secret', async () => {
    const { user, seal, input } = setup({ publicKey: 'AAAA' });
    await user.type(input(), canary);
    const outcome = seal();
    expect(outcome.state).toBe('failed');
    if (outcome.state !== 'failed') return;
    expect(outcome.message).toMatch(/runner’s public key is not a usable key/);
    expect(outcome.message).not.toMatch(/too long|longer than/);
    expect(input().value).toBe('');
    expectNotInPage(canary);
  });

  it('names the value of the binding that cannot be sealed for', async () => {
    const { user, seal, input } = setup({ binding: { ...binding, clientId: 'c'.repeat(401) } });
    await user.type(input(), canary);
    expect(seal()).toEqual({ state: 'failed', message: 'The Client Secret cannot be sealed for this entry: its Client ID is longer than 400 characters.' });
    expectNotInPage(canary);
  });

  it('waits for the values it seals for, keeping what was typed', async () => {
    const { user, seal, input } = setup({ binding: null });
    await user.type(input(), 'typed');
    expect(seal()).toEqual({ state: 'failed', message: 'Enter the host and Client ID first: the secret is sealed for them.' });
    expect(input().value).toBe('typed');
    expect(descriptionOf(input())).toContain('Enter the host and Client ID first');
  });

  it('offers no input while the runner’s key is not known', () => {
    setup({ publicKey: null });
    expect(screen.queryByLabelText('Client Secret')).toBeNull();
    expect(screen.getByText(/a secret cannot be sealed to its key/)).toBeTruthy();
  });

  it('shows a secret the runner keeps as set, with Replace and (when optional) Remove', async () => {
    const onModeChange = vi.fn();
    const stored: StoredSecret = { mode: 'keep', onModeChange, removable: true, removedNote: 'Removed when you save.' };
    const { user, view, handle } = setup({ stored });
    expect(screen.getByText('set — replace')).toBeTruthy();
    expect(screen.queryByLabelText('Client Secret')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Replace the client secret' }));
    expect(onModeChange).toHaveBeenLastCalledWith('replace');
    await user.click(screen.getByRole('button', { name: 'Remove the client secret' }));
    expect(onModeChange).toHaveBeenLastCalledWith('remove');

    view.rerender(<Form handle={handle} stored={{ ...stored, removable: false }} />);
    expect(screen.queryByRole('button', { name: 'Remove the client secret' })).toBeNull();

    view.rerender(<Form handle={handle} stored={{ ...stored, mode: 'replace' }} />);
    expect(descriptionOf(screen.getByLabelText('Client Secret'))).toContain('Leave it empty to keep the current secret.');
    await user.click(screen.getByRole('button', { name: 'Keep the current secret' }));
    expect(onModeChange).toHaveBeenLastCalledWith('keep');

    view.rerender(<Form handle={handle} stored={{ ...stored, mode: 'remove' }} />);
    expect(screen.getByText('Removed when you save.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Keep the client secret' }));
    expect(onModeChange).toHaveBeenLastCalledWith('keep');
  });
});
