import type { CarePlan, ServiceRequest } from 'fhir/r4';
import { canonicalJson, deterministicUuid, evaluationKey, resourceVersion, type EvaluationKeyInput } from './evaluation-key';

const plan: CarePlan = { resourceType: 'CarePlan', id: 'p', meta: { versionId: '2' }, status: 'active', intent: 'plan', subject: {} };
const order: ServiceRequest = { resourceType: 'ServiceRequest', id: 'o', meta: { versionId: '5' }, status: 'active', intent: 'order', subject: {} };
const base: EvaluationKeyInput = { plan, order, decision: 'hold', evidence: ['Observation/1', 'Observation/2'] };

describe('canonicalJson', () => {
  it('sorts object keys at every depth, keeps array order and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined, b: null } })).toBe('{"a":{"b":null,"d":[2,1]},"b":1}');
  });
});

describe('resourceVersion', () => {
  it('is the server versionId when there is one', () => {
    expect(resourceVersion(order)).toBe('5');
  });

  it('is a content hash otherwise, which changes with the content', () => {
    const unversioned: ServiceRequest = { ...order, meta: {} };
    const changed: ServiceRequest = { ...unversioned, status: 'on-hold' };
    const a = resourceVersion(unversioned);
    expect(a).toMatch(/^sha256-[0-9a-f]{16}$/);
    expect(resourceVersion(changed)).not.toBe(a);
  });
});

describe('evaluationKey', () => {
  it('is a 64-digit hex SHA-256, stable for the same input', () => {
    expect(evaluationKey(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(evaluationKey(base)).toBe(evaluationKey({ ...base, evidence: ['Observation/2', 'Observation/1', 'Observation/2'] }));
  });

  it.each<[string, Partial<EvaluationKeyInput>]>([
    ['plan version', { plan: { ...plan, meta: { versionId: '3' } } }],
    ['order', { order: { ...order, id: 'other' } }],
    ['decision', { decision: 'progress' }],
    ['outcome', { outcome: { newStatus: 'on-hold' } }],
    ['evidence', { evidence: ['Observation/1'] }],
  ])('changes with the %s', (_what, change) => {
    expect(evaluationKey({ ...base, ...change })).not.toBe(evaluationKey(base));
  });
});

describe('deterministicUuid', () => {
  it('is an RFC 9562 version 8 UUID determined by its parts', () => {
    const uuid = deterministicUuid('order', 'k', '2026-01-01T00:00:00Z');
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicUuid('order', 'k', '2026-01-01T00:00:00Z')).toBe(uuid);
    expect(deterministicUuid('provenance', 'k', '2026-01-01T00:00:00Z')).not.toBe(uuid);
  });

  it('does not confuse part boundaries', () => {
    expect(deterministicUuid('ab', 'c')).not.toBe(deterministicUuid('a', 'bc'));
  });
});
