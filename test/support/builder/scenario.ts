/**
 * The engine's unit tests' world: one patient (Patient/p1, born 1970-05-01, no name) with plan `plan`
 * (phase build since day 30, started on day 30), evaluated at NOW. Orders default to day 10 and name their
 * exercise by its code; Observations are numbered o1, o2, ... across kinds, so a test can cite them.
 */
import type { Conventions } from './conventions';
import { FIXTURE } from './conventions';
import { DayClock } from './clock';
import { HistoryBuilder } from './records';

/** The evaluation time of every unit test: day 0 is 2026-11-20. */
export const NOW = '2026-11-20T20:00:00+01:00';

const clock = new DayClock(NOW);

/** The dateTime of day k at `time` (local, NOW's offset). */
export const at = (day: number, time = '08:00'): string => clock.at(day, time);

export const UNIT_TEST: Conventions = {
  style: 'fixture',
  ids: 'sequence',
  times: {
    session: '17:00',
    checkIn: '07:00',
    painScore: '07:30',
    alert: '12:00',
    toleranceTest: '10:00',
    restingHeartRate: '06:30',
    phaseChange: '09:00',
    authoredOn: '09:00',
    planStart: FIXTURE.times.planStart,
  },
  exerciseDisplay: 'code',
  authoredOn: 10,
};

export function scenario(): HistoryBuilder {
  return new HistoryBuilder(
    { now: NOW, planStart: 30, phase: 'build', phaseSince: 30, patient: { id: 'p1', birthDate: '1970-05-01' }, planId: 'plan' },
    UNIT_TEST,
  );
}

/** Daily pain `value` on each of the given days, for `.painScores()`. */
export function flat(value: number, fromDay: number, toDay: number): Record<number, number> {
  const out: Record<number, number> = {};
  for (let d = fromDay; d <= toDay; d++) out[d] = value;
  return out;
}
