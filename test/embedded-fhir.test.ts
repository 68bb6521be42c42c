/**
 * The embedded FHIR server under /fhir and the Gradus operations on it, over real HTTP on an ephemeral
 * port: the CapabilityStatement, profile validation on create/update, versioning headers, If-Match,
 * paging, atomic transactions, and $progress (commit, dryRun, Bundle body) seen from the outside.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  Bundle,
  BundleEntry,
  CapabilityStatement,
  CarePlan,
  Observation,
  OperationDefinition,
  OperationOutcome,
  Parameters,
  ParametersParameter,
  Patient,
  Resource,
} from 'fhir/r4';
import { loadConfig, type RunningService } from '../src/server';
import { startDemoService } from './support/demo-service';
import { call, checkIn, CHECK_IN_PROFILE, FHIR_JSON, NOW_QUERY, PLAN_PROFILE, SD, type Reply } from './support/http';

let service: RunningService;
let fhir: string;

beforeAll(async () => {
  service = await startDemoService();
  fhir = service.fhirBaseUrl;
});

afterAll(async () => {
  await service.close();
});

const asBundle = (reply: Reply): Bundle => reply.body as Bundle;

function demoFixture(story: string): Bundle {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'demo', `${story}.json`), 'utf8')) as Bundle;
}


/** A fresh Patient (no Gradus profile), so searches by subject see only what a test wrote. */
async function newPatient(): Promise<string> {
  const patient: Patient = { resourceType: 'Patient', gender: 'unknown' };
  const reply = await call(`${fhir}/Patient`, { body: patient });
  expect(reply.status).toBe(201);
  return `Patient/${(reply.body as Patient).id ?? ''}`;
}

async function createCheckIn(patientRef: string, pain = 2): Promise<Observation> {
  const reply = await call(`${fhir}/Observation`, { body: checkIn(patientRef, pain) });
  expect(reply.status).toBe(201);
  return reply.body as Observation;
}

/** Every entry of a search, following `next` links; also returns each page's size. */
async function searchAll(url: string): Promise<{ entries: BundleEntry[]; pageSizes: number[] }> {
  const entries: BundleEntry[] = [];
  const pageSizes: number[] = [];
  let next: string | undefined = url;
  while (next !== undefined) {
    if (pageSizes.length > 100) throw new Error('more than 100 pages: the next links do not end');
    const reply = await call(next);
    expect(reply.status).toBe(200);
    const bundle = asBundle(reply);
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.type).toBe('searchset');
    pageSizes.push(bundle.entry?.length ?? 0);
    entries.push(...(bundle.entry ?? []));
    const link = bundle.link?.find((l) => l.relation === 'next')?.url;
    next = link === undefined ? undefined : new URL(link, `${fhir}/`).toString();
  }
  return { entries, pageSizes };
}

async function countOf(url: string): Promise<number> {
  return (await searchAll(url)).entries.length;
}

async function versionOf(path: string): Promise<string | undefined> {
  const reply = await call(`${fhir}/${path}`);
  expect(reply.status).toBe(200);
  return (reply.body as Resource).meta?.versionId;
}

async function historyCount(path: string): Promise<number> {
  const reply = await call(`${fhir}/${path}/_history`);
  expect(reply.status).toBe(200);
  return asBundle(reply).entry?.length ?? 0;
}

function parameters(reply: Reply): Parameters {
  const first = asBundle(reply).entry?.[0]?.resource;
  expect(first?.resourceType).toBe('Parameters');
  return first as Parameters;
}

/** The value[x] of a parameter or part, whatever its type. */
function valueOf(p: ParametersParameter | undefined): unknown {
  if (p === undefined) return undefined;
  const key = Object.keys(p).find((k) => k.startsWith('value'));
  return key === undefined ? undefined : (p as unknown as Record<string, unknown>)[key];
}

const part = (p: ParametersParameter, name: string): unknown => valueOf(p.part?.find((x) => x.name === name));
const param = (ps: Parameters, name: string): ParametersParameter[] => (ps.parameter ?? []).filter((p) => p.name === name);

/** The id part of the one `plan` parameter. */
function planId(ps: Parameters): string {
  const plans = param(ps, 'plan');
  expect(plans).toHaveLength(1);
  return String(part(plans[0] ?? { name: 'plan' }, 'id'));
}

function expectOutcomeError(reply: Reply, status: number): void {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toContain(FHIR_JSON);
  const outcome = reply.body as OperationOutcome;
  expect(outcome.resourceType).toBe('OperationOutcome');
  expect(outcome.issue.some((i) => i.severity === 'error' || i.severity === 'fatal')).toBe(true);
}

describe('GET /fhir/metadata', () => {
  let capability: CapabilityStatement;
  let reply: Reply;

  beforeAll(async () => {
    reply = await call(`${fhir}/metadata`);
    capability = reply.body as CapabilityStatement;
  });

  const resource = (type: string) => capability.rest?.[0]?.resource?.find((r) => r.type === type);

  it('answers a FHIR 4.0.1 CapabilityStatement as application/fhir+json', () => {
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toContain(FHIR_JSON);
    expect(capability.resourceType).toBe('CapabilityStatement');
    expect(capability.fhirVersion).toBe('4.0.1');
  });

  it('lists the Gradus profiles in supportedProfile of their resource types', () => {
    expect(resource('CarePlan')?.supportedProfile).toContain(PLAN_PROFILE);
    expect(resource('ServiceRequest')?.supportedProfile).toContain(`${SD}/gradus-exercise-order`);
    expect(resource('Observation')?.supportedProfile).toEqual(expect.arrayContaining([CHECK_IN_PROFILE, `${SD}/gradus-exercise-session`]));
  });

  it('lists the read, create, update and search interactions and system-level transaction and batch', () => {
    const interactions = (resource('CarePlan')?.interaction ?? []).map((i) => i.code);
    expect(interactions).toEqual(expect.arrayContaining(['read', 'create', 'update', 'search-type']));
    const system = (capability.rest?.[0]?.interaction ?? []).map((i) => i.code);
    expect(system).toEqual(expect.arrayContaining(['transaction', 'batch']));
  });

  it('declares the progress operation on CarePlan and the validate operation', () => {
    expect((resource('CarePlan')?.operation ?? []).map((o) => o.name)).toContain('progress');
    const everyOperation = [
      ...(capability.rest?.[0]?.operation ?? []),
      ...(capability.rest?.[0]?.resource ?? []).flatMap((r) => r.operation ?? []),
    ].map((o) => o.name);
    expect(everyOperation).toContain('validate');
  });

  it("serves the progress operation's OperationDefinition at the canonical it declares, valid FHIR R4", async () => {
    const declared = (resource('CarePlan')?.operation ?? []).find((o) => o.name === 'progress')?.definition ?? '';
    const reply = await call(`${fhir}/OperationDefinition/CarePlan-progress`);
    expect(reply.status).toBe(200);
    const definition = reply.body as OperationDefinition;
    expect(definition.url).toBe(declared);
    expect(definition.code).toBe('progress');
    expect(definition.parameter?.map((p) => p.name)).toEqual(['now', 'dryRun', 'bundle', 'return']);
    const outcome = (await call(`${fhir}/OperationDefinition/$validate`, { body: definition })).body as OperationOutcome;
    expect(outcome.issue.filter((i) => i.severity === 'error')).toEqual([]);
  });
});

describe('create and update of resources claiming a Gradus profile', () => {
  it('stores a valid check-in: 201 with ETag, Location of the version, Last-Modified and application/fhir+json', async () => {
    const reply = await call(`${fhir}/Observation`, { body: checkIn(await newPatient(), 3) });
    expect(reply.status).toBe(201);
    expect(reply.headers.get('content-type')).toContain(FHIR_JSON);
    const created = reply.body as Observation;
    const id = created.id ?? '';
    const versionId = created.meta?.versionId ?? '';
    expect(id).not.toBe('');
    expect(versionId).not.toBe('');
    expect(reply.headers.get('etag')).toBe(`W/"${versionId}"`);
    expect(reply.headers.get('location')).toMatch(new RegExp(`/Observation/${id}/_history/${versionId}$`));
    const lastModified = reply.headers.get('last-modified');
    expect(lastModified).not.toBeNull();
    expect(Date.parse(lastModified ?? '')).toBe(Math.floor(Date.parse(created.meta?.lastUpdated ?? '') / 1000) * 1000);

    const read = await call(`${fhir}/Observation/${id}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe(`W/"${versionId}"`);
    expect(read.headers.get('last-modified')).toBe(lastModified);
    expect(read.headers.get('content-type')).toContain(FHIR_JSON);
  });

  it('rejects an invalid check-in (pain 11 of 10) with 400 and an OperationOutcome, storing nothing', async () => {
    const patient = await newPatient();
    const reply = await call(`${fhir}/Observation`, { body: checkIn(patient, 11) });
    expectOutcomeError(reply, 400);
    expect(await countOf(`${fhir}/Observation?subject=${patient}`)).toBe(0);
  });

  it('stores a check-in with the same content but no Gradus profile claimed (only claims are validated against Gradus profiles)', async () => {
    const patient = await newPatient();
    const unclaimed = { ...checkIn(patient, 11), meta: {} };
    expect((await call(`${fhir}/Observation`, { body: unclaimed })).status).toBe(201);
  });

  it('updates a stored check-in with a valid one: 200 and the next version in ETag', async () => {
    const created = await createCheckIn(await newPatient());
    const reply = await call(`${fhir}/Observation/${created.id ?? ''}`, { method: 'PUT', body: { ...created, effectiveDateTime: '2026-11-21T07:30:00+01:00' } });
    expect(reply.status).toBe(200);
    const updated = reply.body as Observation;
    expect(updated.meta?.versionId).not.toBe(created.meta?.versionId);
    expect(reply.headers.get('etag')).toBe(`W/"${updated.meta?.versionId ?? ''}"`);
    expect(reply.headers.get('last-modified')).not.toBeNull();
  });

  it('rejects an invalid update with 400 and keeps the stored version', async () => {
    const created = await createCheckIn(await newPatient());
    const invalid = checkIn(created.subject?.reference ?? '', 11);
    const reply = await call(`${fhir}/Observation/${created.id ?? ''}`, { method: 'PUT', body: { ...invalid, id: created.id } });
    expectOutcomeError(reply, 400);
    expect(await versionOf(`Observation/${created.id ?? ''}`)).toBe(created.meta?.versionId);
    expect(await historyCount(`Observation/${created.id ?? ''}`)).toBe(1);
  });

  it('rejects a CarePlan claiming the plan profile without being one (400)', async () => {
    const plan: CarePlan = { resourceType: 'CarePlan', meta: { profile: [PLAN_PROFILE] }, status: 'active', intent: 'order', subject: { reference: 'Patient/amara-okafor' } };
    expectOutcomeError(await call(`${fhir}/CarePlan`, { body: plan }), 400);
  });
});

describe('If-Match', () => {
  it('applies an update whose If-Match names the current version', async () => {
    const created = await createCheckIn(await newPatient());
    const reply = await call(`${fhir}/Observation/${created.id ?? ''}`, {
      method: 'PUT',
      body: { ...created, effectiveDateTime: '2026-11-22T07:30:00+01:00' },
      headers: { 'if-match': `W/"${created.meta?.versionId ?? ''}"` },
    });
    expect(reply.status).toBe(200);
  });

  it('answers 412 to a stale If-Match and changes nothing', async () => {
    const created = await createCheckIn(await newPatient());
    const id = created.id ?? '';
    const first = await call(`${fhir}/Observation/${id}`, { method: 'PUT', body: { ...created, effectiveDateTime: '2026-11-22T07:30:00+01:00' } });
    expect(first.status).toBe(200);
    const current = first.body as Observation;

    const stale = await call(`${fhir}/Observation/${id}`, {
      method: 'PUT',
      body: { ...created, effectiveDateTime: '2026-11-23T07:30:00+01:00' },
      headers: { 'if-match': `W/"${created.meta?.versionId ?? ''}"` },
    });
    expectOutcomeError(stale, 412);

    const read = (await call(`${fhir}/Observation/${id}`)).body as Observation;
    expect(read.meta?.versionId).toBe(current.meta?.versionId);
    expect(read.effectiveDateTime).toBe('2026-11-22T07:30:00+01:00');
    expect(await historyCount(`Observation/${id}`)).toBe(2);
  });
});

describe('search paging', () => {
  it("pages through all of a demo patient's Observations with _count=5, every entry a match with a fullUrl", async () => {
    const story = 'deload-week';
    const demo = service.demoPatients.find((p) => p.story === story);
    expect(demo).toBeDefined();
    const expectedIds = (demoFixture(story).entry ?? [])
      .flatMap((e) => (e.resource?.resourceType === 'Observation' ? [`${story}-${e.resource.id ?? ''}`] : []))
      .sort();
    expect(expectedIds.length).toBeGreaterThan(30);

    const { entries, pageSizes } = await searchAll(`${fhir}/Observation?subject=Patient/${demo?.patientId ?? ''}&_count=5`);
    expect(pageSizes.length).toBeGreaterThanOrEqual(Math.ceil(expectedIds.length / 5));
    expect(Math.max(...pageSizes)).toBeLessThanOrEqual(5);
    const ids = entries.map((e) => e.resource?.id ?? '').sort();
    expect(ids).toEqual(expectedIds);
    for (const entry of entries) {
      expect(entry.fullUrl).toMatch(new RegExp(`/Observation/${entry.resource?.id ?? ''}$`));
      expect(entry.search?.mode).toBe('match');
    }
  });
});

describe('transactions', () => {
  function postEntry(resource: Resource): BundleEntry {
    return { fullUrl: `urn:uuid:${crypto.randomUUID()}`, resource, request: { method: 'POST', url: resource.resourceType } };
  }

  function putEntry(resource: Observation, ifMatch?: string): BundleEntry {
    return { resource, request: { method: 'PUT', url: `Observation/${resource.id ?? ''}`, ...(ifMatch === undefined ? {} : { ifMatch }) } };
  }

  it('commits every entry of a valid transaction', async () => {
    const patient = await newPatient();
    const existing = await createCheckIn(patient);
    const id = existing.id ?? '';
    const transaction: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        postEntry(checkIn(patient, 4)),
        putEntry({ ...existing, effectiveDateTime: '2026-11-24T07:30:00+01:00' }, `W/"${existing.meta?.versionId ?? ''}"`),
      ],
    };
    const reply = await call(fhir, { body: transaction });
    expect(reply.status).toBe(200);
    expect(asBundle(reply).type).toBe('transaction-response');
    expect(await countOf(`${fhir}/Observation?subject=${patient}`)).toBe(2);
    expect(await historyCount(`Observation/${id}`)).toBe(2);
  });

  it('leaves nothing of its earlier entries when a later PUT has a stale ifMatch', async () => {
    const patient = await newPatient();
    const untouched = await createCheckIn(patient);
    const bumped = await createCheckIn(patient);
    const staleVersion = bumped.meta?.versionId ?? '';
    expect((await call(`${fhir}/Observation/${bumped.id ?? ''}`, { method: 'PUT', body: { ...bumped, effectiveDateTime: '2026-11-22T07:30:00+01:00' } })).status).toBe(200);

    const countBefore = await countOf(`${fhir}/Observation?subject=${patient}`);
    const untouchedHistoryBefore = await historyCount(`Observation/${untouched.id ?? ''}`);
    const transaction: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        postEntry(checkIn(patient, 4)),
        putEntry({ ...untouched, effectiveDateTime: '2026-11-24T07:30:00+01:00' }),
        putEntry({ ...bumped, effectiveDateTime: '2026-11-25T07:30:00+01:00' }, `W/"${staleVersion}"`),
      ],
    };
    const reply = await call(fhir, { body: transaction });
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    expect((reply.body as Resource).resourceType).toBe('OperationOutcome');

    expect(await countOf(`${fhir}/Observation?subject=${patient}`)).toBe(countBefore);
    expect(await historyCount(`Observation/${untouched.id ?? ''}`)).toBe(untouchedHistoryBefore);
    expect(((await call(`${fhir}/Observation/${untouched.id ?? ''}`)).body as Observation).effectiveDateTime).toBe(untouched.effectiveDateTime);
    expect(((await call(`${fhir}/Observation/${bumped.id ?? ''}`)).body as Observation).effectiveDateTime).toBe('2026-11-22T07:30:00+01:00');
  });

  it('leaves nothing of its earlier entries when a later entry is an invalid Gradus resource (400)', async () => {
    const patient = await newPatient();
    const transaction: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [postEntry(checkIn(patient, 4)), postEntry(checkIn(patient, 11))] };
    const reply = await call(fhir, { body: transaction });
    expectOutcomeError(reply, 400);
    expect(await countOf(`${fhir}/Observation?subject=${patient}`)).toBe(0);
  });
});

describe('network binding', () => {
  it('binds to 127.0.0.1 by default', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(new URL(service.url).hostname).toBe('127.0.0.1');
    expect(service.fhirBaseUrl).toBe(`${service.url}/fhir`);
  });
});

describe('$progress on the embedded server', () => {
  const provenanceCount = (): Promise<number> => countOf(`${fhir}/Provenance?_count=100`);

  it('POST /fhir/CarePlan/{id}/$progress decides, writes back and returns the decisions then the written resources', async () => {
    const planBefore = await versionOf('CarePlan/amara-plan');
    const provenanceBefore = await provenanceCount();

    const reply = await call(`${fhir}/CarePlan/amara-plan/$progress?${NOW_QUERY}`, { method: 'POST' });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toContain(FHIR_JSON);
    const bundle = asBundle(reply);
    expect(bundle.resourceType).toBe('Bundle');

    const decisions = parameters(reply);
    const [plan] = param(decisions, 'plan');
    expect(plan).toBeDefined();
    if (plan === undefined) return;
    expect(String(part(plan, 'id'))).toMatch(/(^|\/)amara-plan$/);
    expect(part(plan, 'phaseFrom')).toBe('build');
    expect(part(plan, 'phaseTo')).toBe('build');

    const orders = param(decisions, 'order');
    const byOrder = Object.fromEntries(orders.map((o) => [String(part(o, 'id')).replace(/^ServiceRequest\//, ''), o]));
    expect(Object.keys(byOrder).sort()).toEqual(['amara-hamstring-stretch', 'amara-sit-to-stand-2', 'amara-walking', 'amara-wall-push-up']);
    const sitToStand = byOrder['amara-sit-to-stand-2'];
    expect(String(sitToStand && part(sitToStand, 'exercise'))).toMatch(/^sit-to-stand$/i);
    expect(sitToStand && part(sitToStand, 'decision')).toBe('progress');
    const wallPushUp = byOrder['amara-wall-push-up'];
    expect(wallPushUp && part(wallPushUp, 'decision')).toBe('hold');
    for (const order of orders) {
      for (const name of ['from', 'to', 'rationale']) expect(part(order, name)).toEqual(expect.anything());
    }
    expect(valueOf(param(decisions, 'dryRun')[0])).toBe(false);
    expect(valueOf(param(decisions, 'committed')[0])).toBe(true);
    expect(valueOf(param(decisions, 'attempts')[0])).toBeGreaterThanOrEqual(1);

    const written = (bundle.entry ?? []).slice(1).map((e) => e.resource as Resource);
    expect(written.length).toBeGreaterThan(0);
    const writtenPlan = written.find((r) => r.resourceType === 'CarePlan' && r.id === 'amara-plan');
    expect(writtenPlan?.meta?.versionId).toBeDefined();
    expect(writtenPlan?.meta?.versionId).not.toBe(planBefore);
    for (const resource of written) {
      expect(await versionOf(`${resource.resourceType}/${resource.id ?? ''}`)).toBe(resource.meta?.versionId);
    }
    const writtenProvenance = written.filter((r) => r.resourceType === 'Provenance').length;
    expect(writtenProvenance).toBeGreaterThan(0);
    expect(await provenanceCount()).toBe(provenanceBefore + writtenProvenance);
  });

  it('?dryRun=true returns the proposed transaction and writes nothing', async () => {
    const planBefore = await versionOf('CarePlan/ingrid-plan');
    const planHistoryBefore = await historyCount('CarePlan/ingrid-plan');
    const provenanceBefore = await provenanceCount();

    const reply = await call(`${fhir}/CarePlan/ingrid-plan/$progress?${NOW_QUERY}&dryRun=true`, { method: 'POST' });
    expect(reply.status).toBe(200);
    const decisions = parameters(reply);
    expect(planId(decisions)).toMatch(/(^|\/)ingrid-plan$/);
    expect(param(decisions, 'order').length).toBe(4);
    expect(valueOf(param(decisions, 'dryRun')[0])).toBe(true);
    expect(valueOf(param(decisions, 'committed')[0])).toBe(false);
    const proposal = (asBundle(reply).entry ?? [])
      .map((e) => e.resource)
      .find((r): r is Bundle => r?.resourceType === 'Bundle' && (r as Bundle).type === 'transaction');
    expect(proposal).toBeDefined();
    expect(proposal?.entry?.length ?? 0).toBeGreaterThan(0);

    expect(await versionOf('CarePlan/ingrid-plan')).toBe(planBefore);
    expect(await historyCount('CarePlan/ingrid-plan')).toBe(planHistoryBefore);
    expect(await provenanceCount()).toBe(provenanceBefore);
  });

  it('POST /fhir/CarePlan/$progress with a Bundle body applies progression and writes nothing', async () => {
    const planBefore = await versionOf('CarePlan/carmen-plan');
    const provenanceBefore = await provenanceCount();

    const reply = await call(`${fhir}/CarePlan/$progress?${NOW_QUERY}`, { body: demoFixture('flare') });
    expect(reply.status).toBe(200);
    expect(asBundle(reply).resourceType).toBe('Bundle');
    const decisions = parameters(reply);
    expect(planId(decisions)).toMatch(/(^|\/)carmen-plan$/);
    expect(param(decisions, 'order').map((o) => String(part(o, 'id')).replace(/^ServiceRequest\//, '')).sort()).toEqual([
      'carmen-cat-camel',
      'carmen-step-up',
      'carmen-walking',
    ]);
    expect(valueOf(param(decisions, 'committed')[0])).not.toBe(true);

    expect(await versionOf('CarePlan/carmen-plan')).toBe(planBefore);
    expect(await provenanceCount()).toBe(provenanceBefore);
  });
});
