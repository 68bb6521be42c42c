/**
 * JSON-lines logging for the service. Callers pass only what is safe to log: request ids, methods,
 * route shapes with ids masked (maskPath), statuses, durations, counts. Never bodies, queries, names,
 * resource ids or tokens (no PHI, no secrets).
 */
export type Level = 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  log(level: Level, message: string, fields?: LogFields): void;
}

const RANK: Record<Level | 'silent', number> = { info: 0, warn: 1, error: 2, silent: 3 };

/** A logger writing one JSON object per line to `write` (default stdout), dropping lines below `level`. */
export function jsonLogger(level: Level | 'silent' = 'info', write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  return {
    log(lineLevel, message, fields = {}) {
      if (RANK[lineLevel] < RANK[level]) return;
      write(`${JSON.stringify({ time: new Date().toISOString(), level: lineLevel, message, ...fields })}\n`);
    },
  };
}

/** Path segments that name routes, never data: kept as they are in logs. */
const ROUTE_WORDS = new Set([
  '', 'fhir', 'health', 'metadata', '.well-known', 'smart-configuration', 'openid-configuration',
  'launch', 'callback', 'logout', 'app', 'plans', 'approve', 'edit', 'reject', 'me', 'check-in', 'sessions', 'static',
  'sandbox', 'revoke', 'auth', 'token', 'revocation', 'introspection', 'jwks', 'interaction', 'login', 'confirm', 'abort',
]);

/**
 * A request path with every id replaced by `:id`: resource types, operations (`$progress`), `_history`,
 * `_search` and `metadata` are kept. `/fhir/CarePlan/amara-plan/$progress` -> `/fhir/CarePlan/:id/$progress`.
 */
export function maskPath(path: string, isResourceType: (segment: string) => boolean): string {
  const keep = (segment: string): boolean => ROUTE_WORDS.has(segment) || isResourceType(segment) || /^[$_][a-z-]+$/i.test(segment);
  return (path.split('?')[0] ?? '')
    .split('/')
    .map((s) => (keep(s) ? s : ':id'))
    .join('/');
}
