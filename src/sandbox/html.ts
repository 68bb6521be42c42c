/**
 * HTML for the sandbox's pages: escaping, one page layout (lang, title, skip link, main, one h1), the style
 * sheet (served from /sandbox/sandbox.css: no inline style or script, so a `default-src 'self'` CSP holds) and
 * the headers every page gets. In: trusted markup built with `html` and untrusted values; out: a string.
 * See: https://html.spec.whatwg.org/multipage/syntax.html#escapingString
 */
import type { Response } from 'express';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in element content and in quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Markup that is already safe (made by `html`). */
export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

type Value = SafeHtml | string | number | undefined | null | false | readonly Value[];

function render(value: Value): string {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return (value as readonly Value[]).map(render).join('');
  return escapeHtml(value);
}

/** A template tag: every interpolated value is escaped unless it is SafeHtml (arrays are joined). */
export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  return new SafeHtml(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));
}

export const STYLESHEET_PATH = '/sandbox/sandbox.css';

/** A whole page. */
export function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<main id="main" tabindex="-1">
${body}
</main>
</body>
</html>
`.markup;
}

/** Sends a page with the sandbox's security headers (no caching: pages carry interaction and launch ids). */
export function sendPage(res: Response, status: number, title: string, body: SafeHtml): void {
  res
    .status(status)
    .set({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'self'; base-uri 'none'; frame-ancestors 'none'",
      'referrer-policy': 'same-origin',
      'x-content-type-options': 'nosniff',
    })
    .send(page(title, body));
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
