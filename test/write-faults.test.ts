/**
 * No half-applied plan: every write request of a run is failed, cut after the server applied it, or left
 * unanswered (a real HTTP proxy between the client and the embedded FHIR server). After each fault the
 * server shows a whole plan, old or new, never a plan pointing at a missing or inactive order, two orders
 * for one exercise, or an active order the plan does not list; and running progression again ends in the
 * same state as a run that met no fault.
 */
import type { Bundle, Resource } from 'fhir/r4';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FhirClient, FhirHttpError, progressPlan } from '../src/client';
import { loadConfig, startService, type RunningService } from '../src/server';
import { startFaultProxy, type Fault, type FaultProxy } from './support/fault-proxy';
import { duplicateKeys, snapshot, summary, violations } from './support/plan-state';

const DEMO = join(__dirname, '..', 'fixtures', 'demo');

interface Patient {
  resources: Resource[];
  planId: string;
  now: string;
}

function demoPatient(story: string): Patient {
  const bundle = JSON.parse(readFileSync(join(DEMO, `${story}.json`), 'utf8')) as Bundle;
  const resources = (bundle.entry ?? []).flatMap((e): Resource[] => (e.resource ? [e.resource] : []));
  const plan = resources.find((r) => r.resourceType === 'CarePlan');
  return { resources, planId: plan?.id ?? '', now: bundle.timestamp ?? '' };
}

/** A fresh embedded server holding one patient. */
async function serverWith(patient: Patient): Promise<RunningService> {
  const service = await startService(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', GRADUS_DEMO: 'false' }));
  await service.store?.seed(patient.resources);
  return service;
}

/** Runs progression until a run writes nothing (at most 4 runs), as an operator re-running the job would. */
async function runUntilQuiet(client: FhirClient, patient: Patient): Promise<void> {
  for (let i = 0; i < 4; i++) {
    const run = await progressPlan(client, patient.planId, { now: patient.now });
    if (!run.committed && run.written.length === 0) return;
  }
  throw new Error('progression did not settle in 4 runs');
}

/** The state a run that met no fault leaves, once re-run until quiet. */
async function cleanOutcome(patient: Patient): Promise<ReturnType<typeof summary>> {
  const service = await serverWith(patient);
  try {
    const client = new FhirClient({ baseUrl: service.fhirBaseUrl });
    await runUntilQuiet(client, patient);
    return summary(await snapshot(client, patient.planId));
  } finally {
    await service.close();
  }
}

const STORIES = ['progressing', 'flare', 'red-flag', 'regress', 'baseline', 'holding'];
const FAULTS: (Fault | 'pass')[][] = [
  ['error-before'],
  ['cut-after'],
  ['hang-before'],
  ['hang-after'],
  ['error-before', 'error-before'],
  ['cut-after', 'cut-after'],
  ['error-before', 'cut-after'],
  ['pass', 'error-before'],
];

describe.each(STORIES)('faults while writing back the demo patient "%s"', (story) => {
  const patient = demoPatient(story);
  let expected: ReturnType<typeof summary>;
  let before: ReturnType<typeof summary>;
  let service: RunningService;
  let proxy: FaultProxy;

  beforeAll(async () => {
    expected = await cleanOutcome(patient);
  });
  beforeEach(async () => {
    service = await serverWith(patient);
    proxy = await startFaultProxy(service.fhirBaseUrl);
    before = summary(await snapshot(new FhirClient({ baseUrl: service.fhirBaseUrl }), patient.planId));
  });
  afterEach(async () => {
    await proxy.close();
    await service.close();
  });

  it.each(FAULTS.map((f) => [f.join(' then '), f] as const))('leaves a whole plan after %s, and a re-run completes the job', async (_name, faults) => {
    const direct = new FhirClient({ baseUrl: service.fhirBaseUrl });
    const throughProxy = new FhirClient({ baseUrl: proxy.baseUrl, timeoutMs: 400, retries: 0 });
    proxy.breakRequests(faults);
    let failure: unknown;
    try {
      await progressPlan(throughProxy, patient.planId, { now: patient.now });
    } catch (err) {
      failure = err;
    }
    if (failure !== undefined) expect(failure).toBeInstanceOf(FhirHttpError);

    const afterFault = await snapshot(direct, patient.planId);
    expect(violations(afterFault)).toEqual([]);
    const seen = summary(afterFault);
    // Either the old plan with its old orders, or the new plan with its new orders: nothing in between.
    expect([JSON.stringify([before.phase, before.orders]), JSON.stringify([expected.phase, expected.orders])]).toContain(
      JSON.stringify([seen.phase, seen.orders]),
    );

    await runUntilQuiet(direct, patient);
    const final = await snapshot(direct, patient.planId);
    expect(violations(final)).toEqual([]);
    expect(summary(final)).toEqual(expected);
    expect(duplicateKeys(final)).toEqual([]);
  });

  it('reports the write that was applied when only its answer was lost, not a recomputed hold', async () => {
    const clean = await progressPlan(new FhirClient({ baseUrl: proxy.baseUrl }), patient.planId, { now: patient.now, dryRun: true });
    const throughProxy = new FhirClient({ baseUrl: proxy.baseUrl, timeoutMs: 400, retries: 0 });
    proxy.breakRequests(['cut-after']);
    const run = await progressPlan(throughProxy, patient.planId, { now: patient.now });
    expect(run.result.orders.map((o) => o.decision)).toEqual(clean.result.orders.map((o) => o.decision));
    const changed = clean.result.transaction.entry?.some((e) => e.request?.method === 'PUT') === true;
    expect(run.committed).toBe(changed);
    if (changed) expect(run.written.some((r) => r.resourceType === 'CarePlan')).toBe(true);
  });

  it('writes nothing when a read fails, and answers with the failure', async () => {
    const throughProxy = new FhirClient({ baseUrl: proxy.baseUrl, retries: 0 });
    proxy.breakRequests(['pass', 'pass', 'error-before'], (method) => method === 'GET');
    await expect(progressPlan(throughProxy, patient.planId, { now: patient.now })).rejects.toMatchObject({ status: 502 });
    expect(proxy.seen.filter((s) => !s.startsWith('GET'))).toEqual([]);
    expect(summary(await snapshot(new FhirClient({ baseUrl: service.fhirBaseUrl }), patient.planId))).toEqual(before);
  });
});
