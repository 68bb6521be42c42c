/**
 * The sandbox's pages: one layout (src/html's skeleton with the sandbox's style sheet, served from
 * /sandbox/sandbox.css: no inline style or script, so a `default-src 'self'` CSP holds) and the headers every
 * page gets. In: trusted markup built with `html` (src/html) and a title; out: a string or a sent page.
 * See: https://www.w3.org/TR/CSP3/#directive-default-src
 */
import type { Response } from 'express';
import { htmlDocument, pageHeaders, type Html } from '../html';

const STYLESHEET_PATH = '/sandbox/sandbox.css';

/** The sandbox pages' policy: only this origin's files, no <base>, no framing. */
export const CONTENT_SECURITY_POLICY = "default-src 'self'; base-uri 'none'; frame-ancestors 'none'";

const PAGE_HEADERS = pageHeaders(CONTENT_SECURITY_POLICY);

/** A whole page (the body brings its h1). */
export function page(title: string, body: Html): string {
  return htmlDocument({ title, stylesheet: STYLESHEET_PATH, main: body });
}

/** Sends a page with the sandbox's security headers (no caching: pages carry interaction and launch ids). */
export function sendPage(res: Response, status: number, title: string, body: Html): void {
  res.status(status).set(PAGE_HEADERS).send(page(title, body));
}

export const STYLESHEET = `*,*::before,*::after{box-sizing:border-box}
.visually-hidden{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fafafa}
main{max-width:44rem;margin:0 auto;padding:1rem}
main:focus{outline:none}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
a{color:#0b5394}
.skip-link{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem;z-index:1}
.skip-link:focus{left:.5rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
select{width:100%;max-width:100%;font:inherit;padding:.5rem;min-height:2.75rem}
button{font:inherit;min-height:2.75rem;padding:.5rem 1rem;margin:.25rem .5rem .25rem 0;border:1px solid #0b5394;border-radius:.25rem;background:#0b5394;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b5394}
button:focus-visible,select:focus-visible,a:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.actions{display:flex;flex-wrap:wrap;margin-top:1rem}
.patients{list-style:none;padding:0}
.patients li{background:#fff;border:1px solid #d0d0d0;border-radius:.25rem;padding:.75rem;margin:.5rem 0}
.patients form{display:inline}
.hint{color:#4a4a4a;font-size:.95rem}
.error{color:#a30000;font-weight:600}
[aria-invalid="true"]{border:2px solid #a30000}
.status{background:#e8f3e8;border-left:4px solid #2e7d32;padding:.5rem .75rem}
code{overflow-wrap:anywhere}
.scopes{overflow-wrap:anywhere;font-size:.9rem}
`;
