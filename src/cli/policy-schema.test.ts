import { parsePolicy } from './policy-schema';

describe('parsePolicy', () => {
  it.each([{}, { mode: 'quota-based' }, { mode: 'pain-guided', painCeiling: 0, stableSessions: 1, deloadEveryWeeks: 6, intensityBy: 'rpe' }])(
    'accepts %j',
    (value) => {
      expect(parsePolicy(value)).toEqual({ policy: value });
    },
  );

  it.each<[unknown, string]>([
    [{ mode: 'fast' }, 'mode must be one of pain-guided, quota-based'],
    [{ painCeiling: 11 }, 'painCeiling must be <= 10'],
    [{ painCeiling: -1 }, 'painCeiling must be >= 0'],
    [{ painCeiling: 4.5 }, 'painCeiling must be integer'],
    [{ stableSessions: 0 }, 'stableSessions must be >= 1'],
    [{ deloadEveryWeeks: '4' }, 'deloadEveryWeeks must be integer'],
    [{ intensityBy: 'pace' }, 'intensityBy must be one of heart-rate, rpe'],
    [{ ceiling: 5 }, "unknown property 'ceiling'"],
    [[], 'the policy must be object'],
    [null, 'the policy must be object'],
  ])('rejects %j: %s', (value, message) => {
    const result = parsePolicy(value);
    expect('error' in result && result.error).toContain(message);
  });

  it('reports every problem in one line', () => {
    const result = parsePolicy({ painCeiling: 12, mode: 'x' });
    expect('error' in result && result.error).toMatch(/^[^\n]*painCeiling[^\n]*; [^\n]*mode|^[^\n]*mode[^\n]*; [^\n]*painCeiling/);
  });
});
