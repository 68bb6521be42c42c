/**
 * Two `$progress` calls on the same plan at once, and a clinician's edit racing a run: one write wins, the
 * other re-reads and recomputes (or gives up with 409 saying what changed); never two active versions of
 * an order. Over real HTTP against the embedded server.
 */
import type { Bundle, CarePlan, Parameters, ServiceRequest } from 'fhir/r4';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FhirClient, progressPlan } from '../src/client';
import type { RunningService } from '../src/server';
import { startDemoService } from './support/demo-service';
import { snapshot, summary, violations } from './support/plan-state';

const DEMO = join(__dirname, '..', 'fixtures', 'demo');
const NOW = (JSON.parse(readFileSync(join(DEMO, 'progressing.json'), 'utf8')) as Bundle).timestamp ?? '';

let service: RunningService;
let client: FhirClient;

beforeEach(async () => {
  service = await startDemoService();
  client = new FhirClient({ baseUrl: service.fhirBaseUrl });
});
afterEach(async () => service.close());

const progressCall = (planId: string): Promise<Response> =>
  fetch(`${service.fhirBaseUrl}/CarePlan/${planId}/$progress?now=${encodeURIComponent(NOW)}`, { method: 'POST' });

describe.each(['amara-plan', 'carmen-plan', 'ingrid-plan', 'farid-plan'])('concurrent $progress on %s', (planId) => {
  it('lets one write win and the other retry or get 409, leaving one active order per exercise', async () => {
    const before = await snapshot(client, planId);
    const responses = await Promise.all([progressCall(planId), progressCall(planId), progressCall(planId)]);
    const statuses = responses.map((r) => r.status);
    for (const status of statuses) expect([200, 409]).toContain(status);
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as (Bundle | { resourceType: string })[];
    const committed = bodies.filter((b) => {
      const params = (b as Bundle).entry?.[0]?.resource as Parameters | undefined;
      return params?.parameter?.find((p) => p.name === 'committed')?.valueBoolean === true;
    });
    expect(committed).toHaveLength(1);

    const after = await snapshot(client, planId);
    expect(violations(after)).toEqual([]);
    expect(after.planVersions).toBe(before.planVersions + 1);
    // Each replaced order has exactly one successor.
    const successors = new Map<string, number>();
    for (const order of after.orders) {
      for (const r of order.replaces ?? []) successors.set(r.reference ?? '', (successors.get(r.reference ?? '') ?? 0) + 1);
    }
    for (const count of successors.values()) expect(count).toBe(1);
  });
});

describe('a run racing a change made by someone else', () => {
  it('re-reads and recomputes on the changed plan when the plan changed between its read and its write', async () => {
    const planId = 'amara-plan';
    let sawWrite = false;
    const raced = new FhirClient({
      baseUrl: service.fhirBaseUrl,
      fetch: async (input, init) => {
        // Just before the first write, a clinician revokes the walking order and takes it off the plan.
        if (init?.method === 'POST' && !sawWrite) {
          sawWrite = true;
          await clinicianRemovesWalking(planId);
        }
        return fetch(input, init);
      },
    });
    const run = await progressPlan(raced, planId, { now: NOW });
    expect(run.attempts).toBe(2);
    expect(run.result.orders.map((o) => o.orderId)).not.toContain('amara-walking');
    const after = await snapshot(client, planId);
    expect(violations(after)).toEqual([]);
    expect(summary(after).orders.some((o) => o.startsWith('walking'))).toBe(false);
  });

  it('gives up with 409 naming what changed when the plan changes again before the second write', async () => {
    const planId = 'amara-plan';
    const racing = new FhirClient({
      baseUrl: service.fhirBaseUrl,
      fetch: async (input, init) => {
        // Before every write, someone edits the plan (a new note): both attempts meet a changed plan.
        if (init?.method === 'POST') await touchPlan(planId);
        return fetch(input, init);
      },
    });
    const before = await snapshot(client, planId);
    await expect(progressPlan(racing, planId, { now: NOW })).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/CarePlan\/amara-plan changed .*version/) as unknown,
    });
    const after = await snapshot(client, planId);
    expect(violations(after)).toEqual([]);
    expect(summary(after).orders).toEqual(summary(before).orders);
  });
});

async function touchPlan(planId: string): Promise<void> {
  const plan = await client.read<CarePlan>('CarePlan', planId);
  plan.note = [...(plan.note ?? []), { text: 'Reviewed by the physiotherapist.' }];
  await client.request('PUT', `CarePlan/${planId}`, plan);
}

async function clinicianRemovesWalking(planId: string): Promise<void> {
  const walking = await client.read<ServiceRequest>('ServiceRequest', 'amara-walking');
  const plan = await client.read<CarePlan>('CarePlan', planId);
  plan.activity = (plan.activity ?? []).filter((a) => a.reference?.reference !== 'ServiceRequest/amara-walking');
  await client.request('PUT', `CarePlan/${planId}`, plan);
  await client.request('PUT', 'ServiceRequest/amara-walking', { ...walking, status: 'revoked' });
}
