/**
 * Plan rule 7 (phase baseline): an order with >= 3 tolerance tests dated after its authoredOn gets its
 * dose at 75% of their mean tolerance, step 1; phase build once no current order is left without one.
 * See: docs/clinical-rules.md "Plan-level rules" 7 (Lindstrom 1992; Lambeek 2007).
 */
import { compareDateTimes } from '../read';
import { copyDose, describeDose, formatNumber } from '../dose';
import type { OrderFacts, ToleranceTest } from '../read';
import { decide, hold, refs, sentence, type RuleContext } from './order-context';
import { roundOn } from '../dose';
import type { Dose, Evaluation, OrderEvaluation } from '../types';

export const TESTS_NEEDED = 3;
export const BASELINE_FRACTION = 0.75;

/** Tests dated after `since`, in the unit of the most recent of them. */
function usableTests(tests: readonly ToleranceTest[], since: string, until?: string): ToleranceTest[] {
  const after = tests.filter((t) => compareDateTimes(t.at, since) > 0 && (until === undefined || compareDateTimes(t.at, until) <= 0));
  const unit = after.at(-1)?.unit;
  return after.filter((t) => t.unit === unit);
}

/**
 * True when the order's dose was already established: the order it replaces had >= 3 tolerance tests
 * after its own authoredOn and no later than this order's (an earlier run established this dose).
 */
function establishedBefore(order: OrderFacts): boolean {
  const replaced = order.chain[1];
  if (!replaced) return false;
  return usableTests(order.toleranceTests, replaced.authoredOn, order.authoredOn).length >= TESTS_NEEDED;
}

/** The dose set from tolerance tests: 75% of their mean, rounded in its unit; step 1. */
function baselineDose(dose: Dose, tests: readonly ToleranceTest[]): { dose: Dose; change: string } {
  const unit = tests[0]?.unit ?? 'min';
  const mean = tests.reduce((s, t) => s + t.value, 0) / tests.length;
  const out = copyDose(dose);
  out.step = 1;
  let value: number;
  if (unit === '{repetitions}') {
    value = roundOn('count', BASELINE_FRACTION * mean);
    out.reps = value;
  } else {
    value = roundOn(unit, BASELINE_FRACTION * mean);
    out.duration = { value, unit };
  }
  const what = unit === '{repetitions}' ? 'reps' : unit === 's' ? 'hold' : 'duration';
  const u = unit === '{repetitions}' ? '' : ` ${unit}`;
  const values = tests.map((t) => formatNumber(t.value)).join(', ');
  return {
    dose: out,
    change: `${what} ${formatNumber(value)}${u} = 75% of the mean tolerance ${formatNumber(mean)}${u} (${tests.length} tests: ${values}); step 1`,
  };
}

/** Rule 7 (phase baseline). */
export function baselineRule({ evidence }: RuleContext): Evaluation | undefined {
  if (evidence.phase !== 'baseline') return undefined;
  const results = evidence.orders.map((order): { evaluation: OrderEvaluation; established: boolean } => {
    if (establishedBefore(order)) {
      return { evaluation: hold(order, [`baseline already established (${describeDose(order.dose)})`]), established: true };
    }
    const tests = usableTests(order.toleranceTests, order.authoredOn);
    if (tests.length < TESTS_NEEDED) {
      const missing = TESTS_NEEDED - tests.length;
      const why = `${tests.length} of ${TESTS_NEEDED} tolerance tests since ${order.authoredOn.slice(0, 10)}; ${missing} missing`;
      return { evaluation: hold(order, [why], refs(tests)), established: false };
    }
    const set = baselineDose(order.dose, tests);
    return {
      evaluation: { ...decide(order, 'establish-baseline', sentence('Baseline established', [set.change]), refs(tests)), newDose: set.dose },
      established: true,
    };
  });
  const orders = results.map((r) => r.evaluation);
  const anyNew = orders.some((o) => o.decision === 'establish-baseline');
  const waiting = results.filter((r) => !r.established).length;
  if (waiting === 0) {
    return {
      plan: {
        phaseFrom: 'baseline',
        phaseTo: 'build',
        decision: 'establish-baseline',
        rationale: sentence('Baseline complete', ['every current order has an established dose']),
      },
      orders,
    };
  }
  return {
    plan: {
      phaseFrom: 'baseline',
      phaseTo: 'baseline',
      decision: anyNew ? 'establish-baseline' : 'hold',
      rationale: sentence(anyNew ? 'Baseline in progress' : 'Held', [`${waiting} order(s) still need tolerance tests`]),
    },
    orders,
  };
}
