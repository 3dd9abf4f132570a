import axe from 'axe-core';
import { expect } from 'vitest';

// axe-core is what @axe-core/playwright runs in the e2e tests (its pinned
// dependency); here it runs on happy-dom's tree. Rules that need layout or
// computed colours (contrast, target size) cannot be judged without a
// renderer and stay with the e2e tests in Chromium.
const needsLayout = ['color-contrast', 'target-size', 'scrollable-region-focusable'];

/** Fails with each violation's rule and the elements concerned. */
export async function expectNoAxeViolations(element: Element): Promise<void> {
  const results = await axe.run(element, {
    rules: Object.fromEntries(needsLayout.map((rule) => [rule, { enabled: false }])),
  });
  const violations = results.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(violations).toEqual([]);
}
