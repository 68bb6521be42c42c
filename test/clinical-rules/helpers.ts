/**
 * Shared by the clinical-rules audit (test/clinical-rules/*.test.ts): one patient at one `now`, the orders the
 * cases reuse, and the assertions. Each case is worked out by hand from a sentence of docs/clinical-rules.md (cited
 * in its `rule`), not from the engine's code, and runs through the whole engine.
 * See: docs/clinical-rules.md; implementation-guide.md "Extensions to the contract" for the readings.
 */
import type { Bundle, CarePlan, Observation } from 'fhir/r4';
import { EXT } from '../../src/fhir/codes';
import { progress, type OrderDecision, type ProgressResult } from '../../src/progression/progress';
import type { DecisionCode, Dose, Phase } from '../../src/progression/types';
import { history, type HistoryBuilder, type HistoryOptions, type OrderInput, type SessionOptions } from '../support/builder';
import { coreDose, parts } from '../support/inspect';

/** Tuesday 10 March 2026, 09:00 in Central Europe: day 0. */
export const NOW = '2026-03-10T09:00:00+01:00';
export const ok = { painDuring: 2, painAfter: 2 };
export const min = (value: number): Dose['duration'] => ({ value, unit: 'min' });
export const sec = (value: number): Dose['duration'] => ({ value, unit: 's' });

export interface PatientOptions extends Partial<HistoryOptions> {
  /** Daily pain per day 20..0 (undefined: no check-in that day). Default 2 every day, so B = 2. */
  pain?: (day: number) => number | undefined;
}

/** Program week 5 (no planned deload), phase build since day 30, a morning check-in every day 20..0. */
export function patient({ pain = () => 2, ...options }: PatientOptions = {}): HistoryBuilder {
  return history({ now: NOW, planStart: 30, phase: 'build', phaseSince: 30, ...options }).checkIns(20, 0, (day) => {
    const value = pain(day);
    return value === undefined ? undefined : { pain: value };
  });
}

export const SQ: OrderInput = { id: 'sq', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 20, step: 3 }, authoredOn: 14 };
export const SQ_DONE: SessionOptions = { ...ok, sets: 3, reps: 10, load: 20 };
export const WALK: OrderInput = { id: 'walk', exercise: 'walking', dose: { duration: min(30), rpeTarget: { low: 4, high: 6 }, step: 2 }, authoredOn: 14 };
export const STRETCH: OrderInput = { id: 'stretch', exercise: 'hamstring-stretch', dose: { sets: 3, duration: sec(30), step: 2 }, authoredOn: 14 };
export const BALANCE: OrderInput = { id: 'balance', exercise: 'single-leg-stance', dose: { sets: 3, duration: sec(30), step: 1 }, authoredOn: 14 };
export const WPU: OrderInput = { id: 'wpu', exercise: 'wall-push-up', dose: { sets: 2, reps: 10, step: 2 }, authoredOn: 16 };

/** One order with sessions on days 5 and 2 (next mornings: days 4 and 1). */
export function oneOrder(order: OrderInput, session: SessionOptions, options: PatientOptions = {}): Bundle {
  return patient(options).order(order).sessions(order.id, [5, 2], session).build();
}

export function decisionOf(r: ProgressResult, id: string): OrderDecision {
  const found = r.orders.find((o) => o.orderId === id);
  if (!found) throw new Error(`no decision for order ${id}`);
  return found;
}

export const planWritten = (r: ProgressResult): CarePlan | undefined => parts(r.transaction).planPut?.resource;

/** The same records without the plan's flare-since (to exercise the flare-start fallbacks). */
export function withoutFlareSince(bundle: Bundle): Bundle {
  const plan = bundle.entry?.map((e) => e.resource).find((x): x is CarePlan => x?.resourceType === 'CarePlan');
  const kept = plan?.extension?.filter((e) => e.url !== EXT.flareSince) ?? [];
  if (!plan || kept.length === plan.extension?.length) throw new Error('the plan has no flare-since to remove');
  plan.extension = kept;
  return bundle;
}

/** Asserts one order's decision, its new core dose (sets/reps/load/duration/step) and phrases of its rationale. */
export function expectOrder(r: ProgressResult, id: string, decision: DecisionCode, to?: Dose, says: string[] = []): OrderDecision {
  const d = decisionOf(r, id);
  expect(`${d.decision}: ${d.rationale}`).toMatch(new RegExp(`^${decision}: `));
  if (to !== undefined) expect(coreDose(d.to)).toEqual(to);
  for (const phrase of says) expect(d.rationale).toContain(phrase);
  return d;
}

export interface Case {
  name: string;
  /** The sentence of docs/clinical-rules.md the case checks. */
  rule: string;
  bundle: () => Bundle;
  check: (r: ProgressResult) => void;
  /** The evaluation time (default NOW). */
  now?: string;
}

export function run(c: Pick<Case, 'bundle' | 'now'>): ProgressResult {
  return progress(c.bundle(), { now: c.now ?? NOW });
}

/** The same records with one Observation re-dated (e.g. into another UTC offset). */
export function retimed(bundle: Bundle, id: string, effectiveDateTime: string): Bundle {
  const obs = bundle.entry?.map((e) => e.resource).find((x): x is Observation => x?.resourceType === 'Observation' && x.id === id);
  if (!obs) throw new Error(`${id} not built`);
  delete obs.effectivePeriod;
  obs.effectiveDateTime = effectiveDateTime;
  return bundle;
}

export const phaseOf = (r: ProgressResult): [Phase, Phase, DecisionCode | undefined] => [r.plan.phaseFrom, r.plan.phaseTo, r.plan.decision];

/** One table test per case: `name [rule]`. */
export function auditCases(title: string, cases: readonly Case[]): void {
  describe(title, () => {
    it.each(cases)('$name [$rule]', (c) => {
      c.check(run(c));
    });
  });
}
