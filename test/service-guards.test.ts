/**
 * What the service and its embedded FHIR server refuse or correct so that nothing is written by mistake:
 * requests from another web origin or addressed to another host name, a POST that names an id, a
 * transaction entry without a request, a bearer token over clear text; and what they accept that FHIR
 * clients commonly send (an empty JSON body, an update that creates).
 */
import type { Bundle, Patient } from 'fhir/r4';
import { request } from 'node:http';
import { FhirClient } from '../src/client';
import { ConfigError, loadConfig, type RunningService } from '../src/server';
import { startDemoService } from './support/demo-service';
import { call, NOW_QUERY } from './support/http';

let service: RunningService;
let fhir: string;

beforeAll(async () => {
  service = await startDemoService();
  fhir = service.fhirBaseUrl;
});
afterAll(async () => service.close());

/** A request with a Host header of our choosing (fetch will not set one). */
function withHost(host: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${service.url}${path}`);
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET', headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('requests from elsewhere', () => {
  it('refuses a write from a page of another web origin (403), and takes one from its own', async () => {
    const progressUrl = `${fhir}/CarePlan/ingrid-plan/$progress?${NOW_QUERY}&dryRun=true`;
    const foreign = await call(progressUrl, { method: 'POST', headers: { origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'forbidden' }] });
    const own = await call(progressUrl, { method: 'POST', headers: { origin: service.url } });
    expect(own.status).toBe(200);
  });

  it.each([
    ['evil.example', 403],
    ['localhost', 200],
    ['127.0.0.1', 200],
  ])('answers a request addressed to host %s with %i (a loopback service refuses other names)', async (host, status) => {
    const port = new URL(service.url).port;
    expect(await withHost(`${host}:${port}`, '/fhir/metadata')).toBe(status);
  });
});

describe('writes the embedded server corrects or refuses', () => {
  it('gives a POSTed resource its own id, never overwriting the one the body names', async () => {
    const before = await call(`${fhir}/CarePlan/sofia-plan`);
    const reply = await call(`${fhir}/Patient`, { body: { resourceType: 'Patient', id: 'sofia-costa', meta: { versionId: 'chosen' }, gender: 'other' } });
    expect(reply.status).toBe(201);
    expect((reply.body as Patient).id).not.toBe('sofia-costa');
    expect((reply.body as Patient).meta?.versionId).not.toBe('chosen');
    expect(((await call(`${fhir}/Patient/sofia-costa`)).body as Patient).gender).not.toBe('other');
    expect((await call(`${fhir}/CarePlan/sofia-plan`)).body).toEqual(before.body);
  });

  it('answers 201 with a Location to an update that creates', async () => {
    const reply = await call(`${fhir}/Patient/made-by-put`, { method: 'PUT', body: { resourceType: 'Patient', id: 'made-by-put' } });
    expect(reply.status).toBe(201);
    expect(reply.headers.get('location')).toMatch(/\/fhir\/Patient\/made-by-put\/_history\/[^/]+$/);
    const again = await call(`${fhir}/Patient/made-by-put`, { method: 'PUT', body: { resourceType: 'Patient', id: 'made-by-put', active: true } });
    expect(again.status).toBe(200);
  });

  it('refuses a transaction with an entry lacking its request, applying nothing', async () => {
    const transaction: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:6a1f2e57-8a0c-4d8e-9b8e-2f1d9c3b7a01', resource: { resourceType: 'Patient', id: 'never-stored' }, request: { method: 'PUT', url: 'Patient/never-stored' } },
        { resource: { resourceType: 'Patient', gender: 'female' } as Patient },
      ],
    };
    const reply = await call(fhir, { body: transaction });
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.body)).toContain('Bundle.entry[1].request');
    expect((await call(`${fhir}/Patient/never-stored`)).status).toBe(404);
  });

  it('gives no next link to a search without _count (every match is on the one page)', async () => {
    const reply = await call(`${fhir}/Observation?subject=Patient/sofia-costa`);
    const bundle = reply.body as Bundle;
    expect(bundle.entry?.length).toBeGreaterThan(20);
    expect(bundle.link?.some((l) => l.relation === 'next')).toBe(false);
  });
});

describe('what FHIR clients commonly send', () => {
  it('takes $progress with a JSON content type and an empty body', async () => {
    for (const body of ['', '{}']) {
      const reply = await call(`${fhir}/CarePlan/ingrid-plan/$progress?${NOW_QUERY}&dryRun=true`, { method: 'POST', body, headers: { 'content-type': 'application/fhir+json' } });
      expect(reply.status).toBe(200);
    }
  });
});

describe('bearer tokens', () => {
  it.each([
    ['http://fhir.example.org/r4', false],
    ['https://fhir.example.org/r4', true],
    ['http://127.0.0.1:8080/fhir', true],
    ['http://localhost:8080/fhir', true],
  ])('go to %s only when that is https or this machine (%p)', (baseUrl, allowed) => {
    const make = (): FhirClient => new FhirClient({ baseUrl, token: 'secret-token' });
    const configure = (): unknown => loadConfig({ FHIR_BASE_URL: baseUrl, FHIR_BEARER_TOKEN: 'secret-token' });
    if (allowed) {
      expect(make).not.toThrow();
      expect(configure).not.toThrow();
    } else {
      expect(make).toThrow(/never sent in clear text/);
      expect(configure).toThrow(ConfigError);
      expect(configure).toThrow(/FHIR_BEARER_TOKEN would be sent in clear text/);
    }
  });
});
