/**
 * A syntactic short cut for the commonest invariant shapes, `a.empty() or R`, `a.hasValue().not() or R`
 * and `a.exists() implies R`: when `a` is absent from the JSON object the constraint holds whatever R is
 * (FHIRPath: `{}.empty()` is true, `true or R` is true, `false implies R` is true), so fhirpath.js is
 * not called. Only applied when R holds no `implies`/`xor` that could re-associate the operators.
 * See: https://hl7.org/fhirpath/#boolean-logic
 */

interface Guard {
  readonly name: string;
}

const OR_FORM = /^\s*([A-Za-z][A-Za-z0-9]*)\.(?:empty\(\)|hasValue\(\)\.not\(\)|exists\(\)\.not\(\)) or (.*)$/s;
const IMPLIES_FORM = /^\s*([A-Za-z][A-Za-z0-9]*)\.exists\(\) implies (.*)$/s;

const guards = new Map<string, Guard | null>();

function parse(expression: string): Guard | null {
  const or = OR_FORM.exec(expression);
  if (or?.[1] && !/\b(implies|xor)\b/.test(or[2] ?? '')) return { name: or[1] };
  const imp = IMPLIES_FORM.exec(expression);
  if (imp?.[1] && !/\bimplies\b/.test(imp[2] ?? '')) return { name: imp[1] };
  return null;
}

/** Whether the JSON object has the element `name` in any form (`name`, `_name`, `nameQuantity`, ...). */
function present(obj: Record<string, unknown>, name: string): boolean {
  if (obj[name] !== undefined || obj[`_${name}`] !== undefined) return true;
  for (const k of Object.keys(obj)) {
    if (k.length > name.length && k.startsWith(name) && /[A-Z]/.test(k.charAt(name.length))) return true;
  }
  return false;
}

/** True when the expression trivially holds on `value` because its guard element is absent. */
export function holdsVacuously(expression: string, value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  let guard = guards.get(expression);
  if (guard === undefined) {
    guard = parse(expression);
    guards.set(expression, guard);
  }
  return guard !== null && !present(value as Record<string, unknown>, guard.name);
}
