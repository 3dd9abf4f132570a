// @vitest-environment happy-dom
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ErrorNotice } from '../../../../renderer/src/components/ErrorNotice';
import { errorView } from '../../../../renderer/src/errors';
// Its cleanup after each test.
import './dom';

// A failed call on the page: its message, and what its code says can be done.

describe('ErrorNotice', () => {
  it('offers Try again for a runner that is down, and runs it; busy while it works', async () => {
    const retry = vi.fn();
    const error = errorView({ code: 'runner-unavailable', message: 'Build server cannot be reached.' });
    const { rerender } = render(<ErrorNotice error={error} retry={retry} />);
    expect(screen.getByRole('alert').textContent).toBe('Build server cannot be reached.');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(retry).toHaveBeenCalledTimes(1);
    rerender(<ErrorNotice error={error} retry={retry} busy />);
    await userEvent.click(screen.getByRole('button', { name: 'Trying again…' }));
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('says a second failure again, even in the same words', () => {
    const first = errorView({ code: 'timeout', message: 'No answer in time.' });
    const { rerender } = render(<ErrorNotice error={first} retry={() => {}} />);
    const alert = screen.getByRole('alert');
    rerender(<ErrorNotice error={errorView({ code: 'timeout', message: 'No answer in time.' })} retry={() => {}} />);
    expect(screen.getByRole('alert')).not.toBe(alert);
    // The same failure rendered again is the same alert: it is not said twice.
    const second = screen.getByRole('alert');
    rerender(<ErrorNotice error={errorView({ code: 'timeout', message: 'x' })} retry={() => {}} />);
    expect(screen.getByRole('alert')).not.toBe(second);
  });

  it('offers nothing the code does not ask for, and nothing without a handler', () => {
    const { rerender } = render(<ErrorNotice error={errorView({ code: 'forbidden', message: 'Ask the runner’s admin.' })} retry={() => {}} refresh={() => {}} />);
    expect(screen.queryByRole('button')).toBeNull();
    rerender(<ErrorNotice error={errorView({ code: 'timeout', message: 'Slow.' })} refresh={() => {}} />);
    expect(screen.queryByRole('button')).toBeNull();
    rerender(<ErrorNotice error={errorView({ code: 'not-found', message: 'Gone.' })} retry={() => {}} refresh={() => {}} />);
    expect(screen.getByRole('button').textContent).toBe('Reload');
  });

  it('names the setting that refuses, and links to it', () => {
    render(
      <ErrorNotice
        error={errorView({
          code: 'policy-blocked',
          message: 'Your organization does not allow OAuth apps.',
          detail: { setting: 'Organization settings › Policies › Third-party application access via OAuth', settingUrl: 'https://dev.azure.com/contoso/_settings/organizationPolicy' },
        })}
      />,
    );
    expect(screen.getByText(/Where to change it/).textContent).toContain('Organization settings › Policies › Third-party application access via OAuth');
    const link = screen.getByRole('link', { name: 'Open this setting (opens in your browser)' });
    expect(link.getAttribute('href')).toBe('https://dev.azure.com/contoso/_settings/organizationPolicy');
    expect(link.getAttribute('target')).toBe('_blank');
  });

  it('hands auth-required and reconnect-needed to the connect dialog, with the host', async () => {
    const connect = vi.fn();
    const { rerender } = render(
      <ErrorNotice error={errorView({ code: 'auth-required', message: 'Connect first.', detail: { host: 'https://dev.azure.com', organization: 'contoso' } })} connect={connect} />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Connect to https://dev.azure.com' }));
    expect(connect).toHaveBeenCalledWith({ host: 'https://dev.azure.com', organization: 'contoso' }, false);
    rerender(<ErrorNotice error={errorView({ code: 'reconnect-needed', message: 'Refused.', detail: { host: 'https://github.com' } })} connect={connect} />);
    await userEvent.click(screen.getByRole('button', { name: 'Reconnect to https://github.com' }));
    expect(connect).toHaveBeenLastCalledWith({ host: 'https://github.com', organization: null }, true);
    // Without a connect dialog on the screen, the message alone.
    rerender(<ErrorNotice error={errorView({ code: 'reconnect-needed', message: 'Refused.', detail: { host: 'https://github.com' } })} />);
    expect(screen.queryByRole('button')).toBeNull();
  });
});
