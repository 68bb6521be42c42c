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
import { capabilityStatement } from './capability';
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

/** Medplum's default page size when a search names no `_count`. */
const DEFAULT_COUNT = 20;

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

/** fullUrl and search.mode on each entry, and self/next links from `_count` and `_offset`. */
function pageSearch(bundle: Bundle, url: string, baseUrl: string): Bundle {
  const [path = '', search = ''] = url.split('?');
  const params = new URLSearchParams(search);
  const count = Number(params.get('_count') ?? DEFAULT_COUNT);
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

export class EmbeddedFhirServer {
  private readonly router = new FhirRouter();
  private readonly queue = new SerialQueue();

  constructor(readonly store: FhirStore) {
    loadMedplumSchema();
  }

  metadata(baseUrl: string): CapabilityStatement {
    return capabilityStatement(baseUrl);
  }

  /** Serves one FHIR request; never throws (failures are OperationOutcomes with their status). */
  async handle(req: FhirHttpRequest): Promise<FhirHttpResponse> {
    const path = req.url.split('?')[0] ?? '';
    if (req.method === 'GET' && /^\/metadata\/?$/.test(path)) {
      return { status: 200, headers: {}, body: this.metadata(req.baseUrl) };
    }
    // Medplum's FhirRequest type lists `pathname`, but the router refuses a request that sets it.
    const fhirRequest = {
      method: req.method.toUpperCase() as HttpMethod,
      url: req.url,
      body: req.body,
      params: {},
      query: queryOf(req.url),
      headers: req.headers,
      config: { transactions: true },
    } as Omit<FhirRequest, 'pathname'> as FhirRequest;
    const [outcome, resource] = await this.queue.run(() => this.router.handleRequest(fhirRequest, this.store));
    const status = getStatus(outcome);
    if (!resource) return { status, headers: {}, body: outcome as Resource };
    let body = resource as unknown as Resource;
    if (body.resourceType === 'Bundle' && (body as Bundle).type === 'searchset') body = pageSearch(body as Bundle, req.url, req.baseUrl);
    const headers = body.resourceType === 'Bundle' ? {} : versionHeaders(body, status, req.baseUrl);
    return { status, headers, body };
  }
}
