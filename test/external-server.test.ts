/**
 * The service pointed at an external FHIR server (FHIR_BASE_URL, FHIR_BEARER_TOKEN): here a second
 * embedded server started as if remote, behind a recording proxy. The service serves no FHIR REST of its
 * own, reads and writes the remote plan, and sends the token on every request.
 */
import { FhirClient } from '../src/client';
import { loadConfig, startService, type RunningService } from '../src/server';
import { startDemoService } from './support/demo-service';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy';
import { snapshot, violations } from './support/plan-state';

const NOW = '2026-11-27T09:00:00+01:00';
const TOKEN = 'test-token-4f9a';
let remote: RunningService;
let proxy: FaultProxy;
let service: RunningService;

beforeAll(async () => {
  remote = await startDemoService();
  proxy = await startFaultProxy(remote.fhirBaseUrl);
  service = await startService(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', FHIR_BASE_URL: proxy.baseUrl, FHIR_BEARER_TOKEN: TOKEN }));
});
afterAll(async () => {
  await service.close();
  await proxy.close();
  await remote.close();
});

describe('the service on an external FHIR server', () => {
  it('works against FHIR_BASE_URL and serves no FHIR resources of its own', async () => {
    expect(service.store).toBeUndefined();
    expect(service.fhirBaseUrl).toBe(proxy.baseUrl);
    const health = await fetch(`${service.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'pass', checks: { 'fhir-server': [{ status: 'pass' }] } });
    expect(proxy.seen).toContain('GET /fhir/metadata');
    expect((await fetch(`${service.url}/fhir/CarePlan/carmen-plan`)).status).toBe(404);
  });

  it('progresses a remote plan: the remote server holds the new plan, whole', async () => {
    const remoteClient = new FhirClient({ baseUrl: remote.fhirBaseUrl });
    const before = await snapshot(remoteClient, 'carmen-plan');
    const response = await fetch(`${service.url}/fhir/CarePlan/carmen-plan/$progress?now=${encodeURIComponent(NOW)}`, { method: 'POST' });
    expect(response.status).toBe(200);
    const after = await snapshot(remoteClient, 'carmen-plan');
    expect(after.planVersions).toBe(before.planVersions + 1);
    expect(violations(after)).toEqual([]);
    expect(after.orders.length).toBeGreaterThan(before.orders.length);
  });

  it('sends the bearer token on every request to the FHIR server', () => {
    expect(proxy.authorizations.length).toBeGreaterThan(3);
    expect(new Set(proxy.authorizations)).toEqual(new Set([`Bearer ${TOKEN}`]));
  });

  it('answers 404 for a plan the remote server does not have', async () => {
    const response = await fetch(`${service.url}/fhir/CarePlan/no-such-plan/$progress`, { method: 'POST' });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { resourceType: string; issue: { diagnostics: string }[] };
    expect(body.resourceType).toBe('OperationOutcome');
    expect(body.issue[0]?.diagnostics).toMatch(/CarePlan\/no-such-plan was not found/);
  });
});
