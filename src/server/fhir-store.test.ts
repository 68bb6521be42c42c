import { parseSearchRequest } from '@medplum/core';
import type { Resource as MedplumResource } from '@medplum/fhirtypes';
import type { Resource } from 'fhir/r4';
import { FhirStore } from './fhir-store';
import { loadMedplumSchema } from './medplum-schema';

const resources: Resource[] = [
  { resourceType: 'Patient', id: 'p1' },
  { resourceType: 'Observation', id: 'o1', status: 'final', code: {}, subject: { reference: 'Patient/p1' } },
  { resourceType: 'Observation', id: 'o2', status: 'final', code: {}, subject: { reference: 'http://other.example/fhir/Patient/p1' } },
  { resourceType: 'Observation', id: 'o3', status: 'final', code: {}, subject: { reference: 'Patient/p2' } },
  { resourceType: 'CarePlan', id: 'c1', status: 'active', intent: 'plan', subject: { reference: 'Patient/p1' }, instantiatesCanonical: ['http://example.org/fhir/PlanDefinition/pd1'] },
  { resourceType: 'ServiceRequest', id: 's1', meta: { versionId: '3' }, status: 'active', intent: 'plan', subject: { reference: 'Patient/p1' } },
  { resourceType: 'Provenance', id: 'v1', recorded: '2026-01-01T00:00:00Z', agent: [], target: [{ reference: 'ServiceRequest/s1/_history/3' }], meta: { tag: [{ system: 'http://x', code: 'ABC' }] } },
  { resourceType: 'Provenance', id: 'v2', recorded: '2026-01-01T00:00:00Z', agent: [], target: [{ reference: 'ServiceRequest/s1' }] },
] as Resource[];

let store: FhirStore;
beforeAll(async () => {
  loadMedplumSchema();
  store = new FhirStore();
  await store.seed(resources);
});

/** Ids found by a search, through the index, and by Medplum's full scan (a _sort bypasses the index). */
async function both(query: string): Promise<[string[], string[]]> {
  const ids = async (q: string): Promise<string[]> =>
    ((await store.search(parseSearchRequest(q))).entry ?? []).map((e) => (e.resource as MedplumResource).id ?? '').sort();
  const [type, search = ''] = query.split('?');
  return [await ids(query), await ids(`${type ?? ''}?${search}&_sort=_id`)];
}

describe('the embedded store search', () => {
  it.each([
    ['Observation?subject=Patient/p1', ['o1']],
    ['Observation?subject=Patient/p1,Patient/p2', ['o1', 'o3']],
    ['Observation?subject=Patient/nobody', []],
    ['CarePlan?instantiates-canonical=http://example.org/fhir/PlanDefinition/pd1', ['c1']],
    ['Provenance?target=ServiceRequest/s1', ['v1', 'v2']],
    ['Provenance?_tag=http://x|abc', ['v1']],
    ['Provenance?_tag=http://x|ABC', ['v1']],
    ['Observation?status=final', ['o1', 'o2', 'o3']],
  ])('finds through its index what the full scan finds: %s', async (query, expected) => {
    const [indexed, scanned] = await both(query);
    expect(indexed).toEqual(scanned);
    expect(indexed).toEqual(expected);
  });
});

describe('the embedded store transactions', () => {
  it('undoes every write of a transaction that throws, and keeps those of one that succeeds', async () => {
    await expect(
      store.withTransaction(async () => {
        await store.createResource({ resourceType: 'Patient', id: 'tx-new' });
        await store.updateResource({ resourceType: 'Patient', id: 'p1', active: false });
        await store.deleteResource('Observation', 'o3');
        throw new Error('entry 4 failed');
      }),
    ).rejects.toThrow('entry 4 failed');
    await expect(store.readResource('Patient', 'tx-new')).rejects.toThrow();
    expect(await store.readResource('Patient', 'p1')).not.toHaveProperty('active');
    expect((await store.readHistory('Patient', 'p1')).entry).toHaveLength(1);
    await expect(store.readResource('Observation', 'o3')).resolves.toMatchObject({ id: 'o3' });

    await store.withTransaction(async () => {
      await store.createResource({ resourceType: 'Patient', id: 'tx-kept' });
    });
    await expect(store.readResource('Patient', 'tx-kept')).resolves.toMatchObject({ id: 'tx-kept' });
  });
});
