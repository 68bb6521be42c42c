/**
 * The access guard of the /fhir routes: SMART scopes and the launch's patient context, enforced on one
 * request. Express-free: the route gives it plain input and acts on the decision.
 *
 * Enters: the verified token (`AccessToken`, which the sandbox's TokenContext satisfies), the request
 * (method, path below the FHIR base without the query, parsed query, parsed JSON body, headers) and a reader
 * of stored resources (`storeReader(embedded.store)`). Leaves an `AccessDecision`:
 * - `{ allowed: false, error }`: send `error.outcome` with `error.status` (403: a scope is missing or the
 *   request leaves the patient's compartment; 400: a transaction the guard cannot read).
 * - `{ allowed: true, url?, query?, filterResponse? }`: when `url` is there, run that path-and-query instead
 *   of the request's (a search narrowed to the patient); when `filterResponse` is there, pass the FHIR
 *   server's answer through it and send what it resolves to (an OperationOutcomeError: send it instead).
 * A missing or invalid token (401) is the caller's answer, before this is asked.
 *
 * Interactions (SMART 2 letters): GET read, vread, instance history -> r; GET (or POST `_search`) search or
 * type history -> s; POST create -> c; PUT and PATCH -> u; DELETE -> d; a transaction or batch: each entry as
 * its own request, all must pass (src/smart/access-bundle.ts). Confinement, compartment, narrowing and the
 * response filters: access-grant.ts, access-compartment.ts, access-search.ts, access-filter.ts.
 * The `fhirUser` scope alone lets the user read (and vread) their own Practitioner (access-grant.ts).
 * Conditional requests in the patient context: a create's `If-None-Exist` must be confined to the patient
 * (access-search.ts `checkCriteria`); `If-None-Exist` on an update, patch or delete, and a conditional update,
 * patch or delete (`/Type?criteria`), are refused; `If-Match` is fine.
 * Operations: `POST /CarePlan/{id}/$progress` needs CarePlan r+u, ServiceRequest c+u, Provenance c and
 * Observation r (with `dryRun=true`, which writes nothing: CarePlan, ServiceRequest and Observation r), and
 * in the patient context a plan of that patient whose every `activity[].reference` is the patient's (or not
 * stored: the operation answers 422 for it); `POST /CarePlan/$progress` and `$validate` (system or type
 * level) need only a valid token; `/metadata` and `/.well-known/smart-configuration` are public; any other
 * operation, including Medplum's `$graphql`, is refused.
 * See: https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html; https://hl7.org/fhir/R4/http.html
 */
import { isNotFound, OperationOutcomeError as MedplumOutcomeError } from '@medplum/core';
import type { Resource } from 'fhir/r4';
import { OperationOutcomeError } from '../fhir/outcome';
import { checkBundle } from './access-bundle';
import { checkCreate, checkDelete, checkPatch, checkPlanOrders, checkRead, checkUpdate } from './access-checks';
import { cachedReader, Compartment, type ReadResource } from './access-compartment';
import { bundleFilter, createFilter, readFilter, searchFilter, selfFilter, type ResponseFilter } from './access-filter';
import { forbidden, Grants, type AccessToken, type Grant } from './access-grant';
import { routeOf, type Route } from './access-route';
import { checkCriteria, narrowSearch, normalizeQuery, queryString, type Query } from './access-search';
import type { Interaction } from './scopes';

export type { AccessToken } from './access-grant';
export type { ReadResource } from './access-compartment';
export type { ResponseFilter } from './access-filter';
export type { Query } from './access-search';

export interface AccessRequest {
  method: string;
  /** Below the FHIR base, without the query: `/CarePlan/1`, `/CarePlan`, `/`, `/CarePlan/1/$progress`. */
  path: string;
  /** The parsed query (`string | string[]` values, as express or URLSearchParams give them). */
  query: Readonly<Record<string, unknown>>;
  /** The parsed JSON body; undefined when there is none. */
  body: unknown;
  /** The request headers by lower-case name, as node gives them (`req.headers`): `if-none-exist` is read. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** For `$progress`: the caller read the operation's input and it asks for a dry run (nothing written). */
  dryRun?: boolean;
}

export interface Allowed {
  allowed: true;
  /** The query to run instead of the request's (a search narrowed to the launch patient). */
  query?: Query;
  /** `path?query` of `query`, to hand the embedded server instead of the request's URL. */
  url?: string;
  /** Passes the FHIR server's answer, or turns it into the 403 to send instead. */
  filterResponse?: ResponseFilter;
}

export type AccessDecision = Allowed | { allowed: false; error: OperationOutcomeError };

/** A reader of stored resources on the embedded store (undefined for a missing or deleted resource). */
export function storeReader(store: { readResource(type: string, id: string): Promise<unknown> }): ReadResource {
  return async (type, id) => {
    try {
      return (await store.readResource(type, id)) as Resource;
    } catch (err) {
      if (err instanceof MedplumOutcomeError && isNotFound(err.outcome)) return undefined;
      throw err;
    }
  };
}

/** Decides one request (see the file comment); rejects only when the reader fails. */
export async function checkAccess(token: AccessToken, request: AccessRequest, read: ReadResource): Promise<AccessDecision> {
  try {
    return { allowed: true, ...(await decide(new Grants(token), request, read)) };
  } catch (err) {
    if (err instanceof OperationOutcomeError) return { allowed: false, error: err };
    throw err;
  }
}

/** A header's value, whatever the case of its name (undefined when absent; every value when sent under several spellings). */
function header(request: AccessRequest, name: string): unknown {
  const values = Object.entries(request.headers).flatMap(([key, value]) => (key.toLowerCase() === name && value !== undefined ? [value] : []));
  return values.length <= 1 ? values[0] : values;
}

/** In the patient context, `If-None-Exist` belongs to a create only; anywhere else it is refused. */
function refuseCriteriaHeader(request: AccessRequest): void {
  const criteria = header(request, 'if-none-exist');
  if (criteria !== undefined && criteria !== '') {
    throw forbidden("If-None-Exist (search criteria) is accepted on a create only in the launch's patient context; If-Match may guard an update or delete");
  }
}

/** `$progress` on a plan: what it reads and writes (a dry run only reads). */
function progressNeeds(request: AccessRequest): Array<[string, Interaction]> {
  if (request.dryRun === true) return [['CarePlan', 'r'], ['ServiceRequest', 'r'], ['Observation', 'r']];
  return [['CarePlan', 'r'], ['CarePlan', 'u'], ['ServiceRequest', 'c'], ['ServiceRequest', 'u'], ['Provenance', 'c'], ['Observation', 'r']];
}

async function operation(route: Extract<Route, { kind: 'operation' }>, grants: Grants, request: AccessRequest, read: ReadResource): Promise<Omit<Allowed, 'allowed'>> {
  if (route.name === '$validate' && route.id === undefined) return {};
  if (route.name === '$progress' && route.type === 'CarePlan') {
    if (route.id === undefined) return {};
    const grant = grants.need(progressNeeds(request));
    if (grant.patient !== undefined) {
      const compartment = new Compartment(grant.patient, read);
      await checkRead(compartment, 'CarePlan', route.id);
      await checkPlanOrders(compartment, route.id);
    }
    return {};
  }
  throw forbidden(`the operation ${route.name}${route.type !== undefined ? ` on ${route.type}` : ''} is not available with a SMART token`);
}

async function decide(grants: Grants, request: AccessRequest, unCached: ReadResource): Promise<Omit<Allowed, 'allowed'>> {
  const read = cachedReader(unCached);
  const route = routeOf(request.method, request.path);
  const inContext = (grant: Grant): Compartment | undefined => (grant.patient !== undefined ? new Compartment(grant.patient, read) : undefined);
  switch (route.kind) {
    case 'public':
      return {};
    case 'read': {
      if (!route.history && grants.readsSelf(route.type, route.id)) return { filterResponse: selfFilter(grants) };
      const c = inContext(grants.need([[route.type, 'r']]));
      if (c) await checkRead(c, route.type, route.id, grants.user);
      return { filterResponse: readFilter(grants, unCached, route.history, c !== undefined) };
    }
    case 'search': {
      const c = inContext(grants.need([[route.type, 's']]));
      if (!c) return { filterResponse: searchFilter(grants, unCached) };
      if (route.post) throw forbidden("a search by POST is not supported in the launch's patient context: search with GET");
      const query = await narrowSearch(route.type, normalizeQuery(request.query), c);
      const search = queryString(query);
      const narrowed = route.type !== 'Provenance';
      return { query, url: search === '' ? request.path : `${request.path}?${search}`, filterResponse: searchFilter(grants, unCached, { narrowed, confined: true }) };
    }
    case 'system-search': {
      const types = (normalizeQuery(request.query)._type ?? []).flatMap((v) => v.split(',')).filter((t) => t !== '');
      const grant = grants.need(types.length > 0 ? types.map((t): [string, Interaction] => [t, 's']) : [['*', 's']]);
      if (grant.patient !== undefined) throw forbidden("a search across types is not supported in the launch's patient context: search one type");
      return { filterResponse: searchFilter(grants, unCached) };
    }
    case 'create': {
      const grant = grants.need([[route.type, 'c']]);
      const c = inContext(grant);
      if (!c) return {};
      checkCriteria(route.type, header(request, 'if-none-exist'), c);
      await checkCreate(c, request.body);
      return { filterResponse: createFilter(grants, unCached, grant) };
    }
    case 'update': {
      const c = inContext(grants.need([[route.type, 'u']]));
      if (c) {
        refuseCriteriaHeader(request);
        await checkUpdate(c, route.type, route.id, request.body);
      }
      return {};
    }
    case 'patch': {
      const c = inContext(grants.need([[route.type, 'u']]));
      if (c) {
        refuseCriteriaHeader(request);
        await checkPatch(c, route.type, route.id, request.body);
      }
      return {};
    }
    case 'delete': {
      const c = inContext(grants.need([[route.type, 'd']]));
      if (c) {
        refuseCriteriaHeader(request);
        await checkDelete(c, route.type, route.id);
      }
      return {};
    }
    case 'conditional': {
      const c = inContext(grants.need([[route.type, route.interaction]]));
      if (c) throw forbidden(`a conditional ${route.interaction === 'u' ? 'update or patch' : 'delete'} is not supported in the launch's patient context: name the resource by its id`);
      return {};
    }
    case 'bundle':
      return { filterResponse: bundleFilter(grants, unCached, await checkBundle(request.body, grants, read)) };
    case 'operation':
      return operation(route, grants, request, read);
    case 'unknown':
      throw forbidden(`${request.method.toUpperCase().slice(0, 10)} ${request.path.slice(0, 120)} is not a FHIR interaction this server allows with a SMART token`);
  }
}
