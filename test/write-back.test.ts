/**
 * The whole loop over real HTTP for every demo patient: `$progress` on the service reads the plan from
 * the embedded FHIR server, applies progression and writes it back; then the server is read as any client
 * would and checked: new orders replace the old (completed) ones, the plan moved one version, every
 * decision has a valid Provenance, no half-applied state, and re-running changes nothing.
 */
import type { Bundle, Parameters, Provenance, ServiceRequest } from 'fhir/r4';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FhirClient, progressPlan, referenceKey } from '../src/client';
import { hasErrors } from '../src/fhir/outcome';
import { loadConfig, startService, type RunningService } from '../src/server';
import { startDemoService } from './support/demo-service';
import { validate } from '../src/validation';
import { duplicateKeys, snapshot, summary, violations } from './support/plan-state';

const DEMO = join(__dirname, '..', 'fixtures', 'demo');
const stories = readdirSync(DEMO)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();
const timestampOf = (story: string): string => (JSON.parse(readFileSync(join(DEMO, `${story}.json`), 'utf8')) as Bundle).timestamp ?? '';

let service: RunningService;
let client: FhirClient;

beforeAll(async () => {
  service = await startDemoService();
  client = new FhirClient({ baseUrl: service.fhirBaseUrl });
});
afterAll(async () => service.close());

async function progressOnService(planId: string, now: string): Promise<Bundle> {
  const response = await fetch(`${service.fhirBaseUrl}/CarePlan/${planId}/$progress?now=${encodeURIComponent(now)}`, { method: 'POST' });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
  return (await response.json()) as Bundle;
}

const decisionsOf = (bundle: Bundle): Parameters => bundle.entry?.[0]?.resource as Parameters;
const partOf = (p: NonNullable<Parameters['parameter']>[number], name: string): string | boolean | number | undefined => {
  const part = p.part?.find((x) => x.name === name);
  return part?.valueString ?? part?.valueBoolean ?? part?.valueInteger;
};

describe.each(stories)('write-back of the demo patient "%s"', (story) => {
  it('writes the decisions so the server shows the new plan, complete, and a re-run changes nothing', async () => {
    const patient = service.demoPatients.find((p) => p.story === story);
    expect(patient).toBeDefined();
    const planId = patient?.planId ?? '';
    const now = timestampOf(story);
    const before = await snapshot(client, planId);
    expect(violations(before)).toEqual([]);

    const result = await progressOnService(planId, now);
    const decisions = decisionsOf(result);
    expect(decisions.resourceType).toBe('Parameters');
    const orderParams = (decisions.parameter ?? []).filter((p) => p.name === 'order');
    expect(orderParams.length).toBeGreaterThan(0);
    const committed = (decisions.parameter ?? []).find((p) => p.name === 'committed')?.valueBoolean;

    const after = await snapshot(client, planId);
    expect(violations(after)).toEqual([]);
    expect(after.planVersions).toBe(before.planVersions + (committed === true ? 1 : 0));

    const newOrders = after.orders.filter((o) => !before.orders.some((b) => b.id === o.id));
    for (const order of newOrders) {
      const replaced = (order.replaces ?? []).map((r) => referenceKey(r.reference));
      expect(replaced).toHaveLength(1);
      const old = after.orders.find((o) => `ServiceRequest/${o.id ?? ''}` === replaced[0]);
      expect(old?.status).toBe('completed');
      expect(old?.meta?.versionId).not.toBe(before.orders.find((o) => o.id === old?.id)?.meta?.versionId);
    }

    // One valid Provenance per evaluated order, with its decision, targeting that order or its successor.
    const provenances = after.provenances.filter((p) => !before.provenances.some((b) => b.id === p.id));
    for (const param of orderParams) {
      const orderId = String(partOf(param, 'id'));
      const decision = String(partOf(param, 'decision'));
      const successors = newOrders.filter((o) => (o.replaces ?? []).some((r) => referenceKey(r.reference) === `ServiceRequest/${orderId}`));
      const targets = new Set([`ServiceRequest/${orderId}`, ...successors.map((o: ServiceRequest) => `ServiceRequest/${o.id ?? ''}`)]);
      const matching = provenances.filter(
        (p: Provenance) => p.reason?.[0]?.coding?.[0]?.code === decision && p.target.some((t) => targets.has(referenceKey(t.reference) ?? '')),
      );
      expect(matching.length).toBeGreaterThanOrEqual(1);
    }
    for (const p of provenances) expect(hasErrors(validate(p))).toBe(false);

    // Re-run on the same data: no order, plan or phase changes; a third run writes nothing at all.
    await progressOnService(planId, now);
    const second = await snapshot(client, planId);
    expect(violations(second)).toEqual([]);
    expect(second.planVersions).toBe(after.planVersions);
    expect(summary(second).orders).toEqual(summary(after).orders);
    expect(summary(second).phase).toBe(summary(after).phase);
    const third = decisionsOf(await progressOnService(planId, now));
    expect((third.parameter ?? []).find((p) => p.name === 'committed')?.valueBoolean).toBe(false);
    const last = await snapshot(client, planId);
    expect(last.provenances).toHaveLength(second.provenances.length);
    expect(duplicateKeys(last)).toEqual([]);
  });
});

describe('hold Provenances already on record', () => {
  it('are left out of a later commit on the same plan version, so no evaluation key is recorded twice', async () => {
    const bundle = JSON.parse(readFileSync(join(DEMO, 'quota-based.json'), 'utf8')) as Bundle;
    const resources = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
    // Without walking's session-2 the plan holds everywhere; with it, walking progresses and the others hold as before.
    const last = resources.find((r) => r.resourceType === 'Observation' && r.id === 'session-2');
    const own = await startService(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', GRADUS_DEMO: 'false' }));
    try {
      await own.store?.seed(resources.filter((r) => r !== last));
      const ownClient = new FhirClient({ baseUrl: own.fhirBaseUrl });
      const now = bundle.timestamp ?? '';
      const first = await progressPlan(ownClient, 'hiroshi-plan', { now });
      expect(first.committed).toBe(false);
      expect(first.written.length).toBeGreaterThan(0);
      await own.store?.seed(last ? [last] : []);
      const second = await progressPlan(ownClient, 'hiroshi-plan', { now });
      expect(second.committed).toBe(true);
      expect(duplicateKeys(await snapshot(ownClient, 'hiroshi-plan'))).toEqual([]);
    } finally {
      await own.close();
    }
  });
});
