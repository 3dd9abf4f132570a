// The page a browser shows after a provider's redirect reaches Paddock: the
// workstation's loopback listener (electron/core/loopback.ts) and a remote
// runner's own https callback serve the same one. Self-contained: no
// external resources and no script, so nothing else is loaded from it.

export interface CallbackPage {
  readonly status: number;
  readonly title: string;
  readonly message: string;
}

/** The page's Content-Security-Policy: nothing may load, only its own inline style applies. */
export const callbackPageCsp = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The whole page the browser shows after the redirect. */
export function callbackPageHtml(page: CallbackPage): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} – Paddock</title>
<style>
  :root { color-scheme: light dark; }
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; min-height: 100vh; display: grid; place-items: center; }
  main { max-width: 32rem; padding: 2rem; text-align: center; }
  h1 { font-size: 1.25rem; margin: 0 0 0.5rem; }
  p { margin: 0; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(page.title)}</h1>
<p>${escapeHtml(page.message)}</p>
</main>
</body>
</html>
`;
}
