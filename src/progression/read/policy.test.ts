import type { CarePlan, Extension, OperationOutcomeIssue } from 'fhir/r4';
import { EXT } from '../../fhir/codes';
import { resolvePolicy } from './policy';
import { DEFAULT_POLICY, type Policy } from '../types';

function planWith(parts?: Extension[]): CarePlan {
  return {
    resourceType: 'CarePlan',
    status: 'active',
    intent: 'plan',
    subject: { reference: 'Patient/p1' },
    extension: parts ? [{ url: EXT.progressionPhase, valueCode: 'build' }, { url: EXT.progressionPolicy, extension: parts }] : [],
  };
}

function resolve(parts: Extension[] | undefined, overrides?: Partial<Policy>): { policy: Policy; issues: OperationOutcomeIssue[] } {
  const issues: OperationOutcomeIssue[] = [];
  const policy = resolvePolicy({ plan: planWith(parts), planPath: 'CarePlan', ...(overrides ? { overrides } : {}), issues });
  return { policy, issues };
}

describe('resolvePolicy', () => {
  it('uses the defaults when the plan has no progression-policy', () => {
    expect(resolve(undefined)).toEqual({ policy: { ...DEFAULT_POLICY }, issues: [] });
  });

  it('lets the plan extension override the defaults and the caller override the plan', () => {
    const parts: Extension[] = [
      { url: 'mode', valueCode: 'quota-based' },
      { url: 'painCeiling', valueInteger: 4 },
      { url: 'stableSessions', valueInteger: 3 },
      { url: 'intensityBy', valueCode: 'heart-rate' },
    ];
    expect(resolve(parts).policy).toEqual({ mode: 'quota-based', painCeiling: 4, stableSessions: 3, deloadEveryWeeks: 4, intensityBy: 'heart-rate' });
    expect(resolve(parts, { painCeiling: 6, intensityBy: 'rpe' }).policy).toEqual({
      mode: 'quota-based',
      painCeiling: 6,
      stableSessions: 3,
      deloadEveryWeeks: 4,
      intensityBy: 'rpe',
    });
  });

  it.each<[string, Extension[] | undefined, Partial<Policy> | undefined, string, RegExp]>([
    ['an unknown mode', [{ url: 'mode', valueCode: 'random' }], undefined, 'CarePlan.extension[1].extension[0].value', /mode 'random' is not one of pain-guided, quota-based/],
    ['a pain ceiling of 11', [{ url: 'mode', valueCode: 'pain-guided' }, { url: 'painCeiling', valueInteger: 11 }], undefined, 'CarePlan.extension[1].extension[1].value', /painCeiling 11 must be an integer from 0 to 10/],
    ['deloadEveryWeeks 0', [{ url: 'deloadEveryWeeks', valueInteger: 0 }], undefined, 'CarePlan.extension[1].extension[0].value', /deloadEveryWeeks 0/],
    ['an unknown intensityBy', [{ url: 'intensityBy', valueCode: 'watts' }], undefined, 'CarePlan.extension[1].extension[0].value', /intensityBy 'watts'/],
    ['a caller stableSessions of 0', undefined, { stableSessions: 0 }, 'policy.stableSessions', /policy stableSessions 0 must be an integer from 1 to 100/],
    ['a caller painCeiling of 4.5', undefined, { painCeiling: 4.5 }, 'policy.painCeiling', /policy painCeiling 4.5/],
  ])('reports %s', (_name, parts, overrides, expression, message) => {
    const { issues } = resolve(parts, overrides);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: 'error', expression: [expression], diagnostics: expect.stringMatching(message) as string });
  });
});
