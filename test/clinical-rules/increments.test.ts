/**
 * Clinical-rules audit, the Increments table, each row and its boundaries: each case is worked out by hand
 * from a sentence of docs/clinical-rules.md (cited in its `rule`), not from the engine's code, and runs through the
 * whole engine.
 * See: docs/clinical-rules.md "Increments (one step)", "Rounding"; implementation-guide.md "Extensions
 * to the contract".
 */
import { progress } from '../../src/progression/progress';
import type { DecisionCode, Dose } from '../../src/progression/types';
import { type SessionOptions } from '../support/builder';
import { auditCases, expectOrder, min, NOW, ok, oneOrder, sec, WPU } from './helpers';

interface StepRow {
  name: string;
  rule: string;
  exercise: string;
  dose: Dose;
  session: SessionOptions;
  decision: DecisionCode;
  to: Dose;
  says?: string[];
}

const strength = (dose: Dose, reps: number, decision: DecisionCode, to: Dose, name: string, says?: string[]): StepRow => ({
  name,
  rule: 'Increments: strength with load',
  exercise: 'sit-to-stand',
  dose,
  session: { ...ok, sets: dose.sets, reps, load: dose.load },
  decision,
  to,
  ...(says ? { says } : {}),
});

const progressSteps: StepRow[] = [
  strength({ sets: 3, reps: 10, load: 20, step: 3 }, 11, 'progress', { sets: 3, reps: 11, load: 20, step: 4 }, 'adds 1 rep when 2-for-2 is not met (11 of 10 + 2)', ['2-for-2 not met']),
  strength({ sets: 3, reps: 10, load: 20, step: 3 }, 12, 'progress', { sets: 3, reps: 10, load: 21, step: 4 }, 'adds 5% load when 2-for-2 is met (12 = 10 + 2): 20 -> 21 kg', ['load 20 kg -> 21 kg', '2-for-2 met']),
  strength({ sets: 3, reps: 10, load: 12, step: 3 }, 12, 'progress', { sets: 3, reps: 10, load: 13, step: 4 }, 'rounds the new load up to 0.5 kg (12 x 1.05 = 12.6 -> 13 kg)'),
  strength({ sets: 3, reps: 10, load: 9, step: 3 }, 12, 'progress', { sets: 3, reps: 10, load: 9.5, step: 4 }, 'rounds the new load up to 0.5 kg (9 x 1.05 = 9.45 -> 9.5 kg)'),
  strength({ sets: 3, reps: 10, load: 5, step: 3 }, 12, 'progress', { sets: 3, reps: 10, load: 5.5, step: 4 }, 'allows a rise of exactly 10% (5 -> 5.5 kg)'),
  strength({ sets: 3, reps: 10, load: 4, step: 3 }, 12, 'progress', { sets: 3, reps: 12, load: 4, step: 4 }, 'adds 2 reps instead when the load rise would exceed 10% (4 -> 4.5 kg is 12.5%)', ['12.5% > 10%']),
  strength({ sets: 2, reps: 15, load: 10, step: 3 }, 15, 'progress', { sets: 3, reps: 15, load: 10, step: 4 }, 'adds a set once reps reach 15 (2-for-2 not met)'),
  strength({ sets: 3, reps: 14, load: 10, step: 3 }, 14, 'progress', { sets: 3, reps: 15, load: 10, step: 4 }, 'adds reps up to 15'),
  {
    ...strength({ sets: 3, reps: 15, load: 2, step: 6 }, 17, 'progress', { sets: 3, reps: 10, load: 2.5, step: 7 }, 'raises a light load at the top of the ladder past 10% and returns reps to 10 (3 x 15 at 2 kg -> 3 x 10 at 2.5 kg)', ['load 2 kg -> 2.5 kg', 'double progression', 'reps 15 -> 10']),
    rule: 'Increments: at the top with load (3 sets of 15), a progress raises the load by the 2-for-2 step even when > 10% and returns the reps to 10',
  },
  {
    ...strength({ sets: 3, reps: 15, load: 2, step: 6 }, 15, 'progress', { sets: 3, reps: 10, load: 2.5, step: 7 }, 'raises the load at the top of the ladder also when 2-for-2 is not met (15 of 15 + 2)', ['double progression']),
    rule: 'Increments: at the top with load (3 sets of 15), a progress raises the load ... and returns the reps to 10',
  },
  {
    ...strength({ sets: 3, reps: 14, load: 2, step: 6 }, 16, 'progress', { sets: 3, reps: 15, load: 2, step: 7 }, 'just misses the top at 14 reps: the load would rise 25% > 10%, so reps +2 up to 15', ['25% > 10%']),
    rule: 'Increments: strength with load: if that rise is > 10%, reps +2 instead (not yet at the top)',
  },
  {
    ...strength({ sets: 2, reps: 15, load: 2, step: 6 }, 17, 'progress', { sets: 3, reps: 15, load: 2, step: 7 }, 'just misses the top with 2 sets of 15: a set is added instead', ['sets 2 -> 3']),
    rule: 'Increments: strength with load: reps +2 instead, up to 15, then sets +1 up to 3 (not yet at the top)',
  },
  { name: 'adds 2 reps without load (10 -> 12)', rule: 'Increments: strength, no load: reps +2 up to 15', exercise: 'wall-push-up', dose: { sets: 2, reps: 10, step: 1 }, session: ok, decision: 'progress', to: { sets: 2, reps: 12, step: 2 } },
  { name: 'stops reps at 15 without load (14 -> 15)', rule: 'Increments: strength, no load: reps +2 up to 15', exercise: 'wall-push-up', dose: { sets: 2, reps: 14, step: 1 }, session: ok, decision: 'progress', to: { sets: 2, reps: 15, step: 2 } },
  { name: 'adds a set at 15 reps without load', rule: 'Increments: strength, no load: then sets +1 up to 3', exercise: 'wall-push-up', dose: { sets: 2, reps: 15, step: 4 }, session: ok, decision: 'progress', to: { sets: 3, reps: 15, step: 5 } },
  { name: 'holds at the top of the ladder (3 x 15, no load) with the reason', rule: 'At the top (15 reps and 3 sets, no load): hold, reason "top of the ladder"', exercise: 'wall-push-up', dose: { sets: 3, reps: 15, step: 5 }, session: ok, decision: 'hold', to: { sets: 3, reps: 15, step: 5 }, says: ['top of the ladder: choose a harder variant or add load'] },
  { name: 'adds 10% to an endurance duration (30 -> 33 min), intensity unchanged', rule: 'Increments: endurance: duration +10%', exercise: 'walking', dose: { duration: min(30), rpeTarget: { low: 4, high: 6 }, step: 2 }, session: ok, decision: 'progress', to: { duration: min(33), step: 3 }, says: ['duration 30 -> 33 min'] },
  { name: 'adds at least 1 min to a short endurance duration (9 -> 10 min)', rule: 'Increments: endurance: at least +1 min', exercise: 'walking', dose: { duration: min(9), step: 1 }, session: ok, decision: 'progress', to: { duration: min(10), step: 2 } },
  { name: 'adds at most 5 min to a long endurance duration (60 -> 65 min)', rule: 'Increments: endurance: at most +5 min', exercise: 'walking', dose: { duration: min(60), step: 5 }, session: ok, decision: 'progress', to: { duration: min(65), step: 6 }, says: ['at most +5 min'] },
  { name: 'adds 10% to a hold but at least 5 s (30 -> 35 s)', rule: 'Increments: mobility: hold duration +10% (at least +5 s)', exercise: 'hamstring-stretch', dose: { sets: 3, duration: sec(30), step: 2 }, session: ok, decision: 'progress', to: { sets: 3, duration: sec(35), step: 3 } },
  { name: 'rounds a hold to 5 s (100 -> 110 s)', rule: 'Increments: mobility: hold +10%; Rounding: seconds to 5 s', exercise: 'hamstring-stretch', dose: { sets: 3, duration: sec(100), step: 2 }, session: ok, decision: 'progress', to: { sets: 3, duration: sec(110), step: 3 } },
  { name: 'adds 1 rep when a neuromotor order has no duration', rule: 'Increments: mobility, neuromotor: reps +1 when no duration', exercise: 'tandem-walk', dose: { reps: 8, step: 1 }, session: ok, decision: 'progress', to: { reps: 9, step: 2 } },
  { name: 'adds 5 s to a balance hold (20 -> 25 s)', rule: 'Increments: neuromotor: hold duration +10% (at least +5 s)', exercise: 'single-leg-stance', dose: { sets: 3, duration: sec(20), step: 1 }, session: ok, decision: 'progress', to: { sets: 3, duration: sec(25), step: 2 } },
];

const bad = { painDuring: 7, painAfter: 3 };
const regressSteps: StepRow[] = [
  { name: 'cuts the load by 10% and rounds to the nearest 0.5 kg, halves up (12.5 -> 11.25 -> 11.5 kg)', rule: 'Increments: strength with load regress: load -10%; Rounding: loads to the nearest 0.5 kg, halves up', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 12.5, step: 2 }, session: bad, decision: 'regress', to: { sets: 3, reps: 10, load: 11.5, step: 1 } },
  { name: 'moves a 1 kg load by at least one rounding unit (1 -> 0.5 kg)', rule: 'Rounding: a step down always moves the value by at least one rounding unit; never below 0.5 kg', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 1, step: 1 }, session: bad, decision: 'regress', to: { sets: 3, reps: 10, load: 0.5, step: 1 } },
  { name: 'cuts 2 reps without load (10 -> 8)', rule: 'Increments: strength, no load regress: reps -2 (min 5)', exercise: 'wall-push-up', dose: { sets: 2, reps: 10, step: 3 }, session: bad, decision: 'regress', to: { sets: 2, reps: 8, step: 2 } },
  { name: 'stops the rep cut at 5 (6 -> 5)', rule: 'Increments: reps -2 (min 5)', exercise: 'wall-push-up', dose: { sets: 2, reps: 6, step: 3 }, session: bad, decision: 'regress', to: { sets: 2, reps: 5, step: 2 } },
  { name: 'cuts an endurance duration by 10% (30 -> 27 min)', rule: 'Increments: endurance regress: duration -10%', exercise: 'walking', dose: { duration: min(30), step: 3 }, session: bad, decision: 'regress', to: { duration: min(27), step: 2 } },
  { name: 'never lets rounding cancel a step down (5 min - 10% = 4.5 -> 4 min)', rule: 'Rounding: a step up or down always moves the value by at least one rounding unit', exercise: 'walking', dose: { duration: min(5), step: 3 }, session: bad, decision: 'regress', to: { duration: min(4), step: 2 } },
  { name: 'cuts a hold by at least 5 s (30 -> 25 s)', rule: 'Increments: mobility regress: the reverse (hold -10%, at least -5 s)', exercise: 'hamstring-stretch', dose: { sets: 3, duration: sec(30), step: 3 }, session: bad, decision: 'regress', to: { sets: 3, duration: sec(25), step: 2 } },
  { name: 'cuts one rep when a neuromotor order has no duration (8 -> 7)', rule: 'Increments: neuromotor regress: the reverse of reps +1', exercise: 'tandem-walk', dose: { reps: 8, step: 2 }, session: bad, decision: 'regress', to: { reps: 7, step: 1 } },
  { name: 'never lowers the step below 1', rule: 'step -1 on regress (never below 1)', exercise: 'walking', dose: { duration: min(20), step: 1 }, session: bad, decision: 'regress', to: { duration: min(18), step: 1 } },
];

describe('increments: one step up or down per domain, with rounding', () => {
  it.each([...progressSteps, ...regressSteps])('$name [$rule]', (row) => {
    const r = progress(oneOrder({ id: 'x', exercise: row.exercise, dose: row.dose, authoredOn: 14 }, row.session), { now: NOW });
    expectOrder(r, 'x', row.decision, row.to, row.says);
  });
});

auditCases('increments: a regress due at the bottom of the ladder', [
  {
    name: 'holds (never raises the dose) when a regress is due at the bottom of the ladder (5 reps, no load)',
    rule: 'Order 1 + Increments: reps -2 (min 5)',
    bundle: () => oneOrder({ ...WPU, dose: { sets: 1, reps: 5, step: 1 } }, { painDuring: 8 }),
    check: (r) => expectOrder(r, 'wpu', 'hold', { sets: 1, reps: 5, step: 1 }),
  },
]);
