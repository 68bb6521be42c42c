/**
 * What the sandbox's own form handlers read from a request: whether a browser sent it from this origin, the
 * posted fields, one cookie. In: an express request; out: plain values (never trusted further than that).
 * See: https://fetch.spec.whatwg.org/#origin-header
 */
import type { Request } from 'express';
import { isJsonObject, type JsonObject } from '../fhir/json';

/** Whether a browser's POST comes from this origin (a request without Origin does not come from a web page). */
export function sameOrigin(req: Request): boolean {
  const origin = req.get('origin');
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    return false; // `null` from a sandboxed or privacy-sensitive context
  }
}

/** The url-encoded form fields (express.urlencoded ran before). */
export function formFields(req: Request): JsonObject {
  const body: unknown = req.body;
  return isJsonObject(body) ? body : {};
}

/** One cookie's value from the request's Cookie header. */
export function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) {
      try {
        return decodeURIComponent(rest.join('='));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
