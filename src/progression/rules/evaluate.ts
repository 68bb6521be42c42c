/**
 * Evidence -> decisions: plan-level rules first (the first that fires decides for every current order),
 * else the order-level rules of phase build. Pure and deterministic; in phase `referred` nothing changes.
 * See: docs/clinical-rules.md "How rules combine".
 */
import { baselinePain } from './baseline-pain';
import type { Evidence } from '../read';
import { hold, type RuleContext } from './order-context';
import { evaluateOrders } from './order-rules';
import { intensityMeasure } from '../read';
import { applyPlanRules } from './plan-rules';
import type { Evaluation, Policy } from '../types';

/** Decides for the plan and each current order. `policy` defaults to the evidence's merged policy. */
export function evaluate(evidence: Evidence, policy: Policy = evidence.policy): Evaluation {
  const withPolicy: Evidence =
    policy === evidence.policy
      ? evidence
      : {
          ...evidence,
          policy,
          orders: evidence.orders.map((o) => ({ ...o, intensityBy: intensityMeasure(policy, o.dose) })),
        };
  const phase = withPolicy.phase;
  if (phase === 'referred') {
    return {
      plan: { phaseFrom: phase, phaseTo: phase },
      orders: withPolicy.orders.map((o) => hold(o, ['the plan is referred: only a clinician can resume it'])),
    };
  }
  const ctx: RuleContext = { evidence: withPolicy, baseline: baselinePain(withPolicy) };
  return applyPlanRules(ctx) ?? { plan: { phaseFrom: phase, phaseTo: phase }, orders: evaluateOrders(ctx) };
}
