// Component tests (happy-dom) wait up to 5 s for what they look for: the
// testing library's default 1 s is too tight for a first render of the
// whole App on a loaded 2-core machine (UiActions.test.tsx flaked on it).
// Waiting longer changes nothing for a test that passes; one that fails
// still fails, later.
if (typeof document !== 'undefined') {
  const { configure } = await import('@testing-library/react');
  configure({ asyncUtilTimeout: 5_000 });
}
export {};
