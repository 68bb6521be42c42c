import type { OperationOutcomeIssue } from 'fhir/r4';
import { checkShape, DOSE_EXTENSION, OBSERVATION, ORDER, PLAN, type Shape } from './shape';

function problems(value: unknown, shape: Shape): { expression?: string; diagnostics?: string }[] {
  const issues: OperationOutcomeIssue[] = [];
  checkShape(value, shape, { path: 'Bundle.entry[3].resource', name: 'pain score Observation/o1', issues });
  return issues.map((i) => ({ expression: i.expression?.[0], diagnostics: i.diagnostics }));
}

const painScore = {
  resourceType: 'Observation',
  id: 'o1',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '72514-3' }] },
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: '2026-11-20T08:00:00+01:00',
  valueInteger: 3,
};

describe('checkShape', () => {
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a null effectiveDateTime, at the choice base name', { effectiveDateTime: null }, 'Bundle.entry[3].resource.effective', /effective is null, expected a string/],
    ['a decimal valueInteger', { valueInteger: 3.5 }, 'Bundle.entry[3].resource.value', /value is number 3.5, expected an integer/],
    ['a code.coding that is an object', { code: { coding: { code: '72514-3' } } }, 'Bundle.entry[3].resource.code.coding', /expected a list/],
    ['a null in code.coding, with its index', { code: { coding: [{ code: 'a' }, null] } }, 'Bundle.entry[3].resource.code.coding[1]', /coding\[1\] is null, expected an object/],
    ['a component without an object code', { component: [{ code: 'pain' }] }, 'Bundle.entry[3].resource.component[0].code', /expected an object/],
    ['a component value Quantity whose value is a string', { component: [{ valueQuantity: { value: '7' } }] }, 'Bundle.entry[3].resource.component[0].value.value', /the string "7", expected a number/],
    ['a numeric status', { status: 42 }, 'Bundle.entry[3].resource.status', /status is number 42/],
    ['a valueBoolean given as a string', { valueBoolean: 'true' }, 'Bundle.entry[3].resource.value', /expected true or false/],
    ['a meta.profile that is a string', { meta: { profile: 'x' } }, 'Bundle.entry[3].resource.meta.profile', /expected a list/],
  ])('reports %s', (_name, change, expression, message) => {
    expect(problems({ ...painScore, ...change }, OBSERVATION)).toEqual([{ expression, diagnostics: expect.stringMatching(message) as string }]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['the well-formed pain score', {}],
    ['an element the engine does not read, of any type', { note: 42, interpretation: null }],
    ['a valueQuantity with a decimal value', { valueInteger: undefined, valueQuantity: { value: 3.5, code: '{score}' } }],
    ['an empty component list', { component: [] }],
  ])('accepts %s', (_name, change) => {
    expect(problems({ ...painScore, ...change }, OBSERVATION)).toEqual([]);
  });

  it('reports every malformed element, not only the first', () => {
    expect(problems({ ...painScore, status: 1, subject: 'Patient/p1', component: [null] }, OBSERVATION).map((p) => p.expression)).toEqual([
      'Bundle.entry[3].resource.status',
      'Bundle.entry[3].resource.subject',
      'Bundle.entry[3].resource.component[0]',
    ]);
  });

  it.each<[string, Shape, unknown, string | undefined]>([
    ['a null in the plan extension list', PLAN, { extension: [{ url: 'a' }, null] }, 'Bundle.entry[3].resource.extension[1]'],
    ['a nested extension list that is a number', PLAN, { extension: [{ url: 'a', extension: 42 }] }, 'Bundle.entry[3].resource.extension[0].extension'],
    ['a plan activity reference that is a string', PLAN, { activity: [{ reference: 'ServiceRequest/s1' }] }, 'Bundle.entry[3].resource.activity[0].reference'],
    ['a plan with well-formed extensions', PLAN, { extension: [{ url: 'a', valueCode: 'build' }] }, undefined],
    ['an order replaces list that is an object', ORDER, { replaces: { reference: 'ServiceRequest/s0' } }, 'Bundle.entry[3].resource.replaces'],
    ['an order frequency of 2.5', ORDER, { occurrenceTiming: { repeat: { frequency: 2.5 } } }, 'Bundle.entry[3].resource.occurrenceTiming.repeat.frequency'],
    ['an order frequency of 2', ORDER, { occurrenceTiming: { repeat: { frequency: 2 } } }, undefined],
    ['a dose sets of "3"', DOSE_EXTENSION, { extension: [{ url: 'sets', valueInteger: '3' }] }, 'Bundle.entry[3].resource.extension[0].value'],
    ['a dose load Quantity that is a number', DOSE_EXTENSION, { extension: [{ url: 'load', valueQuantity: 5 }] }, 'Bundle.entry[3].resource.extension[0].value'],
    ['a dose rpeTarget whose low is null', DOSE_EXTENSION, { extension: [{ url: 'rpeTarget', valueRange: { low: null } }] }, 'Bundle.entry[3].resource.extension[0].value.low'],
    ['a well-formed dose', DOSE_EXTENSION, { extension: [{ url: 'sets', valueInteger: 3 }, { url: 'load', valueQuantity: { value: 5, code: 'kg' } }] }, undefined],
  ])('plan, order and dose shapes: %s', (_name, shape, value, expression) => {
    expect(problems(value, shape).map((p) => p.expression)).toEqual(expression === undefined ? [] : [expression]);
  });
});
