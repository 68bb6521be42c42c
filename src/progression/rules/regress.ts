/**
 * Order rule 1: a session with pain during or after above the ceiling, or next-morning pain >= B + 2,
 * steps the order back to the most recent lower dose in its replaces chain when that is no lower than one
 * increment down, else one increment down: a regress never moves more than one increment (right after a
 * resume, the chain's most recent lower dose is the deload dose, 40% down).
 * See: docs/clinical-rules.md "Order-level rules in phase build", rule 1; implementation-guide.md
 * "Extensions to the contract" (a regress moves at most one increment).
 */
import { copyDose, describeDose, durationSeconds, formatNumber, isLower } from '../dose';
import type { OrderFacts, Session } from '../read';
import { regressDose } from '../dose';
import { EPSILON, hold, refs, sentence, type RuleContext } from './order-context';
import type { Dose, OrderEvaluation } from '../types';

/** Why one session calls for a regress (empty when it does not). */
function regressReasons(session: Session, ctx: RuleContext): string[] {
  const ceiling = ctx.evidence.policy.painCeiling;
  const B = ctx.baseline.value;
  const out: string[] = [];
  const on = `session on ${session.date}`;
  if (session.painDuring !== undefined && session.painDuring > ceiling + EPSILON) {
    out.push(`pain during ${on} was ${formatNumber(session.painDuring)}/10 > ceiling ${ceiling}`);
  }
  if (session.painAfter !== undefined && session.painAfter > ceiling + EPSILON) {
    out.push(`pain after ${on} was ${formatNumber(session.painAfter)}/10 > ceiling ${ceiling}`);
  }
  const m = session.nextMorningPain;
  if (B !== undefined && m !== undefined && m.value >= B + 2 - EPSILON) {
    out.push(`next-morning pain on ${m.date} after the ${on} was ${formatNumber(m.value)}/10 >= B + 2 = ${formatNumber(B + 2)}`);
  }
  return out;
}

export interface RegressTarget {
  dose: Dose;
  /** What changed and why this dose ("load 10 kg -> 9 kg (-10%)", "... (the most recent lower dose ...)"). */
  change: string;
}

/**
 * Whether no dose variable of `candidate` is below its value one increment down: the whole-dose order
 * (isLower) compares load before reps, so 1 x 6 at 20 kg is "above" 1 x 10 at 18 kg yet drops 4 reps at once.
 */
function noVariableBelow(candidate: Dose, floor: Dose): boolean {
  const pairs: [number | undefined, number | undefined][] = [
    [candidate.load, floor.load],
    [candidate.reps, floor.reps],
    [candidate.sets ?? 1, floor.sets ?? 1],
    [durationSeconds(candidate.duration), durationSeconds(floor.duration)],
  ];
  return pairs.every(([value, min]) => min === undefined || (value !== undefined && value >= min));
}

/**
 * The most recent lower dose in the replaces chain when it is no lower than one increment down (regressDose,
 * compared variable by variable), else one increment down; undefined at the bottom of the ladder.
 */
function regressTarget(order: OrderFacts): RegressTarget | undefined {
  const current = order.dose;
  const down = regressDose(current, order.domain);
  if (down.atTop) return undefined;
  const lower = order.chain.slice(1).find((link) => isLower(link.dose, current, order.domain));
  if (lower && noVariableBelow(lower.dose, down.dose)) {
    const dose = copyDose(lower.dose);
    if (current.step !== undefined) dose.step = Math.max(1, current.step - 1);
    return {
      dose,
      change: `${describeDose(current)} -> ${describeDose(lower.dose)} (the most recent lower dose in its replaces chain, from ${lower.authoredOn.slice(0, 10)})`,
    };
  }
  const skipped = lower
    ? `; the most recent lower dose in its replaces chain, ${describeDose(lower.dose)} from ${lower.authoredOn.slice(0, 10)}, is more than one increment down`
    : '';
  return { dose: down.dose, change: `${down.changes.join('; ')} (one increment down${skipped})` };
}

/**
 * Rule 1 for one order, judged on `sessions` (the sessions of the current phase, sessionsInPhase): regress, a
 * hold at the bottom of the ladder, or undefined when no session calls for it.
 */
export function regressRule(order: OrderFacts, sessions: readonly Session[], ctx: RuleContext): OrderEvaluation | undefined {
  const offending = sessions.map((s) => ({ s, reasons: regressReasons(s, ctx) })).filter((o) => o.reasons.length > 0);
  if (offending.length === 0) return undefined;
  const why = offending.flatMap((o) => o.reasons);
  const evidence = refs(offending.flatMap((o) => [o.s, o.s.nextMorningPain]));
  const target = regressTarget(order);
  if (!target) return hold(order, [...why, `${describeDose(order.dose)} is already the lowest dose: review with the clinician`], evidence);
  return { orderId: order.id, decision: 'regress', rationale: sentence('Regressed', [...why, target.change]), newDose: target.dose, evidence };
}
