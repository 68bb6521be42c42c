/**
 * The FHIR client's handling of what a busy or broken server answers: 429 and 503 retried with backoff
 * honouring Retry-After, a timeout on every request, the server's OperationOutcome passed through, a
 * token function asked before each request, paging that never leaves the server's origin. The server here
 * is a scripted HTTP server on loopback: these are answers a real FHIR server will not give on demand.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FhirClient, FhirHttpError, retryAfterMs } from '../src/client';

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Never answer. */
  hang?: boolean;
}

let server: Server;
let base: string;
let script: Answer[] = [];
const requests: IncomingMessage[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req);
    const answer = script.shift() ?? { status: 500 };
    if (answer.hang === true) return;
    res.writeHead(answer.status, { 'content-type': 'application/fhir+json', ...answer.headers });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  script = [];
  requests.length = 0;
});

const patient = { resourceType: 'Patient', id: 'p1' };
const busy = (status: number, retryAfter?: string): Answer => ({
  status,
  ...(retryAfter !== undefined ? { headers: { 'retry-after': retryAfter } } : {}),
  body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'throttled', diagnostics: 'busy, try later' }] },
});

function clientRecordingWaits(waits: number[], extra: Partial<ConstructorParameters<typeof FhirClient>[0]> = {}): FhirClient {
  return new FhirClient({ baseUrl: base, sleep: (ms) => Promise.resolve(void waits.push(ms)), ...extra });
}

describe('retries of 429 and 503', () => {
  it.each([
    ['429 with Retry-After in seconds', [busy(429, '2')], [2000]],
    ['503 without Retry-After (backoff from 500 ms)', [busy(503)], [500]],
    ['429 then 503 (backoff doubles)', [busy(429), busy(503)], [500, 1000]],
    ['503 then 429 with Retry-After 0', [busy(503), busy(429, '0')], [500, 0]],
  ])('retries %s, then succeeds', async (_name, answers, expectedWaits) => {
    script = [...answers, { status: 200, body: patient }];
    const waits: number[] = [];
    await expect(clientRecordingWaits(waits).read('Patient', 'p1')).resolves.toEqual(patient);
    expect(waits).toEqual(expectedWaits);
  });

  it('gives up after the configured retries, passing the server OperationOutcome through', async () => {
    script = [busy(503), busy(503), busy(503)];
    const waits: number[] = [];
    const failure = clientRecordingWaits(waits, { retries: 2 }).read('Patient', 'p1');
    await expect(failure).rejects.toBeInstanceOf(FhirHttpError);
    await expect(failure).rejects.toMatchObject({ serverStatus: 503, status: 503, message: 'busy, try later' });
    expect(requests).toHaveLength(3);
  });

  it('fails at once when Retry-After asks for longer than it will wait', async () => {
    script = [busy(429, '3600')];
    const waits: number[] = [];
    await expect(clientRecordingWaits(waits).read('Patient', 'p1')).rejects.toMatchObject({ serverStatus: 429, status: 503 });
    expect(waits).toEqual([]);
  });

  it.each([
    [400, 502],
    [401, 502],
    [403, 502],
    [404, 404],
    [409, 409],
    [412, 412],
    [422, 502],
    [500, 502],
  ])('does not retry a %i, and tells its callers %i', async (status, callerStatus) => {
    script = [{ status, body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', diagnostics: `answer ${status}` }] } }];
    await expect(clientRecordingWaits([]).read('Patient', 'p1')).rejects.toMatchObject({ serverStatus: status, status: callerStatus, message: `answer ${status}` });
    expect(requests).toHaveLength(1);
  });
});

describe('Retry-After', () => {
  it.each([
    ['120', 120_000],
    [' 5 ', 5_000],
    ['Fri, 04 Dec 2026 12:00:30 GMT', 30_000],
    ['Fri, 04 Dec 2026 11:00:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
  ])('reads %j as %p ms', (header, ms) => {
    expect(retryAfterMs(header, Date.parse('2026-12-04T12:00:00Z'))).toBe(ms);
  });
});

describe('timeouts and other failures', () => {
  it('gives up on a request that gets no answer within the timeout, as a 504', async () => {
    script = [{ status: 200, hang: true }];
    await expect(new FhirClient({ baseUrl: base, timeoutMs: 200 }).read('Patient', 'p1')).rejects.toMatchObject({ status: 504, serverStatus: undefined });
  });

  it('names a server that answers without the resource asked for', async () => {
    script = [{ status: 200, body: { resourceType: 'Observation' } }];
    await expect(new FhirClient({ baseUrl: base }).read('Patient', 'p1')).rejects.toMatchObject({ status: 502, message: expect.stringContaining('without a Patient') as unknown });
  });

  it('asks the token function before each request and sends its token', async () => {
    script = [{ status: 200, body: patient }, { status: 200, body: patient }];
    let calls = 0;
    const client = new FhirClient({ baseUrl: base, token: () => `token-${++calls}` });
    await client.read('Patient', 'p1');
    await client.read('Patient', 'p1');
    expect(requests.map((r) => r.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('never follows a next link to another origin (the token would go with it)', async () => {
    script = [{ status: 200, body: { resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'next', url: 'http://127.0.0.2:1/fhir/Patient?page=2' }], entry: [{ resource: patient }] } }];
    await expect(new FhirClient({ baseUrl: base }).search('Patient', {})).rejects.toMatchObject({ status: 502, message: expect.stringContaining('leaves its origin') as unknown });
    expect(requests).toHaveLength(1);
  });

  it('asks every search page with no-cache, so a server cache never hides a fresh write', async () => {
    script = [
      { status: 200, body: { resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'next', url: `${base}/Patient?_page=2` }], entry: [{ resource: patient }] } },
      { status: 200, body: { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { ...patient, id: 'p2' } }] } },
    ];
    const found = await new FhirClient({ baseUrl: base }).search('Patient', {});
    expect(found.map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(requests.map((r) => r.headers['cache-control'])).toEqual(['no-cache', 'no-cache']);
  });
});
