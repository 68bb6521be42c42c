/**
 * A transaction or batch posted to the FHIR base: each entry is decided as the request it stands for
 * (POST create, PUT update, PATCH update, DELETE delete, GET read or search), and every entry must pass.
 * Entry references to one another (`urn:uuid:` fullUrls, or the `Type/id` an entry updates) are followed
 * inside the Bundle, so a new Provenance whose target is a new ServiceRequest of the same
 * transaction is judged by that ServiceRequest. In the launch's patient context, a search, a conditional
 * update or delete, or a PATCH inside a Bundle is refused (the guard cannot narrow or foresee them); so is a
 * write whose request.url carries a query (the server takes `Type/id?criteria` as a conditional update or
 * delete, and reads a create's criteria from it) and `ifNoneExist` on anything but a create, and a create's
 * `ifNoneExist` must be confined to the patient (src/smart/access-search.ts `checkCriteria`).
 * Leaves: the grant each entry was allowed under (for the response filter); throws a 403 or 400 whose
 * issues point at the entry.
 * See: https://hl7.org/fhir/R4/http.html#transaction
 */
import type { Bundle } from 'fhir/r4';
import { isJsonObject } from '../fhir/json';
import { badRequest, OperationOutcomeError } from '../fhir/outcome';
import { checkCreate, checkDelete, checkRead, checkUpdate } from './access-checks';
import { Compartment, isResource, type BundleTarget, type ReadResource } from './access-compartment';
import { forbidden, type Grant, type Grants } from './access-grant';
import { routeOf } from './access-route';
import { checkCriteria } from './access-search';

interface Entry {
  method: string;
  url: string;
  fullUrl?: string;
  /** request.ifNoneExist as sent (undefined when absent). */
  ifNoneExist: unknown;
  resource: unknown;
}

/** The entries of a transaction or batch Bundle; throws a 400 for any other body. */
function entriesOf(body: unknown): Entry[] {
  const bundle = isResource(body) && body.resourceType === 'Bundle' ? (body as Bundle) : undefined;
  if (!bundle || (bundle.type !== 'transaction' && bundle.type !== 'batch')) throw badRequest('a POST to the FHIR base takes a transaction or batch Bundle');
  const entries: unknown[] = Array.isArray(bundle.entry) ? bundle.entry : [];
  return entries.map((e, i) => {
    const request = isJsonObject(e) && isJsonObject(e.request) ? e.request : undefined;
    if (!isJsonObject(e) || typeof request?.method !== 'string' || typeof request.url !== 'string') {
      throw badRequest('a Bundle entry needs request.method and request.url', `Bundle.entry[${i}].request`);
    }
    return {
      method: request.method.toUpperCase(),
      url: request.url,
      ...(typeof e.fullUrl === 'string' ? { fullUrl: e.fullUrl } : {}),
      ifNoneExist: request.ifNoneExist,
      resource: e.resource,
    };
  });
}

/** A fullUrl the server replaces, in every reference, by the entry's `Type/id` (as Medplum's batch processing does). */
const PLACEHOLDER = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * How references to each entry resolve: by its `urn:uuid:` fullUrl, and by `Type/id` for an entry that
 * updates it. Any other fullUrl is not followed: the server leaves such references as written, so they
 * name whatever is stored under that `Type/id`.
 */
function targetsOf(entries: Entry[]): Map<string, BundleTarget> {
  const targets = new Map<string, BundleTarget>();
  for (const e of entries) {
    const resource = isResource(e.resource) ? e.resource : undefined;
    const route = routeOf(e.method, `/${e.url}`);
    let target: BundleTarget | undefined;
    if (route.kind === 'create') target = { ...(resource ? { resource } : {}), conditional: e.ifNoneExist !== undefined };
    else if (route.kind === 'update') target = { key: `${route.type}/${route.id}`, ...(resource ? { resource } : {}), conditional: false };
    else if (route.kind === 'conditional' && route.interaction === 'u') target = { conditional: true };
    if (!target) continue;
    if (e.fullUrl !== undefined && PLACEHOLDER.test(e.fullUrl)) targets.set(e.fullUrl, target);
    if (target.key !== undefined) targets.set(target.key, target);
  }
  return targets;
}

/** An error whose issues point at `Bundle.entry[i]`. */
function atEntry(err: unknown, i: number): unknown {
  if (!(err instanceof OperationOutcomeError)) return err;
  const issues = err.outcome.issue.map((x) => ({ ...x, expression: [`Bundle.entry[${i}]`] }));
  return new OperationOutcomeError({ ...err.outcome, issue: issues }, err.status);
}

/** Decides one entry; resolves to the grant it is allowed under. */
async function checkEntry(e: Entry, grants: Grants, compartment: (patient: string) => Compartment): Promise<Grant> {
  if (/^[a-z][a-z0-9+.-]*:/i.test(e.url)) throw badRequest(`a Bundle entry's request.url must be relative to the FHIR base, not ${e.url}`);
  const [path = ''] = e.url.split('?');
  const route = routeOf(e.method, `/${path}`);
  const inContext = (grant: Grant): Compartment | undefined => (grant.patient !== undefined ? compartment(grant.patient) : undefined);
  const notInContext = (what: string): OperationOutcomeError => forbidden(`${what} inside a Bundle is not supported in the launch's patient context`);
  /** A write in the patient context: no criteria but a create's own, checked. */
  const noCriteria = (): void => {
    if (e.url.includes('?')) throw notInContext('a write whose request.url carries search criteria (?)');
    if (e.ifNoneExist !== undefined && e.ifNoneExist !== null && e.ifNoneExist !== '' && route.kind !== 'create') throw notInContext('ifNoneExist on anything but a create');
  };
  switch (route.kind) {
    case 'public':
      return {};
    case 'read': {
      const grant = grants.need([[route.type, 'r']]);
      const c = inContext(grant);
      if (c) await checkRead(c, route.type, route.id, grants.user);
      return grant;
    }
    case 'search': {
      const grant = grants.need([[route.type, 's']]);
      if (inContext(grant)) throw notInContext('a search');
      return grant;
    }
    case 'create': {
      const grant = grants.need([[route.type, 'c']]);
      const c = inContext(grant);
      if (c) {
        noCriteria();
        checkCriteria(route.type, e.ifNoneExist, c);
        await checkCreate(c, e.resource);
      }
      return grant;
    }
    case 'update': {
      const grant = grants.need([[route.type, 'u']]);
      const c = inContext(grant);
      if (c) {
        noCriteria();
        await checkUpdate(c, route.type, route.id, e.resource);
      }
      return grant;
    }
    case 'patch': {
      const grant = grants.need([[route.type, 'u']]);
      if (inContext(grant)) throw notInContext('a PATCH');
      return grant;
    }
    case 'delete': {
      const grant = grants.need([[route.type, 'd']]);
      const c = inContext(grant);
      if (c) {
        noCriteria();
        await checkDelete(c, route.type, route.id);
      }
      return grant;
    }
    case 'conditional': {
      const grant = grants.need([[route.type, route.interaction]]);
      if (inContext(grant)) throw notInContext(`a conditional ${route.interaction === 'u' ? 'update' : 'delete'}`);
      return grant;
    }
    case 'system-search':
    case 'bundle':
    case 'operation':
    case 'unknown':
      throw forbidden(`${e.method} ${e.url} is not allowed inside a Bundle`);
  }
}

/** Decides every entry of a transaction or batch; resolves to the grant of each, in order. */
export async function checkBundle(body: unknown, grants: Grants, read: ReadResource): Promise<Grant[]> {
  const entries = entriesOf(body);
  const targets = targetsOf(entries);
  const compartment = (patient: string): Compartment => new Compartment(patient, read, targets);
  const out: Grant[] = [];
  for (const [i, e] of entries.entries()) {
    try {
      out.push(await checkEntry(e, grants, compartment));
    } catch (err) {
      throw atEntry(err, i);
    }
  }
  return out;
}
