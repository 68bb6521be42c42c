/**
 * A Bundle's entries indexed for reference resolution (by fullUrl and by `Type/id`), with the
 * FHIRPath prefix of each entry for issue expressions.
 * See: https://hl7.org/fhir/R4/bundle.html#references
 */
import { referenceKey } from '../../fhir/reference';
import type { Bundle, FhirResource, Reference } from 'fhir/r4';
import { asArray, asString, isRecord } from './json';

/** One Bundle entry that holds a resource. */
export interface IndexedEntry<R extends FhirResource = FhirResource> {
  /** Position in Bundle.entry (0-based). */
  index: number;
  fullUrl?: string;
  resource: R;
  /** `Bundle.entry[i].resource`: prefix of this entry's issue expressions. */
  path: string;
  /** How other resources refer to this one: `Type/id`, else the fullUrl, else `#entry[i]`. */
  reference: string;
}

export interface BundleIndex {
  entries: readonly IndexedEntry[];
  /** The entry a reference points at, when it is in the Bundle. */
  resolve(reference: Reference | string | undefined): IndexedEntry | undefined;
  /** True when two references (or a reference and an entry) denote the same resource. */
  same(a: Reference | string | undefined, b: IndexedEntry): boolean;
}


/** `Type/id` of a literal reference (relative or absolute), when it has that shape. */
export const typeAndId = (reference: string): string | undefined => referenceKey(reference);

function isResource(value: unknown): value is FhirResource {
  return isRecord(value) && typeof value.resourceType === 'string';
}

/**
 * Indexes the entries of a Bundle that carry a resource. Entries that are not objects or hold no resource
 * are skipped; a non-string fullUrl or id counts as absent (the readers report malformed resources).
 */
export function indexBundle(bundle: Bundle): BundleIndex {
  const entries: IndexedEntry[] = [];
  const byFullUrl = new Map<string, IndexedEntry>();
  const byTypeId = new Map<string, IndexedEntry>();
  const list: unknown = isRecord(bundle) ? bundle.entry : undefined;
  asArray(list).forEach((entry, index) => {
    if (!isRecord(entry)) return;
    const resource = entry.resource;
    if (!isResource(resource)) return;
    const fullUrl = asString(entry.fullUrl);
    const id = asString(resource.id);
    const typeId = id !== undefined ? `${resource.resourceType}/${id}` : undefined;
    const indexed: IndexedEntry = {
      index,
      resource,
      path: `Bundle.entry[${index}].resource`,
      reference: typeId ?? fullUrl ?? `#entry[${index}]`,
      ...(fullUrl !== undefined ? { fullUrl } : {}),
    };
    entries.push(indexed);
    if (fullUrl !== undefined && !byFullUrl.has(fullUrl)) byFullUrl.set(fullUrl, indexed);
    const key = typeId ?? (fullUrl !== undefined ? typeAndId(fullUrl) : undefined);
    if (key !== undefined && !byTypeId.has(key)) byTypeId.set(key, indexed);
  });

  const resolve = (ref: Reference | string | undefined): IndexedEntry | undefined => {
    const literal = typeof ref === 'string' ? ref : asString(isRecord(ref) ? ref.reference : undefined);
    if (literal === undefined) return undefined;
    const exact = byFullUrl.get(literal);
    if (exact) return exact;
    const key = typeAndId(literal);
    return key !== undefined ? byTypeId.get(key) : undefined;
  };

  return {
    entries,
    resolve,
    same: (ref, entry) => resolve(ref) === entry,
  };
}
