/**
 * Plan-level rules in their order (red flag, flare, during a flare, return-to-load, deload, end of
 * deload, baseline): the first that fires decides for every current order.
 * See: docs/clinical-rules.md "How rules combine" and "Plan-level rules".
 */
import { baselineRule } from './baseline';
import { deloadRule, endOfDeloadRule } from './deload';
import { duringFlareRule, flareRule } from './flare';
import { decide, refs, sentence, type RuleContext } from './order-context';
import { returnToLoadRule } from './return-to-load';
import type { Evaluation } from '../types';

/** Red flags count for this many days (days 0-13). */
export const RED_FLAG_DAYS = 14;

/** Rule 1: any symptom alert with value true in days 0-13 -> refer. */
function redFlagRule({ evidence }: RuleContext): Evaluation | undefined {
  if (evidence.phase === 'referred') return undefined;
  const alerts = evidence.symptomAlerts.filter((a) => a.present && a.day >= 0 && a.day < RED_FLAG_DAYS);
  if (alerts.length === 0) return undefined;
  const list = alerts.map((a) => `${a.display ?? a.code} on ${a.date}`).join(', ');
  const why = `red-flag symptom reported in the last ${RED_FLAG_DAYS} days: ${list}`;
  const used = refs(alerts);
  return {
    plan: { phaseFrom: evidence.phase, phaseTo: 'referred', decision: 'refer', rationale: sentence('Referred', [why, 'clinician review needed']) },
    orders: evidence.orders.map((o) => ({ ...decide(o, 'refer', sentence('Referred', [why, 'order put on hold']), used), newStatus: 'on-hold' as const })),
  };
}

/** The plan rules in the order they are checked. */
export const PLAN_RULES: ReadonlyArray<(ctx: RuleContext) => Evaluation | undefined> = [
  redFlagRule,
  flareRule,
  duringFlareRule,
  returnToLoadRule,
  deloadRule,
  endOfDeloadRule,
  baselineRule,
];

/** The decision of the first plan rule that fires; undefined when none does (order rules decide). */
export function applyPlanRules(ctx: RuleContext): Evaluation | undefined {
  for (const rule of PLAN_RULES) {
    const out = rule(ctx);
    if (out) return out;
  }
  return undefined;
}

