/**
 * An index for the embedded store's searches: which stored resources mention a reference (`Patient/1`,
 * whatever version or base URL it was written with) and which carry a tag (`system|code`).
 *
 * Why: Medplum's MemoryRepository answers a search by checking every stored resource of the type; with
 * 1,000 patients one `Observation?subject=` took about 220 ms. The index gives a superset of the matches
 * (entries are added on every write and never removed, so a stale one only costs a check); the store
 * still runs Medplum's own matching on that superset, so the results are the router's.
 */
import { getSearchParameter, Operator, type Filter, type SearchRequest } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { referenceKey } from '../fhir/reference';


/** Tags are matched without regard to case, as Medplum's token search does. */
const tagKey = (system: string, code: string): string => `${system}|${code}`.toLowerCase();

function add(index: Map<string, Set<string>>, key: string, value: string): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(value);
}

export class SearchIndex {
  private readonly byReference = new Map<string, Set<string>>();
  private readonly byTag = new Map<string, Set<string>>();

  /** Records what a stored resource version mentions. */
  add(resource: Resource): void {
    if (resource.id === undefined) return;
    const self = `${resource.resourceType}/${resource.id}`;
    // Every string shaped like a reference, whatever its key: reference search parameters also match
    // canonical and uri elements (instantiatesCanonical), which are plain strings.
    const walk = (value: unknown): void => {
      if (typeof value === 'string') {
        const target = value.length < 512 ? referenceKey(value) : undefined;
        if (target !== undefined) add(this.byReference, target, self);
      } else if (Array.isArray(value)) value.forEach(walk);
      else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
    };
    walk(resource);
    for (const tag of resource.meta?.tag ?? []) add(this.byTag, tagKey(tag.system ?? '', tag.code ?? ''), self);
  }

  /**
   * The `Type/id`s that may match a search, from its most selective indexed filter (a reference search
   * or `_tag` with system and code); undefined when no filter can use the index.
   */
  candidates(request: SearchRequest): Set<string> | undefined {
    let best: Set<string> | undefined;
    for (const filter of request.filters ?? []) {
      const found = this.forFilter(request.resourceType, filter);
      if (found && (!best || found.size < best.size)) best = found;
    }
    return best;
  }

  private forFilter(resourceType: string, filter: Filter): Set<string> | undefined {
    if (filter.operator !== Operator.EQUALS) return undefined;
    const values = filter.value.split(',');
    if (filter.code === '_tag') {
      if (!values.every((v) => /^[^|]+\|[^|]+$/.test(v))) return undefined;
      return new Set(values.flatMap((v) => [...(this.byTag.get(v.toLowerCase()) ?? [])]));
    }
    if (getSearchParameter(resourceType, filter.code)?.type !== 'reference') return undefined;
    const keys = values.map((v) => referenceKey(v));
    if (keys.some((k) => k === undefined)) return undefined;
    return new Set(keys.flatMap((k) => [...(this.byReference.get(k ?? '') ?? [])]));
  }
}
