/**
 * A Bundle's entries indexed for reference resolution (by fullUrl and by `Type/id`), with the
 * FHIRPath prefix of each entry for issue expressions.
 * See: https://hl7.org/fhir/R4/bundle.html#references
 */
import type { Bundle, FhirResource, Reference } from 'fhir/r4';

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

const TYPE_ID = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/** `Type/id` of a literal reference (relative or absolute), when it has that shape. */
export function typeAndId(reference: string): string | undefined {
  const m = TYPE_ID.exec(reference);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

function isResource(value: unknown): value is FhirResource {
  return typeof value === 'object' && value !== null && typeof (value as { resourceType?: unknown }).resourceType === 'string';
}

/** Indexes the entries of a Bundle that carry a resource (others are skipped). */
export function indexBundle(bundle: Bundle): BundleIndex {
  const entries: IndexedEntry[] = [];
  const byFullUrl = new Map<string, IndexedEntry>();
  const byTypeId = new Map<string, IndexedEntry>();
  (bundle.entry ?? []).forEach((entry, index) => {
    const resource: unknown = entry.resource;
    if (!isResource(resource)) return;
    const typeId = resource.id !== undefined ? `${resource.resourceType}/${resource.id}` : undefined;
    const indexed: IndexedEntry = {
      index,
      resource,
      path: `Bundle.entry[${index}].resource`,
      reference: typeId ?? entry.fullUrl ?? `#entry[${index}]`,
      ...(entry.fullUrl !== undefined ? { fullUrl: entry.fullUrl } : {}),
    };
    entries.push(indexed);
    if (entry.fullUrl !== undefined && !byFullUrl.has(entry.fullUrl)) byFullUrl.set(entry.fullUrl, indexed);
    const key = typeId ?? (entry.fullUrl !== undefined ? typeAndId(entry.fullUrl) : undefined);
    if (key !== undefined && !byTypeId.has(key)) byTypeId.set(key, indexed);
  });

  const resolve = (ref: Reference | string | undefined): IndexedEntry | undefined => {
    const literal = typeof ref === 'string' ? ref : ref?.reference;
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
