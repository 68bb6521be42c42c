#!/usr/bin/env node
// Writes examples/patient-bundle.json: a fictional patient's three weeks on a Gradus plan (deterministic, no clock, no randomness).
// Usage: node scripts/make-example-bundle.mjs [output path]
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BASE = 'https://gradus.health/fhir';
const sd = (id) => `${BASE}/StructureDefinition/${id}`;
const cs = (id) => `${BASE}/CodeSystem/${id}`;
const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const UCUM = 'http://unitsofmeasure.org';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const SERVER = 'https://example.org/fhir';

const START = '2026-02-02'; // a Monday: program week 1 starts here
const DAYS = 21; // three weeks of sessions and check-ins
const OFFSET = '+01:00';
const TIMESTAMP = `2026-02-22T20:00:00${OFFSET}`; // the `now` to run the engine at: program week 3

const PATIENT_ID = 'gradus-example-patient';
const PLAN_ID = 'gradus-example-plan';
const GOAL_ID = 'gradus-example-goal';
const patientRef = { reference: `Patient/${PATIENT_ID}`, display: 'Alex Example' };

const quantity = (value, code, unit = code) => ({ value, unit, system: UCUM, code });
const coded = (system, code, display) => ({ coding: [{ system, code, display }] });
const gradus = (code, display) => coded(cs('gradus'), code, display);
const loinc = (code, display) => coded(LOINC, code, display);
const PAIN = loinc('72514-3', 'Pain severity - 0-10 verbal numeric rating [Score] - Reported');
const RPE = loinc('82289-0', 'Rating of perceived exertion [Score]');

const escapeXml = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** The resource with a generated narrative (placed after meta), so readers and validators see a summary. */
function withNarrative(resource, summary) {
  const { resourceType, id, meta, ...rest } = resource;
  const text = { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml"><p>${escapeXml(summary)}</p></div>` };
  return { resourceType, id, ...(meta ? { meta } : {}), text, ...rest };
}
/** Short labels of the log components for the narratives; scores are shown out of 10. */
const LABEL = {
  '72514-3': 'pain', 'morning-stiffness': 'stiffness', fatigue: 'fatigue', mood: 'mood', '93832-4': 'sleep',
  confidence: 'confidence', '41950-7': 'steps', 'sets-completed': 'sets', 'reps-final-set': 'reps in last set',
  'load-lifted': 'load', '55411-3': 'duration', '8867-4': 'mean heart rate', '82289-0': 'effort',
  'pain-during': 'pain during', 'pain-after': 'pain after',
};
const SCORES = new Set(['72514-3', 'morning-stiffness', 'fatigue', 'mood', 'confidence', '82289-0', 'pain-during', 'pain-after']);
function componentText(c) {
  const code = c.code.coding[0].code;
  const value = c.valueQuantity ? `${c.valueQuantity.value} ${c.valueQuantity.unit}` : `${c.valueInteger}${SCORES.has(code) ? '/10' : ''}`;
  return `${LABEL[code]} ${value}`;
}
const componentSummary = (title, obs) => `${title}: ${obs.component.map(componentText).join(', ')}.`;

/** The ISO date `n` days after START. */
function day(n) {
  const d = new Date(`${START}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const weekday = (n) => WEEKDAYS[new Date(`${day(n)}T00:00:00Z`).getUTCDay()];
/** A deterministic wobble: the k-th value of a fixed cycle. */
const cycle = (values, k) => values[k % values.length];

/** The four orders, one per domain: catalogue code, days of the week and dose. */
const ORDERS = [
  {
    domain: 'strength', code: 'sit-to-stand', display: 'Sit-to-stand', days: ['mon', 'wed', 'fri'], time: '17:30',
    dose: [
      { url: 'sets', valueInteger: 3 },
      { url: 'reps', valueInteger: 10 },
      { url: 'load', valueQuantity: quantity(6, 'kg') },
      { url: 'step', valueInteger: 3 },
    ],
    summary: 'Sit-to-stand: 3 sets of 10 with a 6 kg kettlebell, Mon/Wed/Fri.',
    instruction: 'Stand up from a chair holding a 6 kg kettlebell at your chest, 3 sets of 10. Stop if pain goes above 5/10.',
  },
  {
    domain: 'mobility', code: 'hamstring-stretch', display: 'Hamstring stretch', days: ['mon', 'wed', 'fri'], time: '18:00',
    dose: [
      { url: 'sets', valueInteger: 2 },
      { url: 'reps', valueInteger: 3 },
      { url: 'duration', valueQuantity: quantity(30, 's') },
      { url: 'step', valueInteger: 2 },
    ],
    summary: 'Hamstring stretch: 2 rounds of 3 holds of 30 s per side, Mon/Wed/Fri.',
    instruction: 'Heel on a low step, lean forward with a straight back; hold 30 s, 3 times per side, 2 rounds.',
  },
  {
    domain: 'endurance', code: 'walking', display: 'Walking', days: ['tue', 'thu', 'sat'], time: '10:00',
    dose: [
      { url: 'duration', valueQuantity: quantity(20, 'min') },
      { url: 'heartRateZone', valueRange: { low: quantity(110, '/min'), high: quantity(129, '/min') } },
      { url: 'rpeTarget', valueRange: { low: quantity(4, '{score}'), high: quantity(6, '{score}') } },
      { url: 'step', valueInteger: 2 },
    ],
    summary: 'Walking: 20 min at heart rate 110-129/min, effort 4-6/10, Tue/Thu/Sat.',
    instruction: 'Walk 20 minutes at a pace where you can talk but not sing (effort 4-6 out of 10).',
  },
  {
    domain: 'neuromotor', code: 'single-leg-stance', display: 'Single-leg stance', days: ['tue', 'thu', 'sat'], time: '10:30',
    dose: [
      { url: 'sets', valueInteger: 3 },
      { url: 'duration', valueQuantity: quantity(20, 's') },
      { url: 'step', valueInteger: 1 },
    ],
    summary: 'Single-leg stance: 3 rounds of 20 s per leg, Tue/Thu/Sat.',
    instruction: 'Stand on one leg next to a kitchen counter, 20 s per leg, 3 rounds.',
  },
];
const orderId = (o) => `gradus-example-order-${o.domain}`;

/** Daily pain on waking, easing slowly over the three weeks (means 3.4, 3.1, 2.7). */
const PAIN_BY_DAY = [4, 3, 4, 3, 3, 4, 3, 3, 3, 4, 3, 3, 3, 3, 3, 2, 3, 3, 2, 3, 3];

function patient() {
  return {
    resourceType: 'Patient',
    id: PATIENT_ID,
    text: {
      status: 'generated',
      div: '<div xmlns="http://www.w3.org/1999/xhtml">Alex Example, a fictional test patient (not a real person).</div>',
    },
    identifier: [{ system: 'https://example.org/fictional-patients', value: 'GRADUS-DEMO-0001' }],
    active: true,
    name: [{ use: 'official', family: 'Example', given: ['Alex'] }],
    gender: 'female',
    birthDate: '1972-05-14',
  };
}

function plan() {
  return {
    resourceType: 'CarePlan',
    id: PLAN_ID,
    meta: { profile: [sd('gradus-exercise-plan')] },
    extension: [
      { url: sd('progression-phase'), valueCode: 'build' },
      { url: sd('phase-since'), valueDateTime: `${START}T09:00:00${OFFSET}` },
      { url: sd('progression-policy'), extension: [{ url: 'mode', valueCode: 'pain-guided' }, { url: 'painCeiling', valueInteger: 5 }] },
    ],
    status: 'active',
    intent: 'plan',
    category: [gradus('exercise-program', 'Exercise program')],
    title: 'Graded exercise program for chronic low back pain',
    subject: patientRef,
    period: { start: START },
    created: `2026-01-30T14:00:00${OFFSET}`,
    activity: ORDERS.map((o) => ({ reference: { reference: `ServiceRequest/${orderId(o)}`, display: o.display } })),
    goal: [{ reference: `Goal/${GOAL_ID}` }],
  };
}

function order(o) {
  return {
    resourceType: 'ServiceRequest',
    id: orderId(o),
    meta: { profile: [sd('gradus-exercise-order')] },
    extension: [{ url: sd('exercise-dose'), extension: o.dose }],
    status: 'active',
    intent: 'order',
    category: [
      coded(SNOMED, '229065009', 'Exercise therapy'),
      coded(cs('exercise-domain'), o.domain, o.domain[0].toUpperCase() + o.domain.slice(1)),
    ],
    code: { ...coded(cs('exercise'), o.code, o.display), text: o.display },
    subject: patientRef,
    basedOn: [{ reference: `CarePlan/${PLAN_ID}` }],
    authoredOn: `${START}T09:00:00${OFFSET}`,
    occurrenceTiming: { repeat: { frequency: o.days.length, period: 1, periodUnit: 'wk', dayOfWeek: o.days } },
    patientInstruction: o.instruction,
  };
}

function goal() {
  return {
    resourceType: 'Goal',
    id: GOAL_ID,
    meta: { profile: [sd('gradus-exercise-goal')] },
    lifecycleStatus: 'active',
    description: { text: 'Walk 30 minutes without a break, with pain no higher than 4/10, by the end of April' },
    subject: patientRef,
    startDate: START,
    target: [{ measure: loinc('55411-3', 'Exercise duration'), detailQuantity: quantity(30, 'min'), dueDate: '2026-04-30' }],
  };
}

function checkIn(n) {
  const obs = {
    resourceType: 'Observation',
    id: `gradus-example-check-in-${day(n)}`,
    meta: { profile: [sd('gradus-daily-check-in')] },
    status: 'final',
    category: [coded(OBSERVATION_CATEGORY, 'survey', 'Survey')],
    code: gradus('daily-check-in', 'Daily check-in'),
    subject: patientRef,
    effectiveDateTime: `${day(n)}T07:${String(15 + (n % 4) * 10).padStart(2, '0')}:00${OFFSET}`,
    component: [
      { code: PAIN, valueInteger: PAIN_BY_DAY[n] },
      { code: gradus('morning-stiffness', 'Morning stiffness'), valueInteger: cycle([4, 3, 4, 5, 3], n) },
      { code: gradus('fatigue', 'Fatigue'), valueInteger: cycle([3, 4, 2, 3, 5, 3], n) },
      { code: gradus('mood', 'Mood'), valueInteger: cycle([6, 7, 7, 8, 6], n) },
      { code: loinc('93832-4', 'Sleep duration'), valueQuantity: quantity(cycle([7, 6.5, 7.5, 6, 7], n), 'h') },
      { code: gradus('confidence', 'Confidence to move'), valueInteger: Math.min(8, 5 + Math.floor(n / 7)) + (n % 2) },
      { code: loinc('41950-7', 'Number of steps in 24 hour Measured'), valueQuantity: quantity(5200 + 100 * n + cycle([0, 800, 300, 1100], n), '/d', 'steps/day') },
    ],
  };
  return withNarrative(obs, componentSummary(`Daily check-in ${day(n)}`, obs));
}

/** Session components per domain; `k` counts the order's sessions, so values vary a little. */
function sessionComponents(domain, k) {
  const painDuring = cycle([3, 2, 3, 4, 2, 3], k);
  const pain = [
    { code: gradus('pain-during', 'Worst pain during session'), valueInteger: domain === 'neuromotor' ? Math.max(1, painDuring - 1) : painDuring },
    { code: gradus('pain-after', 'Pain after session'), valueInteger: cycle([3, 2, 2, 3], k) },
  ];
  switch (domain) {
    case 'strength':
      return [
        { code: gradus('sets-completed', 'Sets completed'), valueInteger: 3 },
        { code: gradus('reps-final-set', 'Repetitions in final set'), valueInteger: cycle([10, 11, 10, 12, 11], k) },
        { code: gradus('load-lifted', 'Load lifted'), valueQuantity: quantity(6, 'kg') },
        { code: RPE, valueInteger: cycle([5, 6, 5, 4], k) },
        ...pain,
      ];
    case 'mobility':
      return [
        { code: gradus('sets-completed', 'Sets completed'), valueInteger: 2 },
        { code: gradus('reps-final-set', 'Repetitions in final set'), valueInteger: 3 },
        ...pain,
      ];
    case 'endurance':
      return [
        { code: loinc('55411-3', 'Exercise duration'), valueQuantity: quantity(cycle([20, 21, 20, 22, 23], k), 'min') },
        { code: loinc('8867-4', 'Heart rate'), valueQuantity: quantity(cycle([114, 118, 121, 116, 124], k), '/min', 'beats/minute') },
        { code: RPE, valueInteger: cycle([4, 5, 5, 4], k) },
        ...pain,
      ];
    default:
      return [{ code: gradus('sets-completed', 'Sets completed'), valueInteger: 3 }, ...pain];
  }
}

function session(o, n, k) {
  const start = `${day(n)}T${o.time}:00${OFFSET}`;
  const minutes = o.domain === 'endurance' ? 25 : 15;
  const [h, m] = o.time.split(':').map(Number);
  const endMinutes = h * 60 + m + minutes;
  const end = `${day(n)}T${String(Math.floor(endMinutes / 60)).padStart(2, '0')}:${String(endMinutes % 60).padStart(2, '0')}:00${OFFSET}`;
  const obs = {
    resourceType: 'Observation',
    id: `gradus-example-session-${o.domain}-${day(n)}`,
    meta: { profile: [sd('gradus-exercise-session')] },
    basedOn: [{ reference: `ServiceRequest/${orderId(o)}` }],
    status: 'final',
    category: [coded(OBSERVATION_CATEGORY, 'activity', 'Activity')],
    code: gradus('exercise-session', 'Exercise session'),
    subject: patientRef,
    effectivePeriod: { start, end },
    component: sessionComponents(o.domain, k),
  };
  return withNarrative(obs, componentSummary(`${o.display} session ${day(n)}`, obs));
}

function logs() {
  const out = [];
  const counts = new Map(ORDERS.map((o) => [o.domain, 0]));
  for (let n = 0; n < DAYS; n += 1) {
    out.push(checkIn(n));
    for (const o of ORDERS) {
      if (!o.days.includes(weekday(n))) continue;
      const k = counts.get(o.domain);
      counts.set(o.domain, k + 1);
      out.push(session(o, n, k));
    }
  }
  return out;
}

export function makeExampleBundle() {
  const resources = [
    patient(),
    withNarrative(plan(), `Graded exercise program for chronic low back pain from ${START}, phase build: ${ORDERS.map((o) => o.display.toLowerCase()).join(', ')}.`),
    ...ORDERS.map((o) => withNarrative(order(o), o.summary)),
    withNarrative(goal(), 'Goal: walk 30 minutes without a break, with pain no higher than 4/10, by 2026-04-30.'),
    ...logs(),
  ];
  return {
    resourceType: 'Bundle',
    id: 'gradus-example-patient-bundle',
    type: 'collection',
    timestamp: TIMESTAMP,
    entry: resources.map((resource) => ({ fullUrl: `${SERVER}/${resource.resourceType}/${resource.id}`, resource })),
  };
}

const here = dirname(fileURLToPath(import.meta.url));
const target = process.argv[2] ?? resolve(here, '../examples/patient-bundle.json');
writeFileSync(target, `${JSON.stringify(makeExampleBundle(), null, 2)}\n`);
