/**
 * Chained evaluations (docs/clinical-rules.md over weeks): run progress(), apply its transaction as a FHIR
 * server would, add the following days' logs, run again. Each chain checks the phase, the decisions and
 * the doses at every step, worked out by hand from the rules.
 */
import type { Bundle } from 'fhir/r4';
import { addDays, extendHistory, history } from './support/builder';
import { readFlareSince, readPhase, readReferencePain } from './support/dose-ext';
import { coreDose, currentDose, currentOrder, currentOrders, parts, thePlan } from './support/inspect';
import { decisionsByExercise, runAndApply } from './support/run';
import { validationErrors } from './support/validity';

const ok = { painDuring: 2, painAfter: 2 };

/** `now` t days after a start date, at 09:00 in the offset the date falls in. */
const clockFrom =
  (start: string, offsetOf: (date: string) => string) =>
  (t: number): string => {
    const date = addDays(start, -t);
    return `${date}T09:00:00${offsetOf(date)}`;
  };

/** Daily check-ins with `pain` for chain days from..to, added to the records as of chain day `to`. */
function logDays(bundle: Bundle, at: (t: number) => string, from: number, to: number, pain: number): ReturnType<typeof extendHistory> {
  const h = extendHistory(bundle, { now: at(to) });
  for (let t = from; t <= to; t += 1) h.checkIn(to - t, { pain, fatigue: 3 });
  return h;
}

describe('flare, return to load, back to build', () => {
  // Central Europe: the chain crosses the end of summer time (25 Oct 2026), so the offset changes mid-way.
  const at = clockFrom('2026-10-12', (date) => (date >= '2026-10-25' ? '+01:00' : '+02:00'));
  const start = (): Bundle =>
    history({
      now: at(0),
      planStart: 30,
      phase: 'build',
      phaseSince: 30,
      patient: { id: 'lena-fischer', given: 'Lena', family: 'Fischer', birthDate: '1971-01-20' },
      planId: 'lena-plan',
    })
      .order({ id: 'lena-step-up-1', exercise: 'step-up', dose: { sets: 3, reps: 10, load: 18, step: 3 }, authoredOn: 30 })
      .order({ id: 'lena-step-up-2', exercise: 'step-up', dose: { sets: 3, reps: 10, load: 20, step: 4 }, authoredOn: 16, replaces: 'lena-step-up-1' })
      .order({ id: 'lena-walking', exercise: 'walking', dose: { duration: { value: 40, unit: 'min' }, rpeTarget: { low: 4, high: 6 }, step: 3 }, authoredOn: 16 })
      .checkIns(30, 2, { pain: 2, fatigue: 3 })
      .checkIn(1, { pain: 4, fatigue: 4 })
      .checkIn(0, { pain: 5, fatigue: 4 })
      .sessions('lena-step-up-2', [14, 11, 7, 4], { ...ok, sets: 3, reps: 10, load: 20 })
      .sessions('lena-walking', [13, 9, 5, 2], { ...ok, duration: 40, rpe: 5 })
      .build();

  /** Sessions at the current prescription on chain days `days`, within a log extension. */
  function train(bundle: Bundle, h: ReturnType<typeof extendHistory>, to: number, days: number[]): Bundle {
    const stepUp = currentOrder(bundle, 'step-up');
    const walking = currentOrder(bundle, 'walking');
    const s = currentDose(bundle, 'step-up');
    const w = currentDose(bundle, 'walking');
    for (const t of days) {
      h.session(stepUp.id ?? '', to - t, { ...ok, sets: s.sets, reps: s.reps, load: s.load, rpe: 5 });
      h.session(walking.id ?? '', to - t, { ...ok, duration: w.duration?.value, rpe: 5 });
    }
    return h.build();
  }

  it('halves the load, restarts at 75% of the pre-flare dose, climbs by 10% of it weekly and returns to build', () => {
    // Day 0: B = 2 (days 7-20); pain 4 and 5 on days 1 and 0 are >= B + 2 -> flare protocol.
    let s = runAndApply(start(), at(0));
    expect(s.result.plan).toMatchObject({ phaseFrom: 'build', phaseTo: 'flare', decision: 'flare-protocol' });
    expect(coreDose(currentDose(s.next, 'step-up'))).toEqual({ sets: 3, reps: 10, load: 10, step: 4 });
    expect(currentDose(s.next, 'walking')).toMatchObject({ duration: { value: 20, unit: 'min' }, rpeTarget: { low: 2, high: 3 } });
    const plan0 = thePlan(s.next);
    expect(readPhase(plan0)).toBe('flare');
    expect(readReferencePain(plan0)).toBe(2);
    const flareSince = readFlareSince(plan0);
    expect(flareSince).toMatch(/\S/);

    // Day 1: pain 3 (<= B + 1) on one day only since the flare began -> hold.
    s = runAndApply(logDays(s.next, at, 1, 1, 3).build(), at(1));
    expect(s.result.plan.phaseTo).toBe('flare');
    expect(Object.values(decisionsByExercise(s.next, s.result))).toEqual(['hold', 'hold']);

    // Day 2: pain <= 3 on days 1 and 2 -> return to load at 75% of 20 kg and 40 min, pre-flare RPE restored.
    s = runAndApply(logDays(s.next, at, 2, 2, 3).build(), at(2));
    expect(s.result.plan).toMatchObject({ phaseFrom: 'flare', phaseTo: 'return-to-load', decision: 'return-to-load' });
    expect(coreDose(currentDose(s.next, 'step-up'))).toEqual({ sets: 3, reps: 10, load: 15, step: 4 });
    expect(currentDose(s.next, 'walking')).toEqual({ duration: { value: 30, unit: 'min' }, rpeTarget: { low: 4, high: 6 }, step: 3 });
    expect(readReferencePain(thePlan(s.next))).toBe(2);
    expect(readFlareSince(thePlan(s.next))).toBe(flareSince);

    // Day 8: three qualifying sessions, but only 6 days since the last step -> hold.
    s = runAndApply(train(s.next, logDays(s.next, at, 3, 8, 2), 8, [4, 6, 8]), at(8));
    expect(s.result.plan.phaseTo).toBe('return-to-load');
    expect(Object.values(decisionsByExercise(s.next, s.result))).toEqual(['hold', 'hold']);

    // Weekly steps of +10% of the pre-flare dose (2 kg, 4 min), capped at it: 17/34, 19/38, 20/40.
    const steps: [number, number[], number, number][] = [
      [9, [], 17, 34],
      [16, [11, 13, 15], 19, 38],
      [23, [18, 20, 22], 20, 40],
    ];
    let from = 9;
    for (const [t, days, load, minutes] of steps) {
      s = runAndApply(train(s.next, logDays(s.next, at, from, t, 2), t, days), at(t));
      from = t + 1;
      expect({ t, decisions: decisionsByExercise(s.next, s.result) }).toEqual({
        t,
        decisions: { 'step-up': 'return-to-load', walking: 'return-to-load' },
      });
      expect({ t, load: currentDose(s.next, 'step-up').load, minutes: currentDose(s.next, 'walking').duration?.value }).toEqual({ t, load, minutes });
      expect(currentDose(s.next, 'step-up').step).toBe(4);
      expect(readPhase(thePlan(s.next))).toBe(t < 23 ? 'return-to-load' : 'build');
    }

    // Back at the pre-flare doses: phase build, and reference pain and flare start are gone.
    expect(s.result.plan).toMatchObject({ phaseFrom: 'return-to-load', phaseTo: 'build' });
    const finalPlan = thePlan(s.next);
    expect(readReferencePain(finalPlan)).toBeUndefined();
    expect(readFlareSince(finalPlan)).toBeUndefined();

    // The next day in build: the new orders have no sessions yet -> hold, nothing changes.
    s = runAndApply(logDays(s.next, at, 24, 24, 2).build(), at(24));
    expect(s.result.plan.phaseTo).toBe('build');
    expect(parts(s.result.transaction).puts).toHaveLength(0);
    expect(validationErrors(s.next)).toEqual([]);
  });
});

describe('deload week and resume', () => {
  const at = clockFrom('2026-11-27', () => '+01:00');
  const start = (): Bundle =>
    history({
      now: at(0),
      planStart: 21,
      phase: 'build',
      phaseSince: 21,
      patient: { id: 'mateo-silva', given: 'Mateo', family: 'Silva', birthDate: '1983-05-05' },
      planId: 'mateo-plan',
    })
      .order({ id: 'mateo-band-row', exercise: 'band-row', dose: { sets: 3, reps: 12, step: 3 }, authoredOn: 14 })
      .order({ id: 'mateo-sit-to-stand', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 12, step: 2 }, authoredOn: 14 })
      .order({
        id: 'mateo-stationary-cycling',
        exercise: 'stationary-cycling',
        dose: { duration: { value: 30, unit: 'min' }, rpeTarget: { low: 4, high: 6 }, step: 2 },
        authoredOn: 14,
      })
      .order({ id: 'mateo-single-leg-stance', exercise: 'single-leg-stance', dose: { sets: 3, duration: { value: 30, unit: 's' }, step: 2 }, authoredOn: 14 })
      .checkIns(21, 0, { pain: 2, fatigue: 3 })
      .sessions('mateo-band-row', [12, 8, 4, 1], { ...ok, sets: 3, reps: 12 })
      .sessions('mateo-sit-to-stand', [12, 8, 4, 1], { ...ok, sets: 3, reps: 10, load: 12 })
      .sessions('mateo-stationary-cycling', [11, 7, 3], { ...ok, duration: 30, rpe: 5 })
      .sessions('mateo-single-leg-stance', [10, 6, 2], { ...ok, sets: 3 })
      .build();

  const exercises = ['band-row', 'sit-to-stand', 'stationary-cycling', 'single-leg-stance'];

  it('deloads in program week 4, holds during the week, then restores the pre-deload doses', () => {
    const before = start();
    const preDeload = Object.fromEntries(exercises.map((x) => [x, currentDose(before, x)]));

    // Program week 4 (21 days since the start, phase start before the week began): volume -40%.
    let s = runAndApply(before, at(0));
    expect(s.result.plan).toMatchObject({ phaseFrom: 'build', phaseTo: 'deload', decision: 'deload' });
    expect(Object.fromEntries(exercises.map((x) => [x, coreDose(currentDose(s.next, x))]))).toEqual({
      'band-row': { sets: 2, reps: 12, step: 3 },
      'sit-to-stand': { sets: 2, reps: 10, load: 12, step: 2 },
      'stationary-cycling': { duration: { value: 18, unit: 'min' }, step: 2 },
      'single-leg-stance': { sets: 3, duration: { value: 20, unit: 's' }, step: 2 },
    });
    expect(currentDose(s.next, 'stationary-cycling').rpeTarget).toEqual({ low: 4, high: 6 });

    // Day 3 of the deload: qualifying sessions at the deload doses change nothing.
    const h = logDays(s.next, at, 1, 3, 2);
    for (const x of ['band-row', 'sit-to-stand']) {
      const d = currentDose(s.next, x);
      h.sessions(currentOrder(s.next, x).id ?? '', [2, 1], { ...ok, sets: d.sets, reps: d.reps, load: d.load });
    }
    s = runAndApply(h.build(), at(3));
    expect(s.result.plan.phaseTo).toBe('deload');
    expect(new Set(s.result.orders.map((o) => o.decision))).toEqual(new Set(['hold']));

    // 7 days after the phase start: resume, each order back to the dose its deload order replaced.
    s = runAndApply(logDays(s.next, at, 4, 7, 2).build(), at(7));
    expect(s.result.plan).toMatchObject({ phaseFrom: 'deload', phaseTo: 'build', decision: 'resume' });
    expect(new Set(s.result.orders.map((o) => o.decision))).toEqual(new Set(['resume']));
    expect(Object.fromEntries(exercises.map((x) => [x, currentDose(s.next, x)]))).toEqual(preDeload);

    // Running again the same day: nothing to change (only hold Provenances), then a fixed point.
    const again = runAndApply(s.next, at(7));
    expect(parts(again.result.transaction).puts).toHaveLength(0);
    expect(parts(again.result.transaction).postedOrders).toHaveLength(0);
    expect(new Set(again.result.orders.map((o) => o.decision))).toEqual(new Set(['hold']));
    expect(runAndApply(again.next, at(7)).changed).toBe(false);
    expect(validationErrors(again.next)).toEqual([]);
  });
});

describe('two regressions in a row', () => {
  const at = clockFrom('2026-11-27', () => '+01:00');
  const start = (): Bundle =>
    history({
      now: at(0),
      planStart: 30,
      phase: 'build',
      phaseSince: 30,
      patient: { id: 'noor-rahman', given: 'Noor', family: 'Rahman', birthDate: '1975-09-09' },
      planId: 'noor-plan',
    })
      .order({ id: 'noor-step-up-1', exercise: 'step-up', dose: { sets: 3, reps: 10, load: 18, step: 1 }, authoredOn: 30 })
      .order({ id: 'noor-step-up-2', exercise: 'step-up', dose: { sets: 3, reps: 10, load: 20, step: 2 }, authoredOn: 10, replaces: 'noor-step-up-1' })
      .order({ id: 'noor-wall-push-up-1', exercise: 'wall-push-up', dose: { sets: 2, reps: 7, step: 2 }, authoredOn: 30 })
      .order({ id: 'noor-wall-push-up-2', exercise: 'wall-push-up', dose: { sets: 2, reps: 9, step: 3 }, authoredOn: 10, replaces: 'noor-wall-push-up-1' })
      .checkIns(30, 0, { pain: 2, fatigue: 3 })
      .session('noor-step-up-2', 8, { ...ok, sets: 3, reps: 10, load: 20 })
      .session('noor-step-up-2', 2, { painDuring: 7, painAfter: 4, sets: 3, reps: 10, load: 20 })
      .session('noor-wall-push-up-2', 7, { ...ok, sets: 2, reps: 9 })
      .session('noor-wall-push-up-2', 3, { painDuring: 3, painAfter: 6, sets: 2, reps: 9 })
      .build();

  it('goes back down the replaces chain first, then one increment down, and never raises a dose', () => {
    // Pain 7 during / 6 after > ceiling 5: back to the most recent lower dose in the chain (18 kg; 7 reps).
    let s = runAndApply(start(), at(0));
    expect(decisionsByExercise(start(), s.result)).toEqual({ 'step-up': 'regress', 'wall-push-up': 'regress' });
    expect(coreDose(currentDose(s.next, 'step-up'))).toEqual({ sets: 3, reps: 10, load: 18, step: 1 });
    expect(coreDose(currentDose(s.next, 'wall-push-up'))).toEqual({ sets: 2, reps: 7, step: 2 });

    // Painful again at the lower doses; the chain has nothing lower than 18 kg / 7 reps any more:
    // load -10% = 16.2 -> 16 kg (step stays at least 1); reps 7 - 2 = 5.
    const h = logDays(s.next, at, 1, 3, 2);
    h.session(currentOrder(s.next, 'step-up').id ?? '', 1, { painDuring: 4, painAfter: 6, sets: 3, reps: 10, load: 18 });
    h.session(currentOrder(s.next, 'wall-push-up').id ?? '', 1, { painDuring: 6, painAfter: 3, sets: 2, reps: 7 });
    const before = h.build();
    s = runAndApply(before, at(3));
    expect(decisionsByExercise(before, s.result)).toEqual({ 'step-up': 'regress', 'wall-push-up': 'regress' });
    expect(coreDose(currentDose(s.next, 'step-up'))).toEqual({ sets: 3, reps: 10, load: 16, step: 1 });
    expect(coreDose(currentDose(s.next, 'wall-push-up'))).toEqual({ sets: 2, reps: 5, step: 1 });
    for (const d of s.result.orders) {
      expect(d.to.load ?? 0).toBeLessThanOrEqual(d.from.load ?? 0);
      expect(d.to.reps ?? 0).toBeLessThanOrEqual(d.from.reps ?? 0);
      expect(d.to.sets ?? 0).toBeLessThanOrEqual(d.from.sets ?? 0);
    }
    expect(validationErrors(s.next)).toEqual([]);
  });
});

describe('red flag mid-build', () => {
  const at = clockFrom('2026-11-27', () => '+01:00');
  const start = (): Bundle =>
    history({
      now: at(0),
      planStart: 17,
      phase: 'build',
      phaseSince: 17,
      patient: { id: 'olga-petrova', given: 'Olga', family: 'Petrova', birthDate: '1960-12-01' },
      planId: 'olga-plan',
    })
      .order({ id: 'olga-walking', exercise: 'walking', dose: { duration: { value: 20, unit: 'min' }, rpeTarget: { low: 4, high: 6 }, step: 1 }, authoredOn: 16 })
      .order({ id: 'olga-step-up', exercise: 'step-up', dose: { sets: 3, reps: 10, load: 10, step: 1 }, authoredOn: 16 })
      .checkIns(20, 0, { pain: 2, fatigue: 3 })
      .sessions('olga-walking', [12, 8, 5, 2], { ...ok, duration: 20, rpe: 5 })
      .sessions('olga-step-up', [11, 7, 4, 1], { ...ok, sets: 3, reps: 12, load: 10 })
      .build();

  it('refers, puts every order on hold, and afterwards writes nothing', () => {
    // Day 0: both progress (different domains): 20 -> 22 min; 10 kg x 1.05 = 10.5 kg.
    let s = runAndApply(start(), at(0));
    expect(decisionsByExercise(start(), s.result)).toEqual({ walking: 'progress', 'step-up': 'progress' });
    expect(currentDose(s.next, 'step-up').load).toBe(10.5);

    // Day 4: a syncope/dizziness alert on day 3 -> refer; no new order, every current order on hold.
    const h = logDays(s.next, at, 1, 4, 2);
    h.sessions(currentOrder(s.next, 'walking').id ?? '', [2, 1], { ...ok, duration: 22, rpe: 5 });
    h.alert(1, 'syncope-or-dizziness');
    const before = h.build();
    s = runAndApply(before, at(4));
    expect(s.result.plan).toMatchObject({ phaseFrom: 'build', phaseTo: 'referred', decision: 'refer' });
    expect(parts(s.result.transaction).postedOrders).toHaveLength(0);
    expect(currentOrders(s.next).map((o) => o.status)).toEqual(['on-hold', 'on-hold']);
    expect(readPhase(thePlan(s.next))).toBe('referred');

    // Later, with more logs and the alert older than 14 days: still referred, and nothing is written.
    for (const t of [10, 30]) {
      const later = logDays(s.next, at, t - 5, t, 1);
      later.session(currentOrder(s.next, 'walking').id ?? '', 1, { ...ok, duration: 22, rpe: 5 });
      const step = runAndApply(later.build(), at(t));
      expect({ t, phaseTo: step.result.plan.phaseTo, entries: step.result.transaction.entry ?? [] }).toEqual({ t, phaseTo: 'referred', entries: [] });
      expect(step.changed).toBe(false);
    }
    expect(validationErrors(s.next)).toEqual([]);
  });
});

describe('baseline completed over two evaluations', () => {
  const at = clockFrom('2026-11-27', () => '+01:00');

  it('keeps an order established earlier and moves to build once the last order is established', () => {
    const first = history({ now: at(0), planStart: 4, phase: 'baseline', phaseSince: 4, planId: 'pia-plan', patient: { id: 'pia-nowak', given: 'Pia', family: 'Nowak' } })
      .order({ id: 'pia-stationary-cycling', exercise: 'stationary-cycling', dose: { duration: { value: 10, unit: 'min' }, step: 1 }, authoredOn: 4 })
      .order({ id: 'pia-heel-raise', exercise: 'heel-raise', dose: { sets: 2, reps: 8, step: 1 }, authoredOn: 4 })
      .checkIns(4, 0, { pain: 3 })
      .toleranceTest('pia-stationary-cycling', 2, 12, 'min')
      .toleranceTest('pia-heel-raise', 3, 12, '{repetitions}')
      .toleranceTest('pia-heel-raise', 2, 12, '{repetitions}')
      .toleranceTest('pia-heel-raise', 1, 16, '{repetitions}')
      .build();
    // Heel-raise: mean 13.3 -> 75% = 10 reps; cycling: 1 of 3 tests -> hold, phase stays baseline.
    let s = runAndApply(first, at(0));
    expect(decisionsByExercise(first, s.result)).toEqual({ 'stationary-cycling': 'hold', 'heel-raise': 'establish-baseline' });
    expect(s.result.plan.phaseTo).toBe('baseline');
    expect(currentDose(s.next, 'heel-raise').reps).toBe(10);

    // Two more cycling tests (12, 16, 20 -> mean 16 -> 12 min): no order is left without an established dose.
    const h = logDays(s.next, at, 1, 2, 3);
    h.toleranceTest('pia-stationary-cycling', 1, 16, 'min').toleranceTest('pia-stationary-cycling', 0, 20, 'min');
    s = runAndApply(h.build(), at(2));
    expect(s.result.plan).toMatchObject({ phaseFrom: 'baseline', phaseTo: 'build' });
    expect(currentDose(s.next, 'stationary-cycling').duration).toEqual({ value: 12, unit: 'min' });
    expect(coreDose(currentDose(s.next, 'heel-raise'))).toEqual({ sets: 2, reps: 10, step: 1 });
    expect(validationErrors(s.next)).toEqual([]);
  });
});
