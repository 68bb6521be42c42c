/**
 * Value constraints of an element: fixed[x] (exact), pattern[x] (the instance contains the pattern),
 * minValue[x]/maxValue[x] and maxLength.
 * See: https://hl7.org/fhir/R4/elementdefinition-definitions.html#ElementDefinition.pattern_x_
 */
import { isJsonObject } from '../fhir/json';
import type { ElementNode, TypedValue } from './structure';
import { compareTemporal } from './primitives';

/** Exact JSON equality (fixed[x] semantics: same properties, same array order). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** pattern[x] semantics: every property of the pattern is in the value; each pattern array item matches some value item. */
export function matchesPattern(value: unknown, pattern: unknown): boolean {
  if (Array.isArray(pattern)) {
    if (!Array.isArray(value)) return pattern.length === 1 && matchesPattern(value, pattern[0]);
    return pattern.every((p) => value.some((v) => matchesPattern(v, p)));
  }
  if (isJsonObject(pattern)) {
    if (!isJsonObject(value)) return false;
    return Object.keys(pattern).every((k) => k in value && matchesPattern(value[k], pattern[k]));
  }
  return value === pattern;
}

/** The problem with `value` against the node's fixed[x]/pattern[x], if any. */
export function fixedPatternProblem(node: ElementNode, value: unknown): string | undefined {
  if (node.fixed && !deepEqual(value, node.fixed.value)) {
    return `Value must be exactly ${JSON.stringify(node.fixed.value)} (fixed${node.fixed.type})`;
  }
  if (node.pattern && !matchesPattern(value, node.pattern.value)) {
    return `Value must match the pattern ${JSON.stringify(node.pattern.value)} (pattern${node.pattern.type})`;
  }
  return undefined;
}

type Comparable = { kind: 'number'; n: number; unit?: string } | { kind: 'temporal'; s: string };

function comparable(v: unknown): Comparable | undefined {
  if (typeof v === 'number') return { kind: 'number', n: v };
  if (typeof v === 'string') return { kind: 'temporal', s: v };
  if (isJsonObject(v) && typeof v.value === 'number') {
    const unit = typeof v.code === 'string' ? v.code : typeof v.unit === 'string' ? v.unit : undefined;
    return { kind: 'number', n: v.value, ...(unit !== undefined ? { unit } : {}) };
  }
  return undefined;
}

/** -1/0/1, or undefined when the two cannot be compared (different kinds or units). */
function compare(a: Comparable, b: Comparable): number | undefined {
  if (a.kind === 'number' && b.kind === 'number') {
    if (a.unit !== undefined && b.unit !== undefined && a.unit !== b.unit) return undefined;
    return Math.sign(a.n - b.n);
  }
  if (a.kind === 'temporal' && b.kind === 'temporal') return compareTemporal(a.s, b.s);
  return undefined;
}

const show = (l: TypedValue): string => JSON.stringify(l.value);

/** Problems with minValue[x]/maxValue[x]/maxLength for a value of the element. */
export function limitProblems(node: ElementNode, value: unknown): string[] {
  const out: string[] = [];
  const v = comparable(value);
  if (v && node.minValue) {
    const lim = comparable(node.minValue.value);
    const c = lim && compare(v, lim);
    if (c !== undefined && c < 0) out.push(`Value ${describe(value)} is below the minimum ${show(node.minValue)}`);
  }
  if (v && node.maxValue) {
    const lim = comparable(node.maxValue.value);
    const c = lim && compare(v, lim);
    if (c !== undefined && c > 0) out.push(`Value ${describe(value)} is above the maximum ${show(node.maxValue)}`);
  }
  if (node.maxLength !== undefined && typeof value === 'string' && value.length > node.maxLength) {
    out.push(`Value is longer than maxLength ${node.maxLength}`);
  }
  return out;
}

const describe = (v: unknown): string => (isJsonObject(v) ? JSON.stringify(v.value) : JSON.stringify(v));
