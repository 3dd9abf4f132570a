import type { ScreenId } from '../routes';

/** Line drawings for the navigation, shown alone when the window is narrow (the link's words stay its accessible name). */
const paths: Record<ScreenId, string> = {
  // Two stacked servers.
  runners: 'M4 4h16v6H4z M4 14h16v6H4z M7.5 7h.01 M7.5 17h.01',
  // A box, opened.
  environments: 'M3 8l9-5 9 5v8l-9 5-9-5z M3 8l9 5 9-5 M12 13v8',
  // A person.
  accounts: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z M4 21c0-4 3.6-6 8-6s8 2 8 6',
  // Three sliders.
  settings: 'M4 6h16 M4 12h16 M4 18h16 M15 4v4 M9 10v4 M13 16v4',
};

export function NavIcon({ screen }: { screen: ScreenId }) {
  return (
    <svg className="nav-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path d={paths[screen]} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
