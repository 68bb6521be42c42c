/**
 * The page shell every page shares: language, title, viewport, the stylesheet, a skip link to the main
 * content, one h1, and a sign-out form when there is a session. No inline script or style, so the
 * Content-Security-Policy below holds (chart data travels in a JSON data block that /static/charts.js reads).
 * See: https://www.w3.org/WAI/WCAG21/Techniques/general/G1
 */
import { html, htmlDocument, pageHeaders, type Html } from '../html';

/** The policy sent with every page: only this origin's files, no inline script or style, no framing. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Headers for every page (src/html): the policy, no sniffing, no caching of patient data, a same-origin referrer. */
export const PAGE_HEADERS = pageHeaders(CONTENT_SECURITY_POLICY);

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
  return htmlDocument({
    title: `${o.h1} – Gradus`,
    stylesheet: '/static/gradus.css',
    head: html`<link rel="icon" href="data:,">\n${scripts}`,
    header: html`<header class="site-header"><span class="site-name">Gradus</span>${signOut}</header>\n`,
    main: html`<h1>${o.h1}</h1>\n${o.body}`,
  });
}
