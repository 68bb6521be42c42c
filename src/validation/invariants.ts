/**
 * Invariants (ElementDefinition.constraint) evaluated with fhirpath.js on the R4 model, each expression
 * compiled once per base path; a constraint passes only when it evaluates to true (false, empty or an
 * evaluation error fail), as the HL7 validator does. Some core ones run natively (native-invariants.ts).
 * See: https://hl7.org/fhir/R4/conformance-rules.html#constraints
 */
import { compile, type UserInvocationTable } from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
import type { Run, ResourceScope } from './context';
import type { Constraint } from './structure';
import { cachedByValue } from './invariant-cache';
import { NATIVE_INVARIANTS } from './native-invariants';
import { holdsVacuously } from './vacuous';

type Evaluator = (value: unknown, env: Record<string, unknown>) => unknown[];

const compiled = new Map<string, Evaluator | Error>();

/** A regex test like fhirpath.js's (dotAll, unicode), retried without `u` for Java-style escapes such as `\@`. */
function regexTest(input: unknown[], regex: unknown, flags: unknown, full: boolean): boolean | [] {
  if (input.length === 0 || typeof regex !== 'string') return [];
  if (input.length > 1) throw new Error('matches() expects a single input');
  const source = full ? `^(?:${regex})$` : regex;
  const extra = `${typeof flags === 'string' && flags.includes('i') ? 'i' : ''}${typeof flags === 'string' && flags.includes('m') ? 'm' : ''}s`;
  let re: RegExp;
  try {
    re = new RegExp(source, `u${extra}`);
  } catch {
    re = new RegExp(source, extra);
  }
  return re.test(String(input[0]));
}

const userInvocationTable: UserInvocationTable = {
  matches: {
    fn: (input: unknown[], regex: unknown, flags?: unknown) => regexTest(input, regex, flags, false),
    arity: { 1: ['String'], 2: ['String', 'String'] },
  },
  matchesFull: {
    fn: (input: unknown[], regex: unknown, flags?: unknown) => regexTest(input, regex, flags, true),
    arity: { 1: ['String'], 2: ['String', 'String'] },
  },
};

/**
 * `base` undefined compiles without type context: used for decimal values, because fhirpath.js 5.2.2
 * fails on a decimal at the root of a based path (ctx.getDecimal is set after the root nodes are made).
 */
function evaluator(base: string | undefined, expression: string): Evaluator | Error {
  const key = `${base ?? ''}\u0000${expression}`;
  const hit = compiled.get(key);
  if (hit) return hit;
  let built: Evaluator | Error;
  try {
    // resolveInternalTypes: false keeps fhirpath.js from writing `__path__` onto our input objects.
    const options = { resolveInternalTypes: false, traceFn: () => undefined, userInvocationTable };
    const fn = compile(base === undefined ? expression : { base, expression }, r4Model, options);
    built = (value, env) => fn(value, env) as unknown[];
  } catch (err) {
    built = err instanceof Error ? err : new Error(String(err));
  }
  compiled.set(key, built);
  return built;
}

/** Java-validator truth: [true] passes, [false] and empty fail, any other non-empty result passes. */
function truthy(result: unknown[]): boolean {
  if (result.length === 0) return false;
  if (result.length === 1 && typeof result[0] === 'boolean') return result[0];
  return true;
}

export interface InvariantTarget {
  readonly value: unknown;
  /** FHIRPath base path for type information (`Observation.component`, `Quantity`). */
  readonly base: string;
  readonly expression: string;
  readonly scope: ResourceScope;
}

/** Whether a constraint holds; an Error when it could not be evaluated. */
export function holds(c: Constraint, target: InvariantTarget): boolean | Error {
  const native = NATIVE_INVARIANTS[c.key];
  if (native && native.expression === c.expression) return native.evaluate(target.value, target.scope);
  if (c.expression === undefined || holdsVacuously(c.expression, target.value)) return true;
  return evaluate(c.expression, target);
}

/** `holds`, remembering fhirpath.js results per object for the run (base and profiles share constraints). */
function holdsMemo(run: Run, c: Constraint, target: InvariantTarget): boolean | Error {
  const native = NATIVE_INVARIANTS[c.key];
  const value = target.value;
  if ((native && native.expression === c.expression) || typeof value !== 'object' || value === null) return holds(c, target);
  if (c.expression === undefined || holdsVacuously(c.expression, value)) return true;
  const memo = memoFor(run, value);
  const key = `${target.base}\u0000${c.expression}`;
  let ok = memo.get(key);
  if (ok === undefined) {
    ok = evaluate(c.expression, target);
    memo.set(key, ok);
  }
  return ok;
}

function evaluate(expression: string, target: InvariantTarget): boolean | Error {
  const base = target.base === 'decimal' ? undefined : target.base;
  const fn = evaluator(base, expression);
  if (fn instanceof Error) return fn;
  return cachedByValue(base ?? '', expression, target.value, () => apply(fn, target));
}

function apply(fn: Evaluator, target: InvariantTarget): boolean | Error {
  try {
    return truthy(fn(target.value, { resource: target.scope.resource, rootResource: target.scope.rootResource }));
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** Results already computed for this object in this run (the base and each profile share most constraints). */
function memoFor(run: Run, value: object): Map<string, boolean | Error> {
  let memo = run.invariantResults.get(value);
  if (!memo) {
    memo = new Map();
    run.invariantResults.set(value, memo);
  }
  return memo;
}

/** Evaluates every constraint not in `skip` and reports failures on the target's expression. */
export function checkConstraints(
  run: Run,
  constraints: readonly Constraint[],
  target: InvariantTarget,
  skip?: ReadonlySet<string>,
): void {
  for (const c of constraints) {
    if (skip?.has(c.key)) continue;
    const ok = holdsMemo(run, c, target);
    if (ok === true) continue;
    if (ok instanceof Error) {
      // Reached on malformed content (an array where a resource belongs, an empty unit system) or an
      // expression fhirpath.js cannot run: never a silent pass, the element is not shown to be valid.
      run.issues.error('invariant', `${c.key}: could not be evaluated on this content (${ok.message})`, target.expression);
    } else {
      run.issues.add(c.severity, 'invariant', `${c.key}: ${c.human}`, target.expression);
    }
  }
}
