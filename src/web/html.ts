/**
 * The one escaping helper of the pages: the `html` tagged template escapes every interpolated value unless
 * it is already Html (what another template produced), so markup can only come from template literals.
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

/** Text escaped for element content and quoted attribute values. */
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

/** A template whose interpolations are escaped: html`<p>${name}</p>`. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/**
 * Data for a `<script type="application/json">` block: JSON with `<`, `>`, `&` and the JS line separators
 * written as \u escapes, so no value can close the element or start a comment.
 */
export function jsonData(data: unknown): Html {
  const json = JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return new Html(json);
}
