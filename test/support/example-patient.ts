/**
 * The published example (examples/patient-bundle.json): a fictional patient's first three weeks on a
 * Gradus plan, one order per domain, a daily check-in and the sessions of each order's weekdays, in the
 * builder's published style. Deterministic: no clock, no randomness; Bundle.timestamp is the `now` to run
 * it at (program week 3). Written by scripts/make-example-bundle.mjs.
 */
import type { Bundle, Narrative, TimingRepeat } from 'fhir/r4';
import type { Domain, Dose } from '../../src/progression/types';
import { exerciseName, history, narrative, PUBLISHED, type Conventions, type SessionOptions } from './builder';

export const EXAMPLE_NOW = '2026-02-22T20:00:00+01:00';
/** Program week 1 starts on Monday 2026-02-02: day 20 before now. */
const START = '2026-02-02';
const FIRST_DAY = 20;
const PATIENT_ID = 'gradus-example-patient';

type Weekday = NonNullable<TimingRepeat['dayOfWeek']>[number];

interface ExampleOrder {
  domain: Domain;
  exercise: string;
  days: Weekday[];
  time: string;
  /** Minutes a session takes (its effectivePeriod). */
  minutes: number;
  dose: Dose;
  summary: string;
  instruction: string;
}

const ORDERS: ExampleOrder[] = [
  {
    domain: 'strength',
    exercise: 'sit-to-stand',
    days: ['mon', 'wed', 'fri'],
    time: '17:30',
    minutes: 15,
    dose: { sets: 3, reps: 10, load: 6, step: 3 },
    summary: 'Sit-to-stand: 3 sets of 10 with a 6 kg kettlebell, Mon/Wed/Fri.',
    instruction: 'Stand up from a chair holding a 6 kg kettlebell at your chest, 3 sets of 10. Stop if pain goes above 5/10.',
  },
  {
    domain: 'mobility',
    exercise: 'hamstring-stretch',
    days: ['mon', 'wed', 'fri'],
    time: '18:00',
    minutes: 15,
    dose: { sets: 2, reps: 3, duration: { value: 30, unit: 's' }, step: 2 },
    summary: 'Hamstring stretch: 2 rounds of 3 holds of 30 s per side, Mon/Wed/Fri.',
    instruction: 'Heel on a low step, lean forward with a straight back; hold 30 s, 3 times per side, 2 rounds.',
  },
  {
    domain: 'endurance',
    exercise: 'walking',
    days: ['tue', 'thu', 'sat'],
    time: '10:00',
    minutes: 25,
    dose: { duration: { value: 20, unit: 'min' }, heartRateZone: { low: 110, high: 129 }, rpeTarget: { low: 4, high: 6 }, step: 2 },
    summary: 'Walking: 20 min at heart rate 110-129/min, effort 4-6/10, Tue/Thu/Sat.',
    instruction: 'Walk 20 minutes at a pace where you can talk but not sing (effort 4-6 out of 10).',
  },
  {
    domain: 'neuromotor',
    exercise: 'single-leg-stance',
    days: ['tue', 'thu', 'sat'],
    time: '10:30',
    minutes: 15,
    dose: { sets: 3, duration: { value: 20, unit: 's' }, step: 1 },
    summary: 'Single-leg stance: 3 rounds of 20 s per leg, Tue/Thu/Sat.',
    instruction: 'Stand on one leg next to a kitchen counter, 20 s per leg, 3 rounds.',
  },
];

const orderId = (domain: Domain): string => `gradus-example-order-${domain}`;
const nameOf = (o: ExampleOrder): string => exerciseName(o.exercise) ?? o.exercise;

/** The published conventions, with ids that say what each log is and when. */
const EXAMPLE: Conventions = {
  ...PUBLISHED,
  ids: ({ kind, date, orderId: order }) =>
    kind === 'session' ? `gradus-example-session-${(order ?? '').replace('gradus-example-order-', '')}-${date}` : `gradus-example-check-in-${date}`,
};

/** Daily pain on waking, easing slowly over the three weeks (means 3.4, 3.1, 2.7). */
const PAIN_BY_DAY = [4, 3, 4, 3, 3, 4, 3, 3, 3, 4, 3, 3, 3, 3, 3, 2, 3, 3, 2, 3, 3];
const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** A deterministic wobble: the k-th value of a fixed cycle. */
const cycle = <T>(values: readonly T[], k: number): T => values[k % values.length] as T;

const PATIENT_TEXT: Narrative = {
  status: 'generated',
  div: '<div xmlns="http://www.w3.org/1999/xhtml">Alex Example, a fictional test patient (not a real person).</div>',
};

/** Session values per domain; `k` counts the order's sessions, so values vary a little. */
function sessionValues(o: ExampleOrder, k: number): SessionOptions {
  const painDuring = cycle([3, 2, 3, 4, 2, 3], k);
  const pain = { painDuring: o.domain === 'neuromotor' ? Math.max(1, painDuring - 1) : painDuring, painAfter: cycle([3, 2, 2, 3], k) };
  const when = { time: o.time, asPeriod: o.minutes };
  switch (o.domain) {
    case 'strength':
      return { ...when, sets: 3, reps: cycle([10, 11, 10, 12, 11], k), load: 6, rpe: cycle([5, 6, 5, 4], k), ...pain };
    case 'mobility':
      return { ...when, sets: 2, reps: 3, ...pain };
    case 'endurance':
      return { ...when, duration: cycle([20, 21, 20, 22, 23], k), heartRate: cycle([114, 118, 121, 116, 124], k), rpe: cycle([4, 5, 5, 4], k), ...pain };
    case 'neuromotor':
      return { ...when, sets: 3, ...pain };
  }
}

export function examplePatientBundle(): Bundle {
  const h = history(
    {
      now: EXAMPLE_NOW,
      bundleId: 'gradus-example-patient-bundle',
      patient: {
        id: PATIENT_ID,
        given: 'Alex',
        family: 'Example',
        gender: 'female',
        birthDate: '1972-05-14',
        identifier: [{ system: 'https://example.org/fictional-patients', value: 'GRADUS-DEMO-0001' }],
        active: true,
        narrative: PATIENT_TEXT,
      },
      planId: 'gradus-example-plan',
      title: 'Graded exercise program for chronic low back pain',
      planStart: START,
      created: '2026-01-30T14:00:00+01:00',
      phase: 'build',
      phaseSince: FIRST_DAY,
      policy: { mode: 'pain-guided', painCeiling: 5 },
      planNarrative: narrative(`Graded exercise program for chronic low back pain from ${START}, phase build: ${ORDERS.map((o) => nameOf(o).toLowerCase()).join(', ')}.`),
    },
    EXAMPLE,
  );
  for (const o of ORDERS) {
    h.order({
      id: orderId(o.domain),
      exercise: o.exercise,
      text: nameOf(o),
      domain: o.domain,
      dose: o.dose,
      daysOfWeek: o.days,
      authoredOn: FIRST_DAY,
      instruction: o.instruction,
      narrative: narrative(o.summary),
    });
  }
  h.goal({
    id: 'gradus-example-goal',
    description: 'Walk 30 minutes without a break, with pain no higher than 4/10, by the end of April',
    target: { loinc: '55411-3', value: 30, unit: 'min', due: '2026-04-30' },
    narrative: narrative('Goal: walk 30 minutes without a break, with pain no higher than 4/10, by 2026-04-30.'),
  });
  const sessions = new Map<Domain, number>();
  for (let n = 0; n <= FIRST_DAY; n += 1) {
    const day = FIRST_DAY - n;
    h.checkIn(day, {
      time: `07:${String(15 + (n % 4) * 10).padStart(2, '0')}`,
      pain: PAIN_BY_DAY[n],
      stiffness: cycle([4, 3, 4, 5, 3], n),
      fatigue: cycle([3, 4, 2, 3, 5, 3], n),
      mood: cycle([6, 7, 7, 8, 6], n),
      sleep: cycle([7, 6.5, 7.5, 6, 7], n),
      confidence: Math.min(8, 5 + Math.floor(n / 7)) + (n % 2),
      steps: 5200 + 100 * n + cycle([0, 800, 300, 1100], n),
    });
    const weekday = WEEKDAYS[new Date(`${h.at(day, '12:00').slice(0, 10)}T00:00:00Z`).getUTCDay()];
    for (const o of ORDERS) {
      if (weekday === undefined || !o.days.includes(weekday)) continue;
      const k = sessions.get(o.domain) ?? 0;
      sessions.set(o.domain, k + 1);
      h.session(orderId(o.domain), day, sessionValues(o, k));
    }
  }
  return h.build();
}
