import type { Bundle, CarePlan, ServiceRequest } from 'fhir/r4';
import { CS } from '../fhir/codes';
import { orderView, personName, planView } from './plan-view';

const order = (id: string, o: Partial<ServiceRequest> = {}): ServiceRequest => ({
  resourceType: 'ServiceRequest',
  id,
  status: 'active',
  intent: 'order',
  subject: { reference: 'Patient/x' },
  code: { coding: [{ system: CS.exercise, code: 'sit-to-stand' }] },
  ...o,
});

describe('an order as the page shows it', () => {
  it.each<[string, ServiceRequest['occurrenceTiming'], number | undefined]>([
    ['3 per week', { repeat: { frequency: 3, period: 1, periodUnit: 'wk' } }, 3],
    ['6 every 2 weeks', { repeat: { frequency: 6, period: 2, periodUnit: 'wk' } }, 3],
    ['1 a day', { repeat: { frequency: 1, period: 1, periodUnit: 'd' } }, 7],
    ['no frequency', { repeat: { period: 1, periodUnit: 'wk' } }, undefined],
    ['an hourly period (not a schedule of sessions)', { repeat: { frequency: 1, period: 1, periodUnit: 'h' } }, undefined],
  ])('%s is %j sessions per week', (_what, timing, perWeek) => {
    expect(orderView(order('o', { occurrenceTiming: timing })).perWeek).toBe(perWeek);
  });

  it.each<[string, Partial<ServiceRequest>, Map<string, string>, string]>([
    ['the engine\'s catalogue name first', {}, new Map([['o', 'Sit-to-stand (catalogue)']]), 'Sit-to-stand (catalogue)'],
    ['then the coding\'s display', { code: { coding: [{ system: CS.exercise, code: 'x', display: 'Wall push-up' }] } }, new Map(), 'Wall push-up'],
    ['then code.text', { code: { text: 'box squat', coding: [{ system: CS.exercise, code: 'squat' }] } }, new Map(), 'Box squat'],
    ['else the code', {}, new Map(), 'Sit-to-stand'],
  ])('is named by %s', (_what, o, names, expected) => {
    expect(orderView(order('o', o), names).exercise).toBe(expected);
  });
});

describe('a person\'s name', () => {
  it.each([
    [[{ text: 'Dr Alex Morgan', family: 'Morgan' }], 'Dr Alex Morgan'],
    [[{ prefix: ['Dr'], given: ['Alex', 'J.'], family: 'Morgan' }], 'Dr Alex J. Morgan'],
    [[{ text: '  ' }, { family: 'Okafor' }], 'Okafor'],
    [[], undefined],
    [undefined, undefined],
  ])('%j reads %j', (names, expected) => {
    expect(personName(names)).toBe(expected);
  });
});

describe('replaces chains', () => {
  it('follow an order back to the first one, and stop at a loop or a missing link', () => {
    const plan: CarePlan = {
      resourceType: 'CarePlan',
      id: 'p',
      status: 'active',
      intent: 'plan',
      subject: { reference: 'Patient/x' },
      activity: [{ reference: { reference: 'ServiceRequest/c' } }, { reference: { reference: 'ServiceRequest/loop-a' } }, { reference: { reference: 'ServiceRequest/gone' } }],
    };
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        order('a'),
        order('b', { replaces: [{ reference: 'ServiceRequest/a' }] }),
        order('c', { replaces: [{ reference: 'ServiceRequest/b' }] }),
        order('loop-a', { replaces: [{ reference: 'ServiceRequest/loop-b' }] }),
        order('loop-b', { replaces: [{ reference: 'ServiceRequest/loop-a' }] }),
      ].map((resource) => ({ resource })),
    };
    const view = planView(bundle, plan);
    expect(view.chains.map((c) => c.orders.map((o) => o.id))).toEqual([['a', 'b', 'c'], ['loop-b', 'loop-a']]);
    expect(view.patientName).toBe('Patient x');
  });
});
