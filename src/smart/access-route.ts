/**
 * What a request under /fhir asks for, from its method and path: a read, a search, a create, an update, a
 * patch, a delete, a conditional write, a transaction or batch, an operation, or something the access guard
 * does not know (refused). Paths are taken as sent (no percent-decoding, as the embedded router does), so a
 * segment that is not a plain type, id or `$operation` never matches a route.
 * See: https://hl7.org/fhir/R4/http.html; https://hl7.org/fhir/R4/operations.html
 */

export type Route =
  | { kind: 'public' }
  /** read, vread or the history of one resource */
  | { kind: 'read'; type: string; id: string; history: boolean }
  /** a search of one type (`GET /Type`, `/Type/_search`, the type's history); `post`: parameters in the body */
  | { kind: 'search'; type: string; post: boolean }
  /** a search or history across types (`GET /`, `/_search`, `/_history`) */
  | { kind: 'system-search' }
  | { kind: 'create'; type: string }
  | { kind: 'update'; type: string; id: string }
  | { kind: 'patch'; type: string; id: string }
  | { kind: 'delete'; type: string; id: string }
  /** PUT, PATCH or DELETE on `/Type?criteria` */
  | { kind: 'conditional'; type: string; interaction: 'u' | 'd' }
  | { kind: 'bundle' }
  | { kind: 'operation'; name: string; type?: string; id?: string }
  | { kind: 'unknown' };

const TYPE = /^[A-Z][A-Za-z]+$/;
const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const OPERATION = /^\$[A-Za-z][A-Za-z0-9-]*$/;

/** The route of a request: `path` is below the FHIR base, without the query (`/CarePlan/1/$progress`). */
export function routeOf(method: string, path: string): Route {
  const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  const segments = path.split('/').filter((s) => s !== '');
  const [a, b, c, d] = segments;
  const isGet = m === 'GET';
  if (a === undefined) return isGet ? { kind: 'system-search' } : m === 'POST' ? { kind: 'bundle' } : { kind: 'unknown' };
  if (segments.length === 1 && isGet && (a === 'metadata' || a === '_history' || a === '_search')) return a === 'metadata' ? { kind: 'public' } : { kind: 'system-search' };
  if (segments.length === 1 && m === 'POST' && a === '_search') return { kind: 'system-search' };
  if (segments.length === 2 && isGet && a === '.well-known' && b === 'smart-configuration') return { kind: 'public' };
  if (OPERATION.test(a)) return segments.length === 1 && m === 'POST' ? { kind: 'operation', name: a } : { kind: 'unknown' };
  if (!TYPE.test(a)) return { kind: 'unknown' };
  if (b === undefined) {
    if (isGet) return { kind: 'search', type: a, post: false };
    if (m === 'POST') return { kind: 'create', type: a };
    if (m === 'PUT' || m === 'PATCH') return { kind: 'conditional', type: a, interaction: 'u' };
    if (m === 'DELETE') return { kind: 'conditional', type: a, interaction: 'd' };
    return { kind: 'unknown' };
  }
  if (segments.length === 2 && b === '_search') return isGet || m === 'POST' ? { kind: 'search', type: a, post: m === 'POST' } : { kind: 'unknown' };
  if (segments.length === 2 && b === '_history') return isGet ? { kind: 'search', type: a, post: false } : { kind: 'unknown' };
  if (OPERATION.test(b)) return segments.length === 2 && m === 'POST' ? { kind: 'operation', name: b, type: a } : { kind: 'unknown' };
  if (!ID.test(b)) return { kind: 'unknown' };
  if (c === undefined) {
    if (isGet) return { kind: 'read', type: a, id: b, history: false };
    if (m === 'PUT') return { kind: 'update', type: a, id: b };
    if (m === 'PATCH') return { kind: 'patch', type: a, id: b };
    if (m === 'DELETE') return { kind: 'delete', type: a, id: b };
    return { kind: 'unknown' };
  }
  if (OPERATION.test(c)) return segments.length === 3 && m === 'POST' ? { kind: 'operation', name: c, type: a, id: b } : { kind: 'unknown' };
  if (c === '_history' && isGet && (segments.length === 3 || (segments.length === 4 && d !== undefined && ID.test(d)))) {
    return { kind: 'read', type: a, id: b, history: segments.length === 3 };
  }
  return { kind: 'unknown' };
}
