import type { Bundle, Resource } from 'fhir/r4';
import { whatChanged } from './progress-plan';

const bundle = (...resources: Resource[]): Bundle => ({ resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) });
const order = (id: string, versionId: string, status: 'active' | 'completed' | 'revoked') =>
  ({ resourceType: 'ServiceRequest', id, meta: { versionId }, status, intent: 'plan', subject: {} }) as Resource;
const plan = (versionId: string) => ({ resourceType: 'CarePlan', id: 'p', meta: { versionId }, status: 'active', intent: 'plan', subject: {} }) as Resource;

describe('whatChanged', () => {
  it.each([
    ['nothing', bundle(plan('1'), order('a', '1', 'active')), bundle(plan('1'), order('a', '1', 'active')), []],
    ['a new plan version', bundle(plan('1')), bundle(plan('2')), ['CarePlan/p changed (version 1 -> 2)']],
    ['a status change', bundle(order('a', '1', 'active')), bundle(order('a', '2', 'revoked')), ['ServiceRequest/a changed (version 1 -> 2, status active -> revoked)']],
    ['a new and a removed resource', bundle(order('a', '1', 'active')), bundle(order('b', '1', 'active')), ['ServiceRequest/b is new', 'ServiceRequest/a is gone']],
  ])('describes %s', (_name, before, after, expected) => {
    expect(whatChanged(before, after)).toEqual(expected);
  });
});
