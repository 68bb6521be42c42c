/**
 * A clinician's review over real HTTP against the embedded FHIR server seeded with the demo patients:
 * approve as proposed, approve with an edited dose, refuse a bad edit, reject with a reason, and refuse an
 * approval of a proposal the data no longer gives.
 */
import type { CarePlan, Provenance, ServiceRequest } from 'fhir/r4';
import { approveChanges, FhirClient, progressPlan, proposalDigest, proposeChanges, rejectChanges } from '../src/client';
import { OperationOutcomeError } from '../src/fhir/outcome';
import { readDose } from '../src/progression';
import type { RunningService } from '../src/server';
import { Validator } from '../src/validation';
import { DEMO_NOW } from './support/demo-patients';
import { startDemoService } from './support/demo-service';

const verifier = { reference: 'Practitioner/demo-clinician', display: 'Dr Alex Morgan' };
const validator = new Validator();
let service: RunningService;
let client: FhirClient;

beforeEach(async () => {
  service = await startDemoService();
  client = new FhirClient({ baseUrl: service.fhirBaseUrl });
});
afterEach(() => service.close());

async function statusOf(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return err instanceof OperationOutcomeError ? err.status : -1;
  }
}

/** A pain score Amara logs on the morning of DEMO_NOW: new data since any proposal made before it. */
async function logPainScore(value: number): Promise<void> {
  await client.request('POST', 'Observation', {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '72514-3' }] },
    subject: { reference: 'Patient/amara-okafor' },
    effectiveDateTime: '2026-11-27T07:00:00+01:00',
    valueInteger: value,
  });
}

const verifiers = (p: Provenance): string[] =>
  p.agent.filter((a) => a.type?.coding?.some((c) => c.code === 'verifier')).map((a) => a.who.reference ?? '');

describe('clinician review of a proposal', () => {
  test('approving writes the proposed changes with the clinician as verifier on every Provenance', async () => {
    const proposal = await proposeChanges(client, 'amara-plan', { now: DEMO_NOW });
    expect(proposal.result.orders.some((o) => o.decision === 'progress')).toBe(true);
    const before = await client.read<CarePlan>('CarePlan', 'amara-plan');
    const run = await approveChanges(client, 'amara-plan', { now: DEMO_NOW, digest: proposalDigest(proposal.result), verifier, validator });
    expect(run.committed).toBe(true);
    const after = await client.read<CarePlan>('CarePlan', 'amara-plan');
    expect(after.meta?.versionId).not.toBe(before.meta?.versionId);
    const provenances = run.written.filter((r): r is Provenance => r.resourceType === 'Provenance');
    expect(provenances.length).toBeGreaterThan(0);
    for (const p of provenances) expect(verifiers(p)).toEqual(['Practitioner/demo-clinician']);
  });

  test('an edited dose is what the new order carries, and the rationale says who changed it from what', async () => {
    const proposal = await proposeChanges(client, 'amara-plan', { now: DEMO_NOW });
    const progressed = proposal.result.orders.find((o) => o.decision === 'progress');
    if (!progressed) throw new Error('the progressing demo patient has no progress decision');
    const edited = { ...progressed.to, reps: (progressed.to.reps ?? 10) - 1 };
    const run = await approveChanges(client, 'amara-plan', {
      now: DEMO_NOW,
      digest: proposalDigest(proposal.result),
      verifier,
      validator,
      edits: { [progressed.orderId]: edited },
    });
    const successor = run.written.find(
      (r): r is ServiceRequest => r.resourceType === 'ServiceRequest' && ((r as ServiceRequest).replaces ?? []).some((x: { reference?: string }) => x.reference === `ServiceRequest/${progressed.orderId}`),
    );
    expect(successor && readDose(successor)).toEqual(edited);
    const stored = await client.read<ServiceRequest>('ServiceRequest', successor?.id ?? '');
    expect(readDose(stored)?.reps).toBe(edited.reps);
    expect(run.result.orders.find((o) => o.orderId === progressed.orderId)?.rationale).toMatch(/Dose edited by Dr Alex Morgan from the proposed .* to /);
  });

  test.each([
    ['zero sets', { sets: 0 }, 'sets'],
    ['zero reps', { reps: 0 }, 'reps'],
  ])('an edit with %s fails the profile, names the field and writes nothing', async (_name, change, field) => {
    const proposal = await proposeChanges(client, 'amara-plan', { now: DEMO_NOW });
    const progressed = proposal.result.orders.find((o) => o.decision === 'progress');
    if (!progressed) throw new Error('no progress decision');
    const before = await client.read<CarePlan>('CarePlan', 'amara-plan');
    let caught: unknown;
    try {
      await approveChanges(client, 'amara-plan', {
        now: DEMO_NOW,
        digest: proposalDigest(proposal.result),
        verifier,
        validator,
        edits: { [progressed.orderId]: { ...progressed.to, ...change } },
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(OperationOutcomeError);
    expect((caught as OperationOutcomeError).status).toBe(422);
    expect((caught as OperationOutcomeError).outcome.issue.flatMap((i) => i.expression ?? [])).toContain(`edits.${progressed.orderId}.${field}`);
    expect((await client.read<CarePlan>('CarePlan', 'amara-plan')).meta?.versionId).toBe(before.meta?.versionId);
  });

  test.each([
    ['a flare (carmen-plan): the load above the current dose', 'carmen-plan', 'load', 500],
    ['a progress (amara-plan): more sets than the current and the proposed dose', 'amara-plan', 'sets', 20],
  ])('an edit during %s is refused with 422 naming the field, and writes nothing', async (_name, planId, field, value) => {
    const proposal = await proposeChanges(client, planId, { now: DEMO_NOW });
    const changed = proposal.result.orders.find((o) => JSON.stringify(o.from) !== JSON.stringify(o.to) && o.to[field as 'load' | 'sets'] !== undefined);
    if (!changed) throw new Error(`${planId} proposes no dose change with ${field}`);
    const before = await client.read<CarePlan>('CarePlan', planId);
    let caught: unknown;
    try {
      await approveChanges(client, planId, {
        now: DEMO_NOW,
        digest: proposalDigest(proposal.result),
        verifier,
        validator,
        edits: { [changed.orderId]: { ...changed.to, [field]: value } },
      });
    } catch (err) {
      caught = err;
    }
    expect((caught as OperationOutcomeError).status).toBe(422);
    const issues = (caught as OperationOutcomeError).outcome.issue;
    expect(issues.flatMap((i) => i.expression ?? [])).toEqual([`edits.${changed.orderId}.${field}`]);
    expect(issues[0]?.diagnostics).toMatch(/may not progress further than the rules propose/);
    expect((await client.read<CarePlan>('CarePlan', planId)).meta?.versionId).toBe(before.meta?.versionId);
  });

  test('editing an order that has no proposed new dose is refused with 422', async () => {
    const proposal = await proposeChanges(client, 'amara-plan', { now: DEMO_NOW });
    const held = proposal.result.orders.find((o) => o.decision === 'hold');
    if (!held) throw new Error('the progressing demo patient has no held order');
    const status = await statusOf(
      approveChanges(client, 'amara-plan', { now: DEMO_NOW, digest: proposalDigest(proposal.result), verifier, validator, edits: { [held.orderId]: held.to } }),
    );
    expect(status).toBe(422);
  });

  test('a proposal the data no longer gives (a log arrived since it was shown) is a 409 and writes nothing', async () => {
    const shown = await proposeChanges(client, 'amara-plan', { now: DEMO_NOW });
    await logPainScore(9);
    const before = await client.read<CarePlan>('CarePlan', 'amara-plan');
    const status = await statusOf(approveChanges(client, 'amara-plan', { now: DEMO_NOW, digest: proposalDigest(shown.result), verifier, validator }));
    expect(status).toBe(409);
    expect((await client.read<CarePlan>('CarePlan', 'amara-plan')).meta?.versionId).toBe(before.meta?.versionId);
  });

  test('rejecting records the reason on a Provenance of the plan version and leaves the plan as it is', async () => {
    const proposal = await proposeChanges(client, 'amara-plan', { now: DEMO_NOW });
    const before = await client.read<CarePlan>('CarePlan', 'amara-plan');
    const stored = await rejectChanges(client, 'amara-plan', {
      now: DEMO_NOW,
      digest: proposalDigest(proposal.result),
      verifier,
      validator,
      reason: 'Knee swelling reported by phone.',
    });
    expect(stored.id).toBeDefined();
    expect(stored.target).toEqual([{ reference: `CarePlan/amara-plan/_history/${before.meta?.versionId ?? ''}` }]);
    expect(verifiers(stored)).toEqual(['Practitioner/demo-clinician']);
    expect(stored.extension?.[0]?.valueMarkdown).toMatch(/rejected the proposed changes \(.*progress.*\)\. Reason: Knee swelling reported by phone\./);
    expect((await client.read<CarePlan>('CarePlan', 'amara-plan')).meta?.versionId).toBe(before.meta?.versionId);
  });

  test('a rejected proposal is not written by an automatic run on the same data; new logs make a new proposal that is', async () => {
    const proposal = await proposeChanges(client, 'amara-plan', { now: DEMO_NOW });
    await rejectChanges(client, 'amara-plan', { now: DEMO_NOW, digest: proposalDigest(proposal.result), verifier, validator, reason: 'Wait for the knee review.' });
    const before = await client.read<CarePlan>('CarePlan', 'amara-plan');
    const nightly = await progressPlan(client, 'amara-plan', { now: DEMO_NOW });
    expect(nightly.committed).toBe(false);
    expect(nightly.written).toEqual([]);
    expect(nightly.rejectedBy).toMatch(/^Provenance\//);
    expect((await client.read<CarePlan>('CarePlan', 'amara-plan')).meta?.versionId).toBe(before.meta?.versionId);

    await logPainScore(9);
    const after = await progressPlan(client, 'amara-plan', { now: DEMO_NOW });
    expect(after.rejectedBy).toBeUndefined();
    expect(after.committed).toBe(true);
  });

  test('ignoreRejections writes a rejected proposal all the same', async () => {
    const proposal = await proposeChanges(client, 'amara-plan', { now: DEMO_NOW });
    await rejectChanges(client, 'amara-plan', { now: DEMO_NOW, digest: proposalDigest(proposal.result), verifier, validator, reason: 'Not yet.' });
    const run = await progressPlan(client, 'amara-plan', { now: DEMO_NOW, ignoreRejections: true });
    expect(run.rejectedBy).toBeUndefined();
    expect(run.committed).toBe(true);
  });
});
