/**
 * The embedded FHIR server: Medplum's FhirRouter over our FhirStore, plus what the router lacks for
 * clients written against other servers: `/metadata`, ETag, Location, Last-Modified, search entries
 * with fullUrl and `search.mode`, `next`/`self` paging links, and one request at a time against the store
 * (so a reader never sees a transaction half done). Plain in, plain out: the express adapter is elsewhere.
 * See: https://hl7.org/fhir/R4/http.html
 */
import { getStatus } from '@medplum/core';
import { FhirRouter, type FhirRequest, type HttpMethod } from '@medplum/fhir-router';
import type { Bundle, CapabilityStatement, Resource } from 'fhir/r4';
import type { IncomingHttpHeaders } from 'node:http';
import { isJsonObject } from '../fhir/json';
import { issue, outcome } from '../fhir/outcome';
import { capabilityStatement, type SmartSecurity } from './capability';
import type { FhirStore } from './fhir-store';
import { loadMedplumSchema } from './medplum-schema';
import { SerialQueue } from './serial-queue';

export interface FhirHttpRequest {
  method: string;
  /** Path and query below the FHIR base: `/CarePlan/1`, `/Observation?subject=Patient/1`. */
  url: string;
  body: unknown;
  headers: IncomingHttpHeaders;
  /** The FHIR base as the client reached it (`http://127.0.0.1:8080/fhir`), for fullUrl, Location and links. */
  baseUrl: string;
}

export interface FhirHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Resource;
}


function httpDate(instant: string | undefined): string | undefined {
  const ms = instant === undefined ? NaN : Date.parse(instant);
  return Number.isNaN(ms) ? undefined : new Date(ms).toUTCString();
}

function queryOf(url: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(url.split('?')[1] ?? '')) {
    const had = query[key];
    query[key] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return query;
}

/** fullUrl and search.mode on each entry, and self/next links from `_count` and `_offset` (a full page: maybe more). */
function pageSearch(bundle: Bundle, url: string, baseUrl: string): Bundle {
  const [path = '', search = ''] = url.split('?');
  const params = new URLSearchParams(search);
  // Medplum's memory store returns every match when no _count is given: then there is no next page.
  const count = params.has('_count') ? Number(params.get('_count')) : 0;
  const offset = Number(params.get('_offset') ?? 0);
  const entry = (bundle.entry ?? []).map((e) => ({
    ...e,
    ...(e.resource ? { fullUrl: `${baseUrl}/${e.resource.resourceType}/${e.resource.id ?? ''}` } : {}),
    search: { mode: 'match' as const },
  }));
  const link = [{ relation: 'self', url: `${baseUrl}${url}` }];
  if (count > 0 && entry.length >= count) {
    params.set('_offset', String(offset + count));
    link.push({ relation: 'next', url: `${baseUrl}${path}?${params.toString()}` });
  }
  return { ...bundle, link, entry };
}

/** Headers that describe one stored resource version. */
function versionHeaders(resource: Resource, status: number, baseUrl: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const versionId = resource.meta?.versionId;
  if (versionId === undefined || resource.id === undefined) return headers;
  headers.etag = `W/"${versionId}"`;
  const modified = httpDate(resource.meta?.lastUpdated);
  if (modified !== undefined) headers['last-modified'] = modified;
  if (status === 201) headers.location = `${baseUrl}/${resource.resourceType}/${resource.id}/_history/${versionId}`;
  return headers;
}

/** A create by POST gets a server-assigned id and version, whatever the body says (the store keeps ids it is given). */
function withoutClientIds(method: string, path: string, body: unknown): unknown {
  const strip = (resource: unknown): unknown => {
    if (!isJsonObject(resource)) return resource;
    const rest = { ...resource };
    delete rest.id;
    const meta = isJsonObject(rest.meta) ? { ...rest.meta } : undefined;
    if (meta) {
      delete meta.versionId;
      delete meta.lastUpdated;
    }
    return meta ? { ...rest, meta } : rest;
  };
  if (method === 'POST' && /^\/[A-Z][A-Za-z]+\/?$/.test(path)) return strip(body);
  if (method === 'POST' && /^\/?$/.test(path) && isJsonObject(body) && Array.isArray(body.entry)) {
    const entry = body.entry.map((e: unknown) => (isJsonObject(e) && isJsonObject(e.request) && e.request.method === 'POST' ? { ...e, resource: strip(e.resource) } : e));
    return { ...body, entry };
  }
  return body;
}

/** A transaction whose entries lack a request method or url: Medplum would skip them and apply the rest. */
function refuseBundle(req: FhirHttpRequest): Resource | undefined {
  const body = req.body;
  if (req.method !== 'POST' || !isJsonObject(body) || body.resourceType !== 'Bundle' || body.type !== 'transaction') return undefined;
  const entries: unknown[] = Array.isArray(body.entry) ? body.entry : [];
  const bad = entries.flatMap((e, i) => (isJsonObject(e) && isJsonObject(e.request) && typeof e.request.method === 'string' && typeof e.request.url === 'string' ? [] : [i]));
  if (bad.length === 0) return undefined;
  return outcome(bad.map((i) => issue('error', 'required', 'a transaction entry needs request.method and request.url; nothing was applied', `Bundle.entry[${i}].request`)));
}

export class EmbeddedFhirServer {
  private readonly router = new FhirRouter();
  private readonly queue = new SerialQueue();

  /** The SMART endpoints its CapabilityStatement names, when an authorization server guards it (`serve --auth`). */
  security: SmartSecurity | undefined;

  constructor(readonly store: FhirStore) {
    loadMedplumSchema();
  }

  /** Whether `/Type/id` names a stored resource (only asked before a PUT). */
  private async exists(path: string): Promise<boolean> {
    const m = /^\/([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(path);
    if (!m?.[1] || !m[2]) return true;
    try {
      await this.store.readResource(m[1], m[2]);
      return true;
    } catch {
      return false;
    }
  }

  metadata(baseUrl: string): CapabilityStatement {
    return capabilityStatement(baseUrl, this.security);
  }

  /** Serves one FHIR request; never throws (failures are OperationOutcomes with their status). */
  async handle(req: FhirHttpRequest): Promise<FhirHttpResponse> {
    const path = req.url.split('?')[0] ?? '';
    if (req.method === 'GET' && /^\/metadata\/?$/.test(path)) {
      return { status: 200, headers: {}, body: this.metadata(req.baseUrl) };
    }
    const refusal = refuseBundle(req);
    if (refusal) return { status: 400, headers: {}, body: refusal };
    // Medplum's FhirRequest type lists `pathname`, but the router refuses a request that sets it.
    const fhirRequest = {
      method: req.method.toUpperCase() as HttpMethod,
      url: req.url,
      body: withoutClientIds(req.method, path, req.body),
      params: {},
      query: queryOf(req.url),
      headers: req.headers,
      config: { transactions: true },
    } as Omit<FhirRequest, 'pathname'> as FhirRequest;
    const { answer, existed } = await this.queue.run(async () => {
      const before = req.method === 'PUT' ? await this.exists(path) : true;
      return { answer: await this.router.handleRequest(fhirRequest, this.store), existed: before };
    });
    const [outcome, resource] = answer;
    // An update that created the resource is a create (201 with Location), as the CapabilityStatement's updateCreate says.
    const status = getStatus(outcome) === 200 && !existed ? 201 : getStatus(outcome);
    if (!resource) return { status, headers: {}, body: outcome as Resource };
    let body = resource as unknown as Resource;
    if (body.resourceType === 'Bundle' && (body as Bundle).type === 'searchset') body = pageSearch(body as Bundle, req.url, req.baseUrl);
    const headers = body.resourceType === 'Bundle' ? {} : versionHeaders(body, status, req.baseUrl);
    return { status, headers, body };
  }
}
