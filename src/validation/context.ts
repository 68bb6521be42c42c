/**
 * The state of one validation run (definitions, terminology, collected issues, what was already walked)
 * and the scope of the resource being walked (for %resource, contained and Bundle references).
 */
import type { Definitions, Json } from './definitions';
import type { IssueSink } from './issues';
import type { Terminology } from './terminology';

/** The entries of an enclosing Bundle, for resolving references inside it. */
export interface BundleIndex {
  readonly type: string;
  readonly byFullUrl: ReadonlyMap<string, Json>;
  /** `Type/id` -> resource, for entries without a usable fullUrl. */
  readonly byTypeAndId: ReadonlyMap<string, Json>;
  /** entry.resource -> entry.fullUrl. */
  readonly fullUrlOf: ReadonlyMap<Json, string>;
}

export interface ResourceScope {
  /** %resource: the resource the element belongs to. */
  readonly resource: Json;
  /** %rootResource: the outermost resource (the container of contained resources). */
  readonly rootResource: Json;
  readonly bundle?: BundleIndex;
  /** fullUrl of the Bundle entry the resource came from. */
  readonly fullUrl?: string;
  /** The issue expression of the resource itself (`Observation`, `Bundle.entry[2].resource`). */
  readonly expression?: string;
}

export interface Run {
  readonly defs: Definitions;
  readonly terminology: Terminology;
  readonly issues: IssueSink;
  /** object -> (definition walked against -> expression(s)), so overlapping layers walk once. */
  readonly walked: WeakMap<object, Map<object, string | Set<string>>>;
  /** Bundle -> the index of its entries, built once in this run. */
  readonly bundleIndexes: WeakMap<object, BundleIndex>;
  /** object -> constraint results already computed in this run. */
  readonly invariantResults: WeakMap<object, Map<string, boolean | Error>>;
  /** Whether a resource (a reference target at hand) conforms to a profile; cached per run. */
  readonly conforms: (resource: Json, profile: string, scope: ResourceScope) => boolean;
  /** Profiles asked for by the caller that apply to this entry of the validated Bundle. */
  readonly entryProfiles: (resource: Json) => readonly string[];
}

/** Marks `value` as walked against `definition` at `expr`; false when it already was. */
export function firstVisit(run: Run, value: unknown, definition: object, expr: string): boolean {
  if (typeof value !== 'object' || value === null) return true;
  let seen = run.walked.get(value);
  if (!seen) {
    seen = new Map();
    run.walked.set(value, seen);
  }
  const prior = seen.get(definition);
  if (prior === undefined) {
    seen.set(definition, expr);
    return true;
  }
  if (prior === expr || (typeof prior !== 'string' && prior.has(expr))) return false;
  const all = typeof prior === 'string' ? new Set([prior]) : prior;
  all.add(expr);
  seen.set(definition, all);
  return true;
}
