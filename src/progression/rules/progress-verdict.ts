/**
 * A rule's verdict on one order, and the progress step shared by the pain-guided and quota rules
 * (2-for-2, top of the ladder). See: docs/clinical-rules.md "Increments (one step)".
 */
import { formatNumber } from '../dose';
import type { OrderFacts, Session } from '../read';
import { progressDose, type DoseChange } from '../dose';
import { EPSILON, hold, sentence } from './order-context';
import type { OrderEvaluation } from '../types';

/** A rule's verdict on one order: a final evaluation, or a wish to progress (subject to alternating focus). */
export type OrderVerdict = { kind: 'final'; evaluation: OrderEvaluation } | { kind: 'progress'; evaluation: OrderEvaluation };

export const TOP_OF_LADDER = 'top of the ladder: choose a harder variant or add load';

export function final(evaluation: OrderEvaluation): OrderVerdict {
  return { kind: 'final', evaluation };
}

/** reps-final-set >= reps + 2 in every one of the sessions (and there is a rep prescription). */
export function twoForTwo(order: OrderFacts, sessions: readonly Session[]): boolean {
  const reps = order.dose.reps;
  return reps !== undefined && sessions.length > 0 && sessions.every((s) => s.repsFinalSet !== undefined && s.repsFinalSet >= reps + 2 - EPSILON);
}

/** "last set 14 reps at 5 kg vs 12 prescribed (2-for-2 met)", for strength with load (the only dose 2-for-2 moves). */
export function lastSetText(order: OrderFacts, sessions: readonly Session[], met: boolean): string | undefined {
  const last = sessions.at(-1);
  const reps = order.dose.reps;
  if (order.domain !== 'strength' || order.dose.load === undefined) return undefined;
  if (last?.repsFinalSet === undefined || reps === undefined) return undefined;
  const load = last.loadLifted ?? order.dose.load;
  const at = load !== undefined ? ` at ${formatNumber(load)} kg` : '';
  return `last set ${formatNumber(last.repsFinalSet)} reps${at} vs ${formatNumber(reps)} prescribed (2-for-2 ${met ? 'met' : 'not met'})`;
}

/** The progress proposal, or a hold when the dose is at the top of its ladder. */
export function progressVerdict(order: OrderFacts, why: string[], options: { twoForTwo: boolean; evidence: string[] }): OrderVerdict {
  const change: DoseChange = progressDose(order.dose, order.domain, { twoForTwo: options.twoForTwo });
  if (change.atTop) return final(hold(order, [TOP_OF_LADDER, ...why], options.evidence));
  return {
    kind: 'progress',
    evaluation: {
      orderId: order.id,
      decision: 'progress',
      rationale: sentence('Progressed', [...why, ...change.changes]),
      newDose: change.dose,
      evidence: options.evidence,
    },
  };
}
