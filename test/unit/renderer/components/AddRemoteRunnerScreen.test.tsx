// @vitest-environment happy-dom
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRef } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { PADDOCK_VERSION } from '../../../../electron/common/version';
import { AddRemoteRunnerScreen } from '../../../../renderer/src/screens/runners/AddRemoteRunnerScreen';
import { expectNoAxeViolations } from './axe';
// Its cleanup after each test.
import './dom';
import { fakeApi } from './fixtures';

// "Add a runner on a server", step 1: the package under systemd or the
// container image, with the server's name in the commands; no checkout.

function show() {
  const { container } = render(<AddRemoteRunnerScreen api={fakeApi({})} headingRef={createRef()} navigate={vi.fn()} />);
  return { user: userEvent.setup(), container };
}

const step1 = () => screen.getByRole('region', { name: 'Step 1: On the server' });
const commands = () =>
  within(step1())
    .getAllByRole('listitem')
    .map((item) => [...item.querySelectorAll('pre code')].map((code) => code.textContent));

describe('AddRemoteRunnerScreen', () => {
  it('installs the runner package as a systemd service, with the server name typed in the commands and the URL', async () => {
    const { user, container } = show();
    expect(screen.getByRole('radio', { name: /As a service \(systemd\)/ })).toHaveProperty('checked', true);
    // Before a name is typed, the example name.
    expect(commands()[1]!.join('\n')).toContain('PADDOCK_RUNNER_PUBLIC_URL=https://runner.example.com:8443');

    await user.type(screen.getByRole('textbox', { name: 'Server name' }), 'build.corp.example');
    expect(commands()).toEqual([
      [`sudo npm install -g ./paddock-runner-${PADDOCK_VERSION}.tgz`],
      [
        'sudo install -m 0644 "$(npm root -g)/paddock-runner/systemd/paddock-runner.service" /etc/systemd/system/',
        "printf '%s\\n' PADDOCK_RUNNER_LISTEN=0.0.0.0:8443 PADDOCK_RUNNER_PUBLIC_URL=https://build.corp.example:8443 PADDOCK_RUNNER_OPTIONS= | sudo install -D -m 0600 /dev/stdin /etc/paddock-runner/paddock-runner.env",
        'sudo systemctl daemon-reload && sudo systemctl enable --now paddock-runner',
      ],
      ['sudo paddock-runner status --data-dir /var/lib/paddock-runner'],
      ['sudo paddock-runner registration create --data-dir /var/lib/paddock-runner --role admin'],
    ]);
    expect(step1().textContent).not.toMatch(/checkout|npm run/);
    expect(screen.getByRole('textbox', { name: 'Runner URL' })).toHaveProperty('value', 'https://build.corp.example:8443');
    expect(screen.getByRole('button', { name: 'Copy the command that gives the service this server’s URL' })).toBeTruthy();
    await expectNoAxeViolations(container);
  });

  it('runs the container image instead, with the same name', async () => {
    const { user, container } = show();
    await user.type(screen.getByRole('textbox', { name: 'Server name' }), 'Runner-1.Example.com');
    await user.click(screen.getByRole('radio', { name: /In a container/ }));
    expect(commands()).toEqual([
      [`podman load -i paddock-runner-image-${PADDOCK_VERSION}.tar`],
      [
        `podman run -d --name paddock-runner --restart on-failure -p 8443:8443 -v paddock-runner:/var/lib/paddock-runner localhost/paddock-runner:${PADDOCK_VERSION} --listen 0.0.0.0:8443 --public-url https://runner-1.example.com:8443`,
      ],
      ['podman exec paddock-runner paddock-runner status --data-dir /var/lib/paddock-runner'],
      ['podman exec paddock-runner paddock-runner registration create --data-dir /var/lib/paddock-runner --role admin'],
    ]);
    await expectNoAxeViolations(container);
  });

  it('says what to type when the name is a URL, and keeps the example in the commands', async () => {
    const { user } = show();
    const name = screen.getByRole('textbox', { name: 'Server name' });
    await user.type(name, 'https://runner.corp.example:8443');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(name.getAttribute('aria-describedby')).toBeTruthy();
    expect(step1().textContent).toContain('Enter only the server’s host name or IP address, such as runner.example.com: no https:// and no port.');
    expect(commands()[1]!.join('\n')).toContain('https://runner.example.com:8443');
    expect(screen.getByRole('textbox', { name: 'Runner URL' })).toHaveProperty('value', '');
  });

  it('keeps a URL typed in, whatever the server name says', async () => {
    const { user } = show();
    const url = screen.getByRole('textbox', { name: 'Runner URL' });
    await user.type(url, 'https://10.0.0.5:9443');
    await user.type(screen.getByRole('textbox', { name: 'Server name' }), '10.0.0.5');
    expect(url).toHaveProperty('value', 'https://10.0.0.5:9443');
    expect(commands()[1]!.join('\n')).toContain('PADDOCK_RUNNER_PUBLIC_URL=https://10.0.0.5:8443');
  });
});

describe('AddRemoteRunnerScreen, step 3: paste to compare', () => {
  const spki = 'sha256/ElKNmkHltyqJL5xgtDMLFD6sg282EdjglGQPh507Mak=';

  async function atStep3() {
    const api = fakeApi({
      probeRemoteRunner: async ({ url }) => ({ url, spki, publicKey: 'key', version: '1.0.0', apiVersion: 1, tokenExpiresAt: '2030-01-01T00:00:00.000Z' }),
    });
    const { container } = render(<AddRemoteRunnerScreen api={api} headingRef={createRef()} navigate={vi.fn()} />);
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: 'Server name' }), 'build.example.com');
    await user.type(screen.getByRole('textbox', { name: 'Registration token' }), 'prt1_x');
    await user.click(screen.getByRole('button', { name: 'Check runner' }));
    await screen.findByRole('heading', { name: 'Step 3: Compare the fingerprint' });
    return { user, container, field: screen.getByRole('textbox', { name: 'Paste the runner’s fingerprint to compare' }) };
  }

  it('shows the fingerprint as the runner prints it, in groups, and says match for what the runner printed', async () => {
    const { user, container, field } = await atStep3();
    const shown = container.querySelector('figure.fingerprint-box code')!;
    expect(shown.textContent).toBe(spki);
    expect([...shown.children].map((group) => group.textContent).slice(0, 3)).toEqual(['sha256/', 'ElKN', 'mkHl']);
    const result = document.getElementById(field.getAttribute('aria-describedby')!.split(' ')[1]!)!;
    expect(result.getAttribute('role')).toBe('status');
    expect(result.textContent).toBe('');
    await user.click(field);
    await user.paste(`Fingerprint:   ${spki}`);
    expect(result.textContent).toBe('✓ Match: it is the fingerprint of the runner Paddock reached.');
    await expectNoAxeViolations(container);
  });

  it('says no match for another fingerprint', async () => {
    const { user, field } = await atStep3();
    await user.click(field);
    await user.paste('sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
    expect(screen.getByText(/^No match: do not add this runner\./)).toBeTruthy();
  });
});
