/**
 * The response filters, the guard's second line of defence: a response in, the response to send out (or
 * a 403). Every resource in a response must be one the token may see: a type it may read or search, and,
 * when that grant is confined, a resource of the launch patient (src/smart/access-compartment.ts).
 * - read or vread: a resource it may not see makes the response a 403;
 * - search or history: such entries are dropped, and then the Bundle's `total`, which counts them (always,
 *   in the patient context, for a search the guard cannot narrow: Provenance); in the patient context the
 *   `next` (and `last`) link goes too then, since the embedded server pages before this filter runs and a
 *   full page of matches, most of them someone else's, would say how many there are (`self` stays);
 * - the user's own Practitioner read through the `fhirUser` scope: only that resource passes;
 * - create: the resource answered (a conditional create may answer with a stored one) must be the patient's;
 * - transaction or batch: an entry's resource outside the compartment is taken out of the response with
 *   its location (the entry keeps its status); a search result inside is filtered as a search.
 * OperationOutcomes pass as they are.
 * See: https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
 */
import type { Bundle, BundleEntry, Resource } from 'fhir/r4';
import type { OperationOutcomeError } from '../fhir/outcome';
import { cachedReader, Compartment, describe, isResource, type ReadResource } from './access-compartment';
import { forbidden, outside, type Grant, type Grants } from './access-grant';
import { scopeNeeded } from './scopes';

/** Turns the embedded server's answer into the one to send, or into the 403 to send instead. */
export type ResponseFilter = (body: Resource) => Promise<Resource | OperationOutcomeError>;

/** What a page of matches was asked under: `narrowed` false when other patients' matches were not searched out; `confined` in the patient context. */
export interface PageContext {
  narrowed?: boolean;
  confined?: boolean;
}

/** Links whose presence tells how many matches there are beyond the page. */
const COUNTING: ReadonlySet<string> = new Set(['next', 'last']);

/** Sees one response with one cached reader. */
class Viewer {
  private readonly read: ReadResource;

  constructor(
    private readonly grants: Grants,
    read: ReadResource,
  ) {
    this.read = cachedReader(read);
  }

  /** Whether a resource within a response holds to a grant (confined: in the compartment, or the user's own). */
  async within(resource: Resource, grant: Grant): Promise<boolean> {
    if (grant.patient === undefined || `${resource.resourceType}/${resource.id ?? ''}` === this.grants.user) return true;
    return new Compartment(grant.patient, this.read).holds(resource);
  }

  /** Whether the token may see a resource returned by a read or search. */
  async visible(resource: Resource): Promise<boolean> {
    if (resource.resourceType === 'OperationOutcome') return true;
    const grant = this.grants.best(resource.resourceType, ['r', 's']);
    return grant !== undefined && (await this.within(resource, grant));
  }

  /**
   * A search or history Bundle without the entries the token may not see, and, when any was dropped or the
   * matches were not narrowed to what the token may see (`narrowed` false), without `total`, and in the
   * patient context (`confined`) without the links that count.
   */
  async entries(bundle: Bundle, { narrowed = true, confined = false }: PageContext = {}): Promise<Bundle> {
    const entries = bundle.entry ?? [];
    const kept: BundleEntry[] = [];
    for (const entry of entries) if (!entry.resource || (await this.visible(entry.resource))) kept.push(entry);
    const counts = kept.length < entries.length || !narrowed;
    const links = confined && counts ? (bundle.link ?? []).filter((l) => !COUNTING.has(l.relation)) : bundle.link;
    if (!counts || (kept.length === entries.length && bundle.total === undefined && links?.length === bundle.link?.length)) return bundle;
    const rest = { ...bundle };
    delete rest.total;
    delete rest.entry;
    delete rest.link;
    return { ...rest, ...(links && links.length > 0 ? { link: links } : {}), ...(kept.length > 0 ? { entry: kept } : {}) };
  }
}

/** For a read or vread (`history`: the history Bundle of one resource; `confined`: in the patient context). */
export function readFilter(grants: Grants, read: ReadResource, history: boolean, confined = false): ResponseFilter {
  return async (body) => {
    const viewer = new Viewer(grants, read);
    if (body.resourceType === 'OperationOutcome') return body;
    if (history && body.resourceType === 'Bundle') return viewer.entries(body as Bundle, { confined });
    if (await viewer.visible(body)) return body;
    return forbidden(grants.best(body.resourceType, ['r', 's']) ? outside(describe(body)) : scopeNeeded(body.resourceType, 'r'));
  };
}

/** For the user's own resource, read through the `fhirUser` scope: that resource (or an OperationOutcome) only. */
export function selfFilter(grants: Grants): ResponseFilter {
  return (body) =>
    Promise.resolve(body.resourceType === 'OperationOutcome' || `${body.resourceType}/${body.id ?? ''}` === grants.user ? body : forbidden(scopeNeeded(body.resourceType, 'r')));
}

/**
 * For a search or a history: entries the token may not see are dropped. `context.narrowed`: false for a
 * confined search the query could not narrow (Provenance), whose `total` and paging count other patients'
 * resources; `context.confined`: in the patient context.
 */
export function searchFilter(grants: Grants, read: ReadResource, context: PageContext = {}): ResponseFilter {
  return async (body) => {
    const viewer = new Viewer(grants, read);
    if (body.resourceType === 'Bundle') return viewer.entries(body as Bundle, context);
    return body.resourceType === 'OperationOutcome' || (await viewer.visible(body)) ? body : forbidden(outside(describe(body)));
  };
}

/** For a create confined to a patient: the resource answered must be the patient's. */
export function createFilter(grants: Grants, read: ReadResource, grant: Grant): ResponseFilter {
  return async (body) => {
    if (body.resourceType === 'OperationOutcome') return body;
    return (await new Viewer(grants, read).within(body, grant)) ? body : forbidden(outside(describe(body)));
  };
}

/** For a transaction or batch: `grants[i]` is the grant entry i was allowed under. */
export function bundleFilter(grants: Grants, read: ReadResource, entryGrants: readonly Grant[]): ResponseFilter {
  return async (body) => {
    if (body.resourceType !== 'Bundle') return body;
    const bundle = body as Bundle;
    const viewer = new Viewer(grants, read);
    const entry: BundleEntry[] = [];
    for (const [i, e] of (bundle.entry ?? []).entries()) {
      const resource = e.resource;
      const grant = entryGrants[i];
      const nested = resource?.resourceType === 'Bundle' ? (resource as Bundle) : undefined;
      if (!isResource(resource) || resource.resourceType === 'OperationOutcome') entry.push(e);
      else if (nested && (nested.type === 'searchset' || nested.type === 'history')) entry.push({ ...e, resource: await viewer.entries(nested, { confined: grant?.patient !== undefined }) });
      else if (grant && (await viewer.within(resource, grant))) entry.push(e);
      else entry.push({ response: { status: e.response?.status ?? '200', ...(e.response?.outcome ? { outcome: e.response.outcome } : {}) } });
    }
    return bundle.entry ? { ...bundle, entry } : bundle;
  };
}
