/**
 * The one HTML plumbing of the server-rendered pages (src/web, src/smart, src/sandbox): escaping, the `html`
 * tagged template, the document skeleton (lang, title, skip link, one main) and the headers every page gets.
 * In: trusted markup from template literals and untrusted values; out: escaped markup and header records.
 * See: https://html.spec.whatwg.org/multipage/syntax.html#escapingString
 */

/** Markup that is safe to insert as is: built by `html` from escaped values. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text escaped for element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** An interpolated value: Html as is, lists item by item, nothing for undefined, null and false, else escaped text. */
function render(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number' || typeof value === 'boolean') return escapeHtml(String(value));
  throw new TypeError(`html: cannot render a ${typeof value}`);
}

/** A template whose interpolations are escaped unless they are Html: html`<p>${name}</p>`. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

export interface DocumentParts {
  /** The whole title. */
  title: string;
  stylesheet: string;
  /** More of the head, after the stylesheet. */
  head?: Html;
  /** Between the skip link and main (a site header). */
  header?: Html;
  /** The content of main, its one h1 included. */
  main: Html;
  /** `tabindex="-1"` on main, so the skip link moves focus there (default true). */
  focusableMain?: boolean;
}

/** A whole HTML document: lang, charset, viewport, title, stylesheet, a skip link to the one main. */
export function htmlDocument(p: DocumentParts): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title}</title>
<link rel="stylesheet" href="${p.stylesheet}">
${p.head}</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
${p.header}<main id="main"${p.focusableMain === false ? '' : html` tabindex="-1"`}>
${p.main}
</main>
</body>
</html>
`.value;
}

/**
 * Headers for a page: its policy, no sniffing, no caching (pages carry patient data, session and launch
 * ids), and a referrer only to this origin (a /callback URL carries the code; `no-referrer` would make
 * browsers send `Origin: null` with the forms, which the Origin guards refuse).
 */
export function pageHeaders(contentSecurityPolicy: string): Readonly<Record<string, string>> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': contentSecurityPolicy,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}
