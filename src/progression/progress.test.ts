import type { Bundle, BundleEntry, CarePlan, Provenance, ServiceRequest } from 'fhir/r4';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apply, applyTransaction } from '../../test/support/fhir-apply';
import { EVALUATION_KEY_SYSTEM, EXT } from '../fhir/codes';
import { OperationOutcomeError } from '../fhir/outcome';
import { readDose } from './dose/dose';
import { ENGINE_VERSION, isDateTimeWithOffset, progress } from './progress';

const DEMO_DIR = join(__dirname, '..', '..', 'fixtures', 'demo');
const demo = (name: string): Bundle => JSON.parse(readFileSync(join(DEMO_DIR, `${name}.json`), 'utf8')) as Bundle;
const nowOf = (bundle: Bundle): string => bundle.timestamp ?? '';
const DEMOS = readdirSync(DEMO_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

const entries = (bundle: Bundle): BundleEntry[] => bundle.entry ?? [];
const ofType = <T>(bundle: Bundle, type: string): T[] =>
  entries(bundle).flatMap((e) => (e.resource?.resourceType === type ? [e.resource as T] : []));

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function outcomeOf(run: () => unknown): OperationOutcomeError {
  try {
    run();
  } catch (err) {
    if (err instanceof OperationOutcomeError) return err;
    throw err;
  }
  throw new Error('expected an OperationOutcomeError');
}

describe('progress on the demo patients', () => {
  it('finds the demo patients', () => {
    expect(DEMOS.length).toBeGreaterThanOrEqual(10);
  });

  it.each(DEMOS)('%s: never mutates its (deep-frozen) input and gives byte-identical output on a re-run', (name) => {
    const bundle = deepFreeze(demo(name));
    const first = progress(bundle, { now: nowOf(bundle) });
    const second = progress(bundle, { now: nowOf(bundle) });
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(JSON.stringify(bundle)).toBe(JSON.stringify(demo(name)));
  });

  it.each(DEMOS)('%s: the transaction applies cleanly and one Provenance per decided order is written', (name) => {
    const bundle = demo(name);
    const result = progress(bundle, { now: nowOf(bundle) });
    const { outcomes } = applyTransaction(bundle, result.transaction);
    expect(outcomes).toHaveLength(entries(result.transaction).length);
    const phaseChanged = result.plan.phaseFrom !== result.plan.phaseTo;
    const expected = result.plan.phaseFrom === 'referred' ? 0 : result.orders.length + (phaseChanged ? 1 : 0);
    expect(ofType<Provenance>(result.transaction, 'Provenance')).toHaveLength(expected);
  });

  it('reports each order with its exercise, domain and old and new dose', () => {
    const result = progress(demo('progressing'), { now: nowOf(demo('progressing')) });
    const sitToStand = result.orders.find((o) => o.orderId === 'amara-sit-to-stand-2');
    expect(sitToStand).toMatchObject({ exercise: 'Sit-to-stand', domain: 'strength', decision: 'progress' });
    expect(sitToStand?.from).toEqual({ sets: 3, reps: 10, load: 8, step: 2 });
    const created = ofType<ServiceRequest>(result.transaction, 'ServiceRequest').find((o) => o.status === 'active' && o.code?.coding?.[0]?.code === 'sit-to-stand');
    expect(created && readDose(created)).toEqual(sitToStand?.to);
    expect(sitToStand?.to).not.toEqual(sitToStand?.from);
    expect(sitToStand?.evidence.length).toBeGreaterThan(0);
  });

  it('after applying a progression, the plan lists the new orders and the old ones are completed', () => {
    const bundle = demo('progressing');
    const result = progress(bundle, { now: nowOf(bundle) });
    const after = apply(bundle, result.transaction);
    const plan = ofType<CarePlan>(after, 'CarePlan')[0];
    const listed = (plan?.activity ?? []).map((a) => a.reference?.reference);
    for (const decided of result.orders.filter((o) => o.decision === 'progress')) {
      expect(listed).not.toContain(`ServiceRequest/${decided.orderId}`);
      const old = ofType<ServiceRequest>(after, 'ServiceRequest').find((o) => o.id === decided.orderId);
      expect(old?.status).toBe('completed');
      const successor = ofType<ServiceRequest>(after, 'ServiceRequest').find((o) => o.replaces?.[0]?.reference === `ServiceRequest/${decided.orderId}`);
      expect(listed).toContain(`ServiceRequest/${successor?.id ?? 'missing'}`);
    }
  });

  it('re-running on the same data after a hold writes nothing new', () => {
    const bundle = demo('holding');
    const first = progress(bundle, { now: nowOf(bundle) });
    expect(first.orders.every((o) => o.decision === 'hold')).toBe(true);
    const after = apply(bundle, first.transaction);
    const rerun = progress(after, { now: nowOf(bundle) });
    expect(applyTransaction(after, rerun.transaction).outcomes.every((o) => !o.changed)).toBe(true);
  });

  it('writes nothing in phase referred', () => {
    const bundle = demo('red-flag');
    const referred = apply(bundle, progress(bundle, { now: nowOf(bundle) }).transaction);
    const result = progress(referred, { now: nowOf(bundle) });
    expect(result.plan).toMatchObject({ phaseFrom: 'referred', phaseTo: 'referred' });
    expect(result.transaction.entry).toBeUndefined();
  });

  it('on refer, puts every current order on hold and moves the plan to referred', () => {
    const bundle = demo('red-flag');
    const result = progress(bundle, { now: nowOf(bundle) });
    const after = apply(bundle, result.transaction);
    const plan = ofType<CarePlan>(after, 'CarePlan')[0];
    expect(plan?.extension?.find((e) => e.url === EXT.progressionPhase)?.valueCode).toBe('referred');
    for (const o of result.orders) {
      expect(ofType<ServiceRequest>(after, 'ServiceRequest').find((r) => r.id === o.orderId)?.status).toBe('on-hold');
    }
    expect(ofType<ServiceRequest>(result.transaction, 'ServiceRequest').every((r) => r.id !== undefined)).toBe(true);
  });
});

describe('progress: concurrency guards for Bundles read from a server', () => {
  const withVersion = (source: Bundle, versionId: string | undefined, type: Bundle['type'] = 'searchset'): Bundle => ({
    ...source,
    type,
    entry: entries(source).map((e) => {
      if (!e.resource) return e;
      const meta = { ...e.resource.meta };
      if (versionId === undefined) delete meta.versionId;
      else meta.versionId = versionId;
      return { ...e, resource: { ...e.resource, meta } };
    }),
  });

  it('requires a version on everything it updates when the Bundle is a search result', () => {
    const bundle = withVersion(demo('progressing'), undefined);
    const error = outcomeOf(() => progress(bundle, { now: nowOf(bundle) }));
    const expressions = error.outcome.issue.map((i) => i.expression?.[0]);
    expect(expressions.length).toBeGreaterThan(1);
    for (const expression of expressions) expect(expression).toMatch(/^Bundle\.entry\[\d+\]\.resource\.meta\.versionId$/);
  });

  it('guards every update with If-Match when the resources carry versions', () => {
    const source = demo('progressing');
    const versioned = withVersion(source, '3');
    const puts = entries(progress(versioned, { now: nowOf(source) }).transaction).filter((e) => e.request?.method === 'PUT');
    expect(puts.length).toBeGreaterThan(0);
    for (const put of puts) expect(put.request?.ifMatch).toBe('W/"3"');
  });

  it('writes without If-Match from a hand-made collection without versions', () => {
    const bundle = withVersion(demo('progressing'), undefined, 'collection');
    const puts = entries(progress(bundle, { now: nowOf(bundle) }).transaction).filter((e) => e.request?.method === 'PUT');
    expect(puts.length).toBeGreaterThan(0);
    for (const put of puts) expect(put.request?.ifMatch).toBeUndefined();
  });
});

describe('progress: bad input', () => {
  it.each(['2026-11-27', '2026-11-27T09:00:00', '2026-11-27T09:00+01:00', '2026-02-30T09:00:00Z', '2026-11-27T24:00:00Z', 'yesterday', ''])(
    'rejects now = %j',
    (now) => {
      const error = outcomeOf(() => progress(demo('holding'), { now }));
      expect(error.outcome.issue).toEqual([expect.objectContaining({ severity: 'error', expression: ['now'] })]);
    },
  );

  it.each(['2026-11-27T09:00:00+01:00', '2026-11-27T08:00:00.123Z', '2026-11-27T23:59:59-05:00'])('accepts now = %j', (now) => {
    expect(isDateTimeWithOffset(now)).toBe(true);
  });

  it('collects every problem of a policy override', () => {
    const error = outcomeOf(() => progress(demo('holding'), { now: nowOf(demo('holding')), policy: { painCeiling: 12, stableSessions: 0 } }));
    expect(error.outcome.issue.map((i) => i.expression?.[0])).toEqual(['policy.painCeiling', 'policy.stableSessions']);
  });

  it('rejects something that is not a Bundle', () => {
    const notABundle = { resourceType: 'Patient', id: 'p' } as unknown as Bundle;
    expect(() => progress(notABundle, { now: '2026-11-27T09:00:00+01:00' })).toThrow(OperationOutcomeError);
  });
});

describe('progress: Provenance content', () => {
  it('names the engine version and tags each Provenance with its evaluation key', () => {
    const bundle = demo('flare');
    const provenances = ofType<Provenance>(progress(bundle, { now: nowOf(bundle) }).transaction, 'Provenance');
    for (const p of provenances) {
      expect(p.agent[0]?.who?.display).toBe(`Gradus ${ENGINE_VERSION}`);
      expect(p.meta?.tag?.[0]?.system).toBe(EVALUATION_KEY_SYSTEM);
    }
    expect(provenances[0]?.target).toEqual([{ reference: 'CarePlan/carmen-plan' }]);
  });

  it('keeps ENGINE_VERSION equal to the package version', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(ENGINE_VERSION).toBe(pkg.version);
  });
});
