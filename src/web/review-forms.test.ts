import type { Dose } from '../progression';
import { outcome, issue } from '../fhir/outcome';
import { editErrors, editFields, parseEdit, parseReject, parseShown } from './review-forms';

const DIGEST = 'a1'.repeat(32);

describe('the proposal a review form answers', () => {
  it.each([
    [{ now: '2026-11-27T09:00:00+01:00', digest: DIGEST }, { now: '2026-11-27T09:00:00+01:00', digest: DIGEST }],
    [{ now: '2026-11-27T09:00:00Z', digest: DIGEST }, { now: '2026-11-27T09:00:00Z', digest: DIGEST }],
    [{ now: '2026-11-27T09:00+01:00', digest: DIGEST }, undefined],
    [{ now: '2026-11-27T09:00:00', digest: DIGEST }, undefined],
    [{ now: '2026-11-27T09:00:00Z', digest: 'A1'.repeat(32) }, undefined],
    [{ now: '2026-11-27T09:00:00Z', digest: 'xyz' }, undefined],
    [{ digest: DIGEST }, undefined],
  ])('%j reads as %j', (form, expected) => {
    expect(parseShown(form)).toEqual(expected);
  });
});

describe('the reason for rejecting', () => {
  it.each([
    ['Travelling', { ok: true, values: { reason: 'Travelling' } }],
    ['  Knee\r\nswollen  ', { ok: true, values: { reason: 'Knee\nswollen' } }],
    ['abc', { ok: true, values: { reason: 'abc' } }],
    ['ab', { ok: false, errors: { reason: 'Enter a reason of at least 3 characters.' } }],
    ['      ', { ok: false, errors: { reason: 'Enter a reason of at least 3 characters.' } }],
    ['x'.repeat(500), { ok: true, values: { reason: 'x'.repeat(500) } }],
    ['x'.repeat(501), { ok: false, errors: { reason: 'Enter a reason of at most 500 characters (this one has 501).' } }],
    ['bell\u0007 rings', { ok: false, errors: { reason: 'Enter the reason as plain text.' } }],
  ])('%j gives %j', (reason, expected) => {
    expect(parseReject({ reason })).toEqual(expected);
  });
});

const STRENGTH: Dose = { sets: 3, reps: 10, load: 8.5, step: 3 };
const WALK: Dose = { duration: { value: 22, unit: 'min' }, rpeTarget: { low: 4, high: 6 }, step: 2 };
const HOLD: Dose = { sets: 3, duration: { value: 35, unit: 's' }, step: 2 };

describe('an edited dose', () => {
  it.each([
    [STRENGTH, ['Sets', 'Reps', 'Load (kg)']],
    [WALK, ['Duration (min)']],
    [HOLD, ['Sets', 'Hold (s)']],
  ])('%j is edited with the inputs %j', (dose, labels) => {
    expect(editFields(dose).map((f) => f.label)).toEqual(labels);
  });

  it.each<[Dose, Record<string, string>, ReturnType<typeof parseEdit>]>([
    [STRENGTH, { sets: '3', reps: '12', load: '8' }, { ok: true, values: { sets: 3, reps: 12, load: 8, step: 3 } }],
    [STRENGTH, { sets: '2', reps: '10', load: '7,5', duration: '99' }, { ok: true, values: { sets: 2, reps: 10, load: 7.5, step: 3 } }],
    [WALK, { duration: '20.5' }, { ok: true, values: { duration: { value: 20.5, unit: 'min' }, rpeTarget: { low: 4, high: 6 }, step: 2 } }],
    [HOLD, { sets: '3', duration: '30' }, { ok: true, values: { sets: 3, duration: { value: 30, unit: 's' }, step: 2 } }],
    [STRENGTH, { sets: '', reps: '0', load: '600' }, { ok: false, errors: { sets: 'Enter a whole number from 1 to 20.', reps: 'Enter a whole number from 1 to 200.', load: 'Enter a number from 0 to 500.' } }],
    [WALK, { duration: '0.5' }, { ok: false, errors: { duration: 'Enter a number from 1 to 600.' } }],
    [WALK, { duration: '20.25' }, { ok: false, errors: { duration: 'Enter a number from 1 to 600 with at most 1 decimal place.' } }],
    [HOLD, { sets: '3', duration: '30.5' }, { ok: false, errors: { duration: 'Enter a whole number from 1 to 3600, without a decimal point.' } }],
  ])('of %j, posted as %j, reads as %j', (dose, form, expected) => {
    expect(parseEdit(form, dose)).toEqual(expected);
  });

  it('never changes the proposed dose it starts from', () => {
    const proposed = structuredClone(WALK);
    parseEdit({ duration: '30' }, proposed);
    expect(proposed).toEqual(WALK);
  });

  it('places the review API\'s refusals beside the fields they name', () => {
    const oo = outcome([
      issue('error', 'invalid', 'Load must be a multiple of 0.5 kg', 'edits.o1.load'),
      issue('error', 'invalid', 'Reps too high', ['edits.o1.reps']),
      issue('error', 'business-rule', 'order o1 has no proposed new dose to edit', 'edits.o1'),
      issue('error', 'invalid', 'about another order', 'edits.o2.sets'),
      issue('warning', 'invalid', 'only a warning', 'edits.o1.sets'),
    ]);
    expect(editErrors(oo, 'o1')).toEqual({
      load: 'Load must be a multiple of 0.5 kg',
      reps: 'Reps too high',
      dose: 'order o1 has no proposed new dose to edit',
    });
  });
});
