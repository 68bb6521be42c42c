/**
 * The pages' HTML helpers: the `html` tagged template of src/html (every interpolated value is escaped unless
 * it is already Html, so markup can only come from template literals) and JSON data blocks for the charts.
 * See: https://html.spec.whatwg.org/multipage/scripting.html#restrictions-for-contents-of-script-elements
 */
import { Html } from '../html';

export { html, Html } from '../html';

/**
 * Data for a `<script type="application/json">` block: JSON with `<`, `>`, `&` and the JS line separators
 * written as \u escapes, so no value can close the element or start a comment.
 */
export function jsonData(data: unknown): Html {
  const json = JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return new Html(json);
}
