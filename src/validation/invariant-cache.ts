/**
 * Results of context-free invariants remembered by the value's JSON, across validations: a unit
 * constraint on `{"value":6,"code":"kg",...}` or `$this = 'final'` is a pure function of the value, and
 * fhirpath.js costs tens to hundreds of microseconds per call. Expressions that look outside the value
 * (%resource, %rootResource, other % variables, resolve(), memberOf(), conformsTo(), now(), today(),
 * timeOfDay()) are never cached, nor large values or resources, nor errors; the cache is bounded and cleared when full.
 */

const OUTSIDE_THE_VALUE = /%(?!ucum\b|context\b)|\bresolve\(|\bmemberOf\(|\bconformsTo\(|\bnow\(|\btoday\(|\btimeOfDay\(/;
const MAX_ENTRIES = 10_000;
const MAX_JSON_LENGTH = 1_000;

const pure = new Map<string, boolean>();
const results = new Map<string, Map<string, boolean>>();
let entries = 0;

function isPure(expression: string): boolean {
  let hit = pure.get(expression);
  if (hit === undefined) {
    hit = !OUTSIDE_THE_VALUE.test(expression);
    pure.set(expression, hit);
  }
  return hit;
}

/** Whether a value is small enough to serve as a key: at most `budget` JSON nodes, no resource inside. */
function small(v: unknown, budget = { left: 40 }): boolean {
  if (typeof v !== 'object' || v === null) return true;
  if ('resourceType' in v) return false;
  for (const x of Array.isArray(v) ? (v as unknown[]) : Object.values(v)) {
    budget.left -= 1;
    if (budget.left < 0 || !small(x, budget)) return false;
  }
  return true;
}

/** `compute()`, or its remembered result for an equal value under the same base and expression. */
export function cachedByValue(base: string, expression: string, value: unknown, compute: () => boolean | Error): boolean | Error {
  if (!isPure(expression) || !small(value)) return compute();
  const json = JSON.stringify(value);
  if (json === undefined || json.length > MAX_JSON_LENGTH) return compute();
  const key = `${base}\u0000${expression}`;
  let perExpression = results.get(key);
  const hit = perExpression?.get(json);
  if (hit !== undefined) return hit;
  const result = compute();
  if (result instanceof Error) return result;
  if (entries >= MAX_ENTRIES) {
    results.clear();
    entries = 0;
    perExpression = undefined;
  }
  if (!perExpression) {
    perExpression = new Map();
    results.set(key, perExpression);
  }
  perExpression.set(json, result);
  entries += 1;
  return result;
}
