import { describe, expect, it } from 'vitest';
import { gitHubExpiry, policyViolationCode } from '../../../electron/runner/pat';

describe('gitHubExpiry', () => {
  it('reads GitHub-Authentication-Token-Expiration in UTC and with an offset (SCM-PROTOCOLS §2.2)', () => {
    expect(gitHubExpiry('2024-06-01 00:00:00 UTC')).toBe('2024-06-01T00:00:00.000Z');
    expect(gitHubExpiry('2024-06-01 09:00:00 +0900')).toBe('2024-06-01T00:00:00.000Z');
    expect(gitHubExpiry('2024-06-01 00:00:00 -0130')).toBe('2024-06-01T01:30:00.000Z');
  });

  it('gives null for no header or one it cannot read', () => {
    expect(gitHubExpiry(null)).toBeNull();
    expect(gitHubExpiry('soon')).toBeNull();
    expect(gitHubExpiry('2024-13-45 99:00:00 UTC')).toBeNull();
  });
});

describe('policyViolationCode', () => {
  it('finds the *PolicyViolation code wherever an Azure DevOps refusal carries it', () => {
    expect(policyViolationCode('{"typeKey":"DisablePatCreationPolicyViolation","message":"…"}')).toBe('DisablePatCreationPolicyViolation');
    expect(policyViolationCode('{"patTokenError":"globalPatPolicyViolation"}')).toBe('globalPatPolicyViolation');
    expect(policyViolationCode('')).toBeNull();
    expect(policyViolationCode('TF400813: The user is not authorized')).toBeNull();
  });
});
