/**
 * The write-back loop against a FHIR server no one here wrote: HAPI FHIR JPA 8.8.0 (H2 in memory),
 * started from test/servers/hapi/start.mjs. Demo patients are seeded into it, the Gradus service is
 * pointed at it with FHIR_BASE_URL, and `$progress` must write back a whole plan, a re-run must change
 * nothing, and a stale version (HAPI answers 409 where others answer 412) must be recovered from.
 * Run with `npm run test:hapi` (Java 17 and Maven needed; `.ci/run` runs it when they are present).
 */
import type { Bundle, BundleEntry, CarePlan, Parameters, Resource } from 'fhir/r4';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FhirClient, FhirHttpError, progressAll, progressPlan } from '../../../src/client';
import { hasErrors } from '../../../src/fhir/outcome';
import { loadConfig, namespaceObservations, startService, type RunningService } from '../../../src/server';
import { validate } from '../../../src/validation';
import { snapshot, summary, violations } from '../../support/plan-state';

const ROOT = join(__dirname, '..', '..', '..');
const STORIES = ['progressing', 'flare', 'red-flag', 'regress', 'holding', 'baseline'];

interface Story {
  story: string;
  planId: string;
  now: string;
  bundle: Bundle;
}

const stories: Story[] = STORIES.map((story) => {
  const raw = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'demo', `${story}.json`), 'utf8')) as Bundle;
  const bundle = namespaceObservations(raw, story);
  const plan = bundle.entry?.find((e) => e.resource?.resourceType === 'CarePlan')?.resource;
  return { story, planId: plan?.id ?? '', now: bundle.timestamp ?? '', bundle };
});

let hapi: ChildProcess;
let hapiBase: string;
let hapiClient: FhirClient;
let service: RunningService;

/** Starts HAPI through its start script and waits for its base URL line. */
function startHapi(): Promise<string> {
  hapi = spawn(process.execPath, [join(__dirname, 'start.mjs')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  hapi.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    let stdout = '';
    hapi.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const m = /^HAPI_BASE_URL=(\S+)$/m.exec(stdout);
      if (m?.[1] !== undefined) resolve(m[1]);
    });
    hapi.on('exit', (code) => reject(new Error(`HAPI exited (${String(code)}) before it was ready:\n${stderr}`)));
  });
}

/** A demo Bundle as a transaction of PUTs at each resource's own id (HAPI keeps client-assigned ids). */
function seedTransaction(bundle: Bundle): Bundle {
  const entry: BundleEntry[] = (bundle.entry ?? []).flatMap((e) => {
    const r = e.resource;
    if (!r?.id) return [];
    const copy: Resource = structuredClone(r);
    delete copy.meta?.versionId;
    return [{ fullUrl: `${hapiBase}/${r.resourceType}/${r.id}`, resource: copy, request: { method: 'PUT' as const, url: `${r.resourceType}/${r.id}` } }];
  });
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

const progressUrl = (planId: string, now: string): string => `${service.url}/fhir/CarePlan/${planId}/$progress?now=${encodeURIComponent(now)}`;

async function progressOnService(planId: string, now: string): Promise<Parameters> {
  const response = await fetch(progressUrl(planId, now), { method: 'POST' });
  const body = (await response.json()) as Bundle;
  expect({ status: response.status, body: response.status === 200 ? 'ok' : body }).toEqual({ status: 200, body: 'ok' });
  return body.entry?.[0]?.resource as Parameters;
}

const committedOf = (p: Parameters): boolean | undefined => p.parameter?.find((x) => x.name === 'committed')?.valueBoolean;

beforeAll(async () => {
  hapiBase = await startHapi();
  hapiClient = new FhirClient({ baseUrl: hapiBase, timeoutMs: 60_000 });
  for (const s of stories) await hapiClient.bundle(seedTransaction(s.bundle));
  service = await startService(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', FHIR_BASE_URL: hapiBase, FHIR_TIMEOUT_MS: '60000' }));
}, 300_000);

afterAll(async () => {
  await service?.close();
  if (hapi && hapi.exitCode === null) {
    const exited = new Promise((resolve) => hapi.on('exit', resolve));
    hapi.kill('SIGTERM');
    await exited;
  }
});

describe.each(stories)('write-back to HAPI of the demo patient "$story"', ({ planId, now }) => {
  it('writes a whole new plan with valid Provenances, and a re-run changes nothing', async () => {
    const before = await snapshot(hapiClient, planId);
    expect(violations(before)).toEqual([]);

    const first = await progressOnService(planId, now);
    const after = await snapshot(hapiClient, planId);
    expect(violations(after)).toEqual([]);
    expect(after.planVersions).toBe(before.planVersions + (committedOf(first) === true ? 1 : 0));
    const newOrders = after.orders.filter((o) => !before.orders.some((b) => b.id === o.id));
    for (const order of newOrders) {
      const replaced = order.replaces?.[0]?.reference ?? '';
      expect(after.orders.find((o) => replaced.endsWith(`ServiceRequest/${o.id ?? ''}`))?.status).toBe('completed');
    }
    const provenances = after.provenances.filter((p) => !before.provenances.some((b) => b.id === p.id));
    expect(provenances.length).toBeGreaterThanOrEqual((first.parameter ?? []).filter((p) => p.name === 'order').length);
    for (const p of provenances) expect(hasErrors(validate(p))).toBe(false);

    await progressOnService(planId, now);
    const second = await snapshot(hapiClient, planId);
    expect(second.planVersions).toBe(after.planVersions);
    expect(summary(second).orders).toEqual(summary(after).orders);
    expect(summary(second).phase).toBe(summary(after).phase);
    const third = await progressOnService(planId, now);
    expect(committedOf(third)).toBe(false);
    expect((await snapshot(hapiClient, planId)).provenances).toHaveLength(second.provenances.length);
  });
});

describe('stale versions on HAPI', () => {
  it('answers a stale If-Match with a version conflict (HAPI: 409; the spec: 412) and changes nothing', async () => {
    const planId = 'amara-plan';
    const plan = await hapiClient.read<CarePlan>('CarePlan', planId);
    await hapiClient.request('PUT', `CarePlan/${planId}`, { ...plan, note: [{ text: 'Reviewed.' }] });
    const failure = await hapiClient
      .request('PUT', `CarePlan/${planId}`, { ...plan, note: [{ text: 'Stale edit.' }] }, { 'if-match': `W/"${plan.meta?.versionId ?? ''}"` })
      .catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(FhirHttpError);
    expect([409, 412]).toContain((failure as FhirHttpError).serverStatus);
    const current = await hapiClient.read<CarePlan>('CarePlan', planId);
    expect(current.note?.[0]?.text).toBe('Reviewed.');
  });

  it('recovers when the plan changes between the read and the write: re-reads, recomputes, writes once', async () => {
    const { planId, now, bundle } = stories.find((s) => s.story === 'regress') ?? stories[0]!;
    await hapiClient.bundle(seedTransaction(retagged(bundle, 'race')));
    const racedPlan = `race-${planId}`;
    let raced = false;
    const client = new FhirClient({
      baseUrl: hapiBase,
      timeoutMs: 60_000,
      fetch: async (input, init) => {
        if (init?.method === 'POST' && !raced) {
          raced = true;
          const plan = await hapiClient.read<CarePlan>('CarePlan', racedPlan);
          await hapiClient.request('PUT', `CarePlan/${racedPlan}`, { ...plan, note: [{ text: 'Edited by the physiotherapist.' }] });
        }
        return fetch(input, init);
      },
    });
    const run = await progressPlan(client, racedPlan, { now });
    expect(run.attempts).toBe(2);
    expect(run.committed).toBe(true);
    const after = await snapshot(hapiClient, racedPlan);
    expect(violations(after)).toEqual([]);
    expect(after.plan.note?.[0]?.text).toBe('Edited by the physiotherapist.');
  });
});

describe('progress --all on HAPI', () => {
  it('progresses every active Gradus plan without a failure', async () => {
    const summaryOfAll = await progressAll(hapiClient, { now: '2026-11-28T03:00:00+01:00', concurrency: 2 });
    expect(summaryOfAll.failures).toEqual([]);
    expect(summaryOfAll.plans).toBeGreaterThanOrEqual(stories.length);
    for (const s of stories) expect(violations(await snapshot(hapiClient, s.planId))).toEqual([]);
  });
});

/** A copy of a patient's Bundle with every id prefixed (`race-...`) and every reference following. */
function retagged(bundle: Bundle, prefix: string): Bundle {
  const walk = (value: unknown, key: string): unknown => {
    if (typeof value === 'string' && (key === 'reference' || key === 'fullUrl')) {
      return value.replace(/([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]+)$/, `$1/${prefix}-$2`);
    }
    if (typeof value === 'string' && key === 'id') return `${prefix}-${value}`;
    if (Array.isArray(value)) return value.map((v) => walk(v, key));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    return value;
  };
  return walk(bundle, '') as Bundle;
}
