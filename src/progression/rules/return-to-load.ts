/**
 * Plan rule 4 (phase return-to-load): weekly steps of +10% of the pre-flare dose for orders whose
 * sessions since their last step all qualify; phase build once every order is back at its pre-flare dose.
 * See: docs/clinical-rules.md "Plan-level rules" 4 and "Terms" (flare start).
 */
import { describeBaseline } from './baseline-pain';
import { compareDateTimes } from '../read';
import { describeDose, isLower } from '../dose';
import type { ChainLink, Evidence, OrderFacts } from '../read';
import { returnStepDose } from '../dose';
import { days, decide, hold, NO_BASELINE, sentence, sessionRefs, type RuleContext } from './order-context';
import { qualify } from './qualification';
import type { Dose, Evaluation, OrderEvaluation } from '../types';

/** Days after an order's last step before the next return step. */
export const RETURN_STEP_DAYS = 7;

/** The most recent order in the replaces chain authored before the flare start. */
export function preFlareDose(order: OrderFacts, flareStart: string): ChainLink | undefined {
  return order.chain.find((link) => compareDateTimes(link.authoredOn, flareStart) < 0);
}

/**
 * Flare start: `flare-since`; else in phase flare the phase start; else (return-to-load) the latest
 * authoredOn of the first order up each replaces chain whose dose is lower than the dose it replaced.
 */
function flareStartOf(evidence: Evidence): string | undefined {
  if (evidence.flareSince !== undefined) return evidence.flareSince;
  if (evidence.phase === 'flare') return evidence.phaseStart;
  const starts = evidence.orders.flatMap((order) => {
    for (let i = 0; i + 1 < order.chain.length; i++) {
      const link = order.chain[i];
      const replaced = order.chain[i + 1];
      if (link && replaced && isLower(link.dose, replaced.dose, order.domain)) return [link.authoredOn];
    }
    return [];
  });
  return starts.sort(compareDateTimes).at(-1);
}

interface Step {
  evaluation: OrderEvaluation;
  /** The order's dose after this evaluation. */
  dose: Dose;
  preFlare: Dose;
}

function stepOrder(order: OrderFacts, ctx: RuleContext, flareStart: string | undefined, B: number): Step {
  const link = flareStart !== undefined ? preFlareDose(order, flareStart) : undefined;
  const preFlare = link?.dose ?? order.dose;
  const base = { dose: order.dose, preFlare };
  const used = sessionRefs(order.sessions);
  if (!isLower(order.dose, preFlare, order.domain)) {
    return { ...base, evaluation: hold(order, [`back at the pre-flare dose (${describeDose(preFlare)})`]) };
  }
  const lastStep = `last step on ${order.authoredOn.slice(0, 10)}`;
  if (order.authoredDay < RETURN_STEP_DAYS) {
    return { ...base, evaluation: hold(order, [`${lastStep}, ${days(order.authoredDay)} ago (steps every ${RETURN_STEP_DAYS} days)`], used) };
  }
  if (order.sessions.length === 0) return { ...base, evaluation: hold(order, [`no session since the ${lastStep}`]) };
  const failing = order.sessions
    .map((s) => ({ s, q: qualify(s, { order, baseline: B, policy: ctx.evidence.policy }) }))
    .filter((v) => !v.q.qualifies);
  if (failing.length > 0) {
    const why = failing.map((v) => `session on ${v.s.date} does not qualify (${v.q.reasons.join(', ')})`);
    return { ...base, evaluation: hold(order, why, used) };
  }
  const change = returnStepDose(order.dose, preFlare, order.domain);
  if (change.atTop) return { ...base, evaluation: hold(order, [`back at the pre-flare dose (${describeDose(preFlare)})`]) };
  const why = `${lastStep} (${days(order.authoredDay)} ago) and all ${order.sessions.length} sessions since qualify`;
  return {
    dose: change.dose,
    preFlare,
    evaluation: { ...decide(order, 'return-to-load', sentence('Return to load', [why, ...change.changes]), used), newDose: change.dose },
  };
}

/** Rule 4 (phase return-to-load). */
export function returnToLoadRule(ctx: RuleContext): Evaluation | undefined {
  const { evidence, baseline } = ctx;
  if (evidence.phase !== 'return-to-load') return undefined;
  if (baseline.value === undefined) {
    return {
      plan: { phaseFrom: 'return-to-load', phaseTo: 'return-to-load', decision: 'hold', rationale: sentence('Held', [NO_BASELINE]) },
      orders: evidence.orders.map((o) => hold(o, [NO_BASELINE])),
    };
  }
  const flareStart = flareStartOf(evidence);
  const steps = evidence.orders.map((o) => stepOrder(o, ctx, flareStart, baseline.value ?? 0));
  const done = steps.every((s, i) => {
    const order = evidence.orders[i];
    return order !== undefined && !isLower(s.dose, s.preFlare, order.domain);
  });
  const stepped = steps.some((s) => s.evaluation.decision === 'return-to-load');
  const orders = steps.map((s) => s.evaluation);
  if (done) {
    return {
      plan: {
        phaseFrom: 'return-to-load',
        phaseTo: 'build',
        decision: 'return-to-load',
        rationale: sentence('Return to load complete', ['every order is back at its pre-flare dose', describeBaseline(baseline)]),
        referencePain: null,
        flareSince: null,
      },
      orders,
    };
  }
  return { plan: { phaseFrom: 'return-to-load', phaseTo: 'return-to-load', decision: stepped ? 'return-to-load' : 'hold' }, orders };
}
