import type { CarePlan, ServiceRequest } from 'fhir/r4';
import type { ProgressResult } from '../progression/progress';
import { renderSummary } from './summary';

const newOrder: ServiceRequest = { resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject: {} };
const updatedPlan: CarePlan = { resourceType: 'CarePlan', status: 'active', intent: 'plan', subject: {} };

const result: ProgressResult = {
  plan: { planId: 'plan1', phaseFrom: 'build', phaseTo: 'build' },
  orders: [
    {
      orderId: 'order-strength',
      exercise: 'Sit-to-stand',
      domain: 'strength',
      decision: 'progress',
      rationale: '**Progress**: the last 2 sessions qualified\n(pain during 3/10 <= ceiling 5).',
      from: { sets: 3, reps: 10, load: 6, step: 3 },
      to: { sets: 3, reps: 10, load: 6.5, step: 4 },
      evidence: ['Observation/s1'],
    },
    {
      orderId: 'order-walk',
      exercise: 'Walking',
      domain: 'endurance',
      decision: 'hold',
      rationale: 'fewer than 2 sessions yet',
      from: { duration: { value: 20, unit: 'min' } },
      to: { duration: { value: 20, unit: 'min' } },
      evidence: [],
    },
  ],
  transaction: {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { resource: newOrder, request: { method: 'POST', url: 'ServiceRequest' } },
      { resource: updatedPlan, request: { method: 'PUT', url: 'CarePlan/plan1' } },
    ],
  },
};

describe('renderSummary', () => {
  const text = renderSummary(result, 'Patient/p1');
  const lines = text.trimEnd().split('\n');

  it('starts with the patient, the plan, the phase and the plan decision', () => {
    expect(lines[0]).toBe('Patient: Patient/p1  |  Plan: plan1  |  Phase: build (unchanged)  |  Plan decision: none (each order decided by the order rules)');
  });

  it('prints one aligned row per order with the decision, old -> new dose and the reason on one line', () => {
    expect(lines[2]).toMatch(/^ORDER\s+EXERCISE\s+DECISION\s+DOSE\s+REASON$/);
    expect(lines[3]).toMatch(/^order-strength\s+Sit-to-stand\s+progress\s+3 x 10 at 6 kg -> 3 x 10 at 6\.5 kg\s+\*\*Progress\*\*: the last 2 sessions qualified \(pain during 3\/10 <= ceiling 5\)\.$/);
    expect(lines[4]).toMatch(/^order-walk\s+Walking\s+hold\s+20 min \(unchanged\)\s+fewer than 2 sessions yet$/);
    const column = (line: string | undefined): number => line?.indexOf('DECISION') ?? -1;
    expect(lines[3]?.indexOf('progress')).toBe(column(lines[2]));
    expect(lines[4]?.indexOf('hold')).toBe(column(lines[2]));
  });

  it('ends with what the transaction writes', () => {
    expect(lines.at(-1)).toBe('Transaction: 2 entries (1 new order, 0 order updates, 1 plan update, 0 Provenances)');
  });

  it('names the phase change and the plan rule that fired', () => {
    const flare = renderSummary({ ...result, plan: { planId: 'plan1', phaseFrom: 'build', phaseTo: 'flare', decision: 'flare-protocol', rationale: 'pain 6 >= B 3 + 2' } });
    expect(flare.split('\n')[0]).toBe('Patient: unknown  |  Plan: plan1  |  Phase: build -> flare  |  Plan decision: flare-protocol: pain 6 >= B 3 + 2');
  });

  it('says so when no order was evaluated', () => {
    expect(renderSummary({ ...result, orders: [] })).toContain('No current orders were evaluated.');
  });
});
