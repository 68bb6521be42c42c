/**
 * A small FHIR R4 REST client on `fetch`: every request has a timeout, 429 and 503 are retried with
 * backoff honouring Retry-After, a bearer token (or a function returning one) is sent when given, and a
 * server's OperationOutcome reaches the caller inside a FhirHttpError with the server's status.
 * See: https://hl7.org/fhir/R4/http.html
 */
import type { Bundle, OperationOutcome, Resource } from 'fhir/r4';
import { issue, OperationOutcomeError, outcome } from '../fhir/outcome';
import { isJsonObject } from '../fhir/json';

export type TokenSource = string | (() => string | Promise<string>);

export interface FhirClientOptions {
  /** The server's base URL, e.g. `https://fhir.example.org/r4` (no trailing slash needed). */
  baseUrl: string;
  /** A bearer token, or a function called before each request (SMART access tokens are refreshed there). */
  token?: TokenSource;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
  /** How many times a 429 or 503 is retried; default 3. */
  retries?: number;
  /** First backoff delay, doubled on each retry when the server sends no Retry-After; default 500 ms. */
  backoffMs?: number;
  /** The longest wait accepted from Retry-After; longer waits fail at once. Default 30 s. */
  maxRetryAfterMs?: number;
  /** Injected for tests; default the global fetch. */
  fetch?: typeof fetch;
  /** Injected for tests; default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

export interface FhirResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** A failed FHIR request: the server's OperationOutcome (or one describing the failure) and the status. */
export class FhirHttpError extends OperationOutcomeError {
  /** The status the server answered; undefined when no answer came (network error or timeout). */
  readonly serverStatus: number | undefined;
  constructor(oo: OperationOutcome, status: number, serverStatus: number | undefined) {
    super(oo, status);
    this.name = 'FhirHttpError';
    this.serverStatus = serverStatus;
  }
}

const FHIR_JSON = 'application/fhir+json';
const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Milliseconds to wait from a Retry-After header (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * The status a FHIR server's refusal means to Gradus's own callers: not-found, gone and version conflicts
 * keep their meaning; a busy server (429, 503 after the retries) is 503; any other refusal or failure is
 * the server's problem with Gradus's request, a bad gateway (502), not the caller's bad request.
 */
export function callerStatus(serverStatus: number): number {
  if ([404, 409, 410, 412].includes(serverStatus)) return serverStatus;
  if (serverStatus === 429 || serverStatus === 503) return 503;
  return 502;
}

function describe(method: string, url: string): string {
  const { pathname } = new URL(url);
  return `${method} ${pathname}`;
}

/** The host names of this machine, as URL.hostname and express's req.hostname write them. */
export const LOOPBACK_HOSTNAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** A bearer token may go to an https server, or over http only to this machine (loopback). */
export function safeForToken(baseUrl: string): boolean {
  const url = new URL(baseUrl);
  return url.protocol === 'https:' || LOOPBACK_HOSTNAMES.includes(url.hostname);
}

export class FhirClient {
  readonly baseUrl: string;
  private readonly origin: string;
  private readonly options: Required<Omit<FhirClientOptions, 'token' | 'baseUrl'>> & { token?: TokenSource };

  constructor(options: FhirClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.origin = new URL(this.baseUrl).origin;
    if (options.token !== undefined && !safeForToken(this.baseUrl)) {
      throw new TypeError(`a bearer token is never sent in clear text: ${this.origin} needs https (http only on this machine)`);
    }
    this.options = {
      timeoutMs: options.timeoutMs ?? 30_000,
      retries: options.retries ?? 3,
      backoffMs: options.backoffMs ?? 500,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      sleep: options.sleep ?? sleepFor,
      ...(options.token !== undefined ? { token: options.token } : {}),
    };
  }

  /** An absolute URL for a path relative to the base (`CarePlan/1`), or the URL itself when absolute. */
  url(path: string): string {
    return /^https?:\/\//.test(path) ? path : `${this.baseUrl}/${path.replace(/^\/+/, '')}`;
  }

  async read<T extends Resource>(type: T['resourceType'], id: string): Promise<T> {
    const response = await this.request('GET', `${type}/${encodeURIComponent(id)}`);
    return this.resource<T>(response, type);
  }

  /** Every match of a search, following `next` links (same server only); searches are never served from a cache. */
  async search<T extends Resource>(type: T['resourceType'], params: Record<string, string>): Promise<T[]> {
    const found: T[] = [];
    let next: string | undefined = `${type}?${new URLSearchParams({ _count: '200', ...params }).toString()}`;
    for (let page = 0; next !== undefined; page++) {
      if (page >= 1000) throw this.failure(502, 'processing', `${type} search: more than 1000 pages; stopped`);
      const response = await this.request('GET', next);
      const bundle = this.resource<Bundle>(response, 'Bundle');
      for (const entry of bundle.entry ?? []) {
        const mode = entry.search?.mode;
        if (entry.resource?.resourceType === type && (mode === undefined || mode === 'match')) found.push(entry.resource as T);
      }
      next = bundle.link?.find((l) => l.relation === 'next')?.url;
      if (next !== undefined && new URL(next, this.baseUrl).origin !== this.origin) {
        throw this.failure(502, 'security', `${type} search: the server's next link leaves its origin; not followed`);
      }
    }
    return found;
  }

  /** POSTs a transaction or batch Bundle and returns the response Bundle. */
  async bundle(bundle: Bundle): Promise<Bundle> {
    const response = await this.request('POST', '', bundle, { prefer: 'return=representation' });
    return this.resource<Bundle>(response, 'Bundle');
  }

  /** One request, with the token, the timeout and retries of 429/503; throws FhirHttpError unless 2xx. */
  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<FhirResponse> {
    const url = this.url(path);
    for (let attempt = 0; ; attempt++) {
      const response = await this.send(method, url, body, headers);
      const retryable = response.status === 429 || response.status === 503;
      if (response.status >= 200 && response.status < 300) return response;
      if (!retryable || attempt >= this.options.retries) throw this.serverError(method, url, response);
      const wait = retryAfterMs(response.headers.get('retry-after'), Date.now()) ?? this.options.backoffMs * 2 ** attempt;
      if (wait > this.options.maxRetryAfterMs) throw this.serverError(method, url, response);
      await this.options.sleep(wait);
    }
  }

  private async send(method: string, url: string, body: unknown, extra: Record<string, string>): Promise<FhirResponse> {
    const headers: Record<string, string> = { accept: FHIR_JSON, 'cache-control': 'no-cache', ...extra };
    if (body !== undefined) headers['content-type'] = FHIR_JSON;
    const token = typeof this.options.token === 'function' ? await this.options.token() : this.options.token;
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await this.options.fetch(url, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      // Checked by name, not instanceof: fetch's DOMException may come from another realm (jest's vm).
      const name = (err as { name?: unknown } | undefined)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw this.failure(504, 'timeout', `${describe(method, url)}: the FHIR server did not answer within ${this.options.timeoutMs} ms`);
      }
      const cause = (err as { cause?: { message?: unknown } } | undefined)?.cause?.message;
      const reason = typeof cause === 'string' ? cause : String(err);
      throw this.failure(502, 'transient', `${describe(method, url)}: the FHIR server could not be reached (${reason})`);
    }
    let parsed: unknown;
    try {
      const text = await response.text();
      parsed = text.trim() === '' ? undefined : JSON.parse(text);
    } catch (err) {
      const name = (err as { name?: unknown } | undefined)?.name;
      if (name === 'SyntaxError') parsed = undefined;
      else if (name === 'TimeoutError' || name === 'AbortError') {
        throw this.failure(504, 'timeout', `${describe(method, url)}: the FHIR server did not finish its answer within ${this.options.timeoutMs} ms`);
      } else throw this.failure(502, 'transient', `${describe(method, url)}: the connection broke while reading the answer`);
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  private resource<T extends Resource>(response: FhirResponse, type: string): T {
    const body = response.body;
    if (!isJsonObject(body) || body.resourceType !== type) {
      throw this.failure(502, 'processing', `the FHIR server answered ${response.status} without a ${type}`);
    }
    return body as unknown as T;
  }

  /** A 4xx/5xx answer: the server's OperationOutcome when it sent one, else one naming the status. */
  private serverError(method: string, url: string, response: FhirResponse): FhirHttpError {
    const body = response.body;
    const serverOutcome = isJsonObject(body) && body.resourceType === 'OperationOutcome' ? (body as unknown as OperationOutcome) : undefined;
    const oo =
      serverOutcome ??
      outcome([issue('error', response.status >= 500 ? 'exception' : 'processing', `${describe(method, url)}: the FHIR server answered ${response.status}`)]);
    return new FhirHttpError(oo, callerStatus(response.status), response.status);
  }

  private failure(status: number, code: 'timeout' | 'transient' | 'processing' | 'security', message: string): FhirHttpError {
    return new FhirHttpError(outcome([issue('error', code, message)]), status, undefined);
  }
}
