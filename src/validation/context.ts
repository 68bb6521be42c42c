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
}

export interface Run {
  readonly defs: Definitions;
  readonly terminology: Terminology;
  readonly issues: IssueSink;
  /** object -> `structureUrl@expression` keys already walked, so overlapping layers walk once. */
  readonly walked: WeakMap<object, Set<string>>;
  /** Whether a resource (a reference target at hand) conforms to a profile; cached per run. */
  readonly conforms: (resource: Json, profile: string, scope: ResourceScope) => boolean;
  /** Profiles asked for by the caller that apply to this entry of the validated Bundle. */
  readonly entryProfiles: (resource: Json) => readonly string[];
}

/** Marks (value, key) as walked; false when it already was. */
export function firstVisit(run: Run, value: unknown, key: string): boolean {
  if (typeof value !== 'object' || value === null) return true;
  let seen = run.walked.get(value);
  if (!seen) {
    seen = new Set();
    run.walked.set(value, seen);
  }
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}
