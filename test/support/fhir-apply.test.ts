import type { Bundle, BundleEntry, CarePlan, Provenance, Resource, ServiceRequest } from 'fhir/r4';
import { EVALUATION_KEY_SYSTEM } from '../../src/fhir/codes';
import { apply, applyTransaction, TransactionError } from './fhir-apply';
import { history } from './builder';

const NOW = '2026-11-27T09:00:00+01:00';

const store = (): Bundle =>
  history({ now: NOW, planStart: 20, phase: 'build' })
    .order({ id: 'o1', exercise: 'step-up', dose: { sets: 3, reps: 10, load: 10, step: 1 }, authoredOn: 14 })
    .checkIn(1, { pain: 2 })
    .build();

const find = <T extends Resource>(bundle: Bundle, type: T['resourceType'], id: string): T | undefined =>
  bundle.entry?.find((e) => e.resource?.resourceType === type && e.resource.id === id)?.resource as T | undefined;

const ofType = <T extends Resource>(bundle: Bundle, type: T['resourceType']): T[] =>
  (bundle.entry ?? []).flatMap((e) => (e.resource?.resourceType === type ? [e.resource as T] : []));

const transaction = (...entry: BundleEntry[]): Bundle => ({ resourceType: 'Bundle', type: 'transaction', entry });

function hold(code: string, target: string): BundleEntry {
  const resource: Provenance = {
    resourceType: 'Provenance',
    meta: { tag: [{ system: EVALUATION_KEY_SYSTEM, code }] },
    target: [{ reference: target }],
    recorded: NOW,
    agent: [{ who: { display: 'engine' } }],
  };
  return {
    fullUrl: `urn:uuid:prov-${code}`,
    resource,
    request: { method: 'POST', url: 'Provenance', ifNoneExist: `_tag=${EVALUATION_KEY_SYSTEM}|${code}` },
  };
}

function progressTransaction(ifMatch = 'W/"1"'): Bundle {
  const base = store();
  const old = find<ServiceRequest>(base, 'ServiceRequest', 'o1');
  const plan = find<CarePlan>(base, 'CarePlan', 'plan-1');
  if (!old || !plan) throw new Error('fixture incomplete');
  const created: ServiceRequest = { ...old, authoredOn: NOW, replaces: [{ reference: 'ServiceRequest/o1' }] };
  delete created.id;
  delete created.meta;
  const updatedPlan: CarePlan = { ...plan, activity: [{ reference: { reference: 'urn:uuid:new-order' } }] };
  const completed: ServiceRequest = { ...old, status: 'completed' };
  const provenance: Provenance = { resourceType: 'Provenance', target: [{ reference: 'urn:uuid:new-order' }], recorded: NOW, agent: [] };
  return transaction(
    {
      fullUrl: 'urn:uuid:new-order',
      resource: created,
      request: { method: 'POST', url: 'ServiceRequest' },
    },
    {
      resource: completed,
      request: { method: 'PUT', url: 'ServiceRequest/o1', ifMatch },
    },
    {
      resource: updatedPlan,
      request: { method: 'PUT', url: 'CarePlan/plan-1', ifMatch: 'W/"1"' },
    },
    {
      fullUrl: 'urn:uuid:prov-1',
      resource: provenance,
      request: { method: 'POST', url: 'Provenance' },
    },
  );
}

describe('applyTransaction', () => {
  it('creates POSTed resources with a new id and versionId 1', () => {
    const out = apply(store(), progressTransaction());
    const created = ofType<ServiceRequest>(out, 'ServiceRequest').filter((r) => r.id !== 'o1');
    expect(created).toHaveLength(1);
    expect(created[0]?.id).toMatch(/\S/);
    expect(created[0]?.meta?.versionId).toBe('1');
  });

  it('rewrites urn:uuid references in every resource to the assigned ids', () => {
    const out = apply(store(), progressTransaction());
    const created = ofType<ServiceRequest>(out, 'ServiceRequest').find((r) => r.id !== 'o1');
    const plan = find<CarePlan>(out, 'CarePlan', 'plan-1');
    const prov = ofType<Provenance>(out, 'Provenance')[0];
    expect(plan?.activity?.[0]?.reference?.reference).toBe(`ServiceRequest/${created?.id ?? ''}`);
    expect(prov?.target[0]?.reference).toBe(`ServiceRequest/${created?.id ?? ''}`);
    expect(JSON.stringify(out)).not.toContain('urn:uuid');
  });

  it('updates with PUT and increments versionId when ifMatch names the current version', () => {
    const out = apply(store(), progressTransaction());
    const old = find<ServiceRequest>(out, 'ServiceRequest', 'o1');
    expect(old?.status).toBe('completed');
    expect(old?.meta?.versionId).toBe('2');
    expect(find<CarePlan>(out, 'CarePlan', 'plan-1')?.meta?.versionId).toBe('2');
  });

  it('rejects a stale ifMatch with 412 and applies nothing (atomic)', () => {
    const base = store();
    const before = JSON.stringify(base);
    let caught: unknown;
    try {
      applyTransaction(base, progressTransaction('W/"7"'));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TransactionError);
    expect((caught as TransactionError).status).toBe(412);
    expect(JSON.stringify(base)).toBe(before);
  });

  it('rejects a second application of the same transaction because the versions moved on', () => {
    const once = apply(store(), progressTransaction());
    expect(() => apply(once, progressTransaction())).toThrow(TransactionError);
  });

  it('skips a conditional create whose _tag already exists and maps its urn:uuid to the existing resource', () => {
    const first = applyTransaction(store(), transaction(hold('k1', 'ServiceRequest/o1')));
    expect(first.outcomes[0]).toMatchObject({ status: '201', changed: true });
    const second = applyTransaction(first.bundle, transaction(hold('k1', 'ServiceRequest/o1')));
    expect(second.outcomes[0]).toMatchObject({ status: '200', changed: false });
    expect(ofType(second.bundle, 'Provenance')).toHaveLength(1);
    expect(JSON.stringify(second.bundle)).toBe(JSON.stringify(first.bundle));
  });

  it('creates a conditional resource when no existing resource carries the tag', () => {
    const first = apply(store(), transaction(hold('k1', 'ServiceRequest/o1')));
    const second = apply(first, transaction(hold('k2', 'ServiceRequest/o1')));
    expect(ofType(second, 'Provenance')).toHaveLength(2);
  });

  it('fails with 412 when a conditional create matches more than one resource', () => {
    const twice = apply(store(), transaction(hold('k1', 'ServiceRequest/o1'), { ...hold('k2', 'ServiceRequest/o1') }));
    const tagged = ofType<Provenance>(twice, 'Provenance').map((p) => ({ ...p, meta: { tag: [{ system: EVALUATION_KEY_SYSTEM, code: 'same' }] } }));
    const dup: Bundle = { ...twice, entry: [...(store().entry ?? []), ...tagged.map((resource) => ({ resource }))] };
    expect(() => apply(dup, transaction(hold('same', 'ServiceRequest/o1')))).toThrow(
      expect.objectContaining({ status: 412 }) as Error,
    );
  });

  it('rejects a non-transaction Bundle and unsupported methods', () => {
    expect(() => apply(store(), { resourceType: 'Bundle', type: 'batch' })).toThrow(TransactionError);
    expect(() => apply(store(), transaction({ request: { method: 'DELETE', url: 'ServiceRequest/o1' } }))).toThrow(TransactionError);
  });

  it('never mutates the collection or the transaction', () => {
    const base = store();
    const tx = progressTransaction();
    const before = [JSON.stringify(base), JSON.stringify(tx)];
    apply(base, tx);
    expect([JSON.stringify(base), JSON.stringify(tx)]).toEqual(before);
  });

  it('keeps the collection type and timestamp and gives every entry a fullUrl', () => {
    const out = apply(store(), progressTransaction());
    expect(out.type).toBe('collection');
    expect(out.timestamp).toBe(NOW);
    for (const e of out.entry ?? []) expect(e.fullUrl).toBe(`https://example.org/fhir/${e.resource?.resourceType ?? ''}/${e.resource?.id ?? ''}`);
  });
});
