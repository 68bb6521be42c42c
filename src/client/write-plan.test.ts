import type { Bundle, CarePlan, ServiceRequest } from 'fhir/r4';
import { commitTransaction } from './write-plan';

const provenance = (key: string) => ({
  fullUrl: `urn:uuid:${key}`,
  resource: { resourceType: 'Provenance' as const, target: [{ reference: 'urn:uuid:new' }], recorded: '2026-11-27T09:00:00+01:00', agent: [] },
  request: { method: 'POST' as const, url: 'Provenance', ifNoneExist: `_tag=https://gradus.health/fhir/CodeSystem/evaluation-key|${key}` },
});

describe('commitTransaction', () => {
  it('puts the changes and every Provenance in one transaction, the Provenances as plain creates', () => {
    const engine: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:new', resource: { resourceType: 'ServiceRequest', status: 'active', intent: 'plan', subject: {} } as ServiceRequest, request: { method: 'POST', url: 'ServiceRequest' } },
        { resource: { resourceType: 'CarePlan', id: 'p', status: 'active', intent: 'plan', subject: {} } as CarePlan, request: { method: 'PUT', url: 'CarePlan/p', ifMatch: 'W/"1"' } },
        provenance('k1'),
        provenance('k2'),
      ],
    };
    const commit = commitTransaction(engine);
    expect(commit?.type).toBe('transaction');
    expect(commit?.entry?.map((e) => `${e.request?.method ?? ''} ${e.request?.url ?? ''}`)).toEqual(['POST ServiceRequest', 'PUT CarePlan/p', 'POST Provenance', 'POST Provenance']);
    expect(commit?.entry?.some((e) => e.request?.ifNoneExist !== undefined)).toBe(false);
    expect(commit?.entry?.[1]?.request?.ifMatch).toBe('W/"1"');
    expect(engine.entry?.[2]?.request?.ifNoneExist).toBeDefined();
  });

  it('is undefined when nothing changes (only hold Provenances)', () => {
    expect(commitTransaction({ resourceType: 'Bundle', type: 'transaction', entry: [provenance('k1')] })).toBeUndefined();
  });
});
