/**
 * The page shell every page shares: language, title, viewport, the stylesheet, a skip link to the main
 * content, one h1, and a sign-out form when there is a session. No inline script or style, so the
 * Content-Security-Policy below holds (chart data travels in a JSON data block that /static/charts.js reads).
 * See: https://www.w3.org/WAI/WCAG21/Techniques/general/G1
 */
import { html, type Html } from './html';

/** The policy sent with every page: only this origin's files, no inline script or style, no framing. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * Headers for every page: the policy, no sniffing, no caching of patient data, and a referrer only to this
 * origin (`no-referrer` would make browsers send `Origin: null` with the forms, which the Origin guard refuses).
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

export interface PageOptions {
  /** The document title (the h1 is added in front of " – Gradus"). */
  h1: string;
  body: Html;
  /** With a session: shows the sign-out form carrying the CSRF token. */
  csrfToken?: string;
  /** Loads Chart.js and /static/charts.js (deferred, after the data block in the body). */
  charts?: boolean;
}

/** A whole HTML document. */
export function page(o: PageOptions): string {
  const scripts = o.charts === true ? html`<script src="/static/chart.umd.js" defer></script>\n<script src="/static/charts.js" defer></script>\n` : '';
  const signOut =
    o.csrfToken !== undefined
      ? html`<form class="sign-out" method="post" action="/logout"><input type="hidden" name="csrf" value="${o.csrfToken}"><button type="submit" class="button button--quiet">Sign out</button></form>`
      : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.h1} – Gradus</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/gradus.css">
${scripts}</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header"><span class="site-name">Gradus</span>${signOut}</header>
<main id="main" tabindex="-1">
<h1>${o.h1}</h1>
${o.body}
</main>
</body>
</html>
`.value;
}
