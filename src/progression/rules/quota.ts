/**
 * Quota-based (graded activity) order rule: time-contingent, not pain-contingent. Progress by one
 * increment once the order has been active 7 days and >= 2/3 of its prescribed sessions were done in
 * the last 7 days; hold on a boom-bust pattern.
 * See: docs/clinical-rules.md "Order-level rules, mode quota-based" (Lindstrom 1992; Vlaeyen).
 */
import { formatNumber } from '../dose';
import type { OrderFacts, Session } from '../read';
import { days, EPSILON, hold, NO_BASELINE, refs, sessionRefs, sessionsInPhase, type RuleContext } from './order-context';
import { final, lastSetText, progressVerdict, twoForTwo, type OrderVerdict } from './progress-verdict';

export const QUOTA_ACTIVE_DAYS = 7;
/** Share of the prescribed weekly sessions the patient must have done. */
const QUOTA_SHARE = { num: 2, den: 3 } as const;
const BOOM_FACTOR = 1.5;

/** "session on 2026-11-18 lasted 35 min > 150% of 20 min" when a session overshot the prescription. */
function overshoot(session: Session, order: OrderFacts): string | undefined {
  const prescribed = order.dose.duration;
  if (prescribed && session.duration?.unit === prescribed.unit) {
    if (session.duration.value <= BOOM_FACTOR * prescribed.value + EPSILON) return undefined;
    const unit = prescribed.unit;
    return `session on ${session.date} lasted ${formatNumber(session.duration.value)} ${unit} > 150% of ${formatNumber(prescribed.value)} ${unit}`;
  }
  const reps = order.dose.reps;
  if (reps === undefined || session.repsFinalSet === undefined || session.repsFinalSet <= BOOM_FACTOR * reps + EPSILON) return undefined;
  return `session on ${session.date} reached ${formatNumber(session.repsFinalSet)} reps > 150% of ${formatNumber(reps)}`;
}

/** Boom-bust: a session (of the current phase) in the last 7 days above 150% of the prescription, followed by M >= B + 2. */
function boomBust(order: OrderFacts, sessions: readonly Session[], B: number): { reason: string; session: Session } | undefined {
  for (const session of [...sessions].reverse()) {
    if (session.day > 6) continue;
    const over = overshoot(session, order);
    const m = session.nextMorningPain;
    if (over !== undefined && m !== undefined && m.value >= B + 2 - EPSILON) {
      return {
        reason: `boom-bust pattern: ${over}, then next-morning pain ${formatNumber(m.value)}/10 >= B + 2 = ${formatNumber(B + 2)}`,
        session,
      };
    }
  }
  return undefined;
}

/** The quota rule for one order, on the sessions of the current phase (sessionsInPhase): boom-bust, then the quota. */
export function quotaRule(order: OrderFacts, ctx: RuleContext): OrderVerdict {
  const judged = sessionsInPhase(order, ctx.evidence);
  const B = ctx.baseline.value;
  if (B === undefined) return final(hold(order, [NO_BASELINE], sessionRefs(judged.sessions)));
  const boom = boomBust(order, judged.sessions, B);
  if (boom) return final(hold(order, [boom.reason], refs([boom.session, boom.session.nextMorningPain])));

  const since = `since ${order.authoredOn.slice(0, 10)}`;
  if (order.authoredDay < QUOTA_ACTIVE_DAYS) {
    return final(hold(order, [`quota: active ${days(order.authoredDay)} of ${QUOTA_ACTIVE_DAYS} (${since})`]));
  }
  const frequency = order.frequencyPerWeek;
  if (frequency === undefined) return final(hold(order, ['quota: the order states no sessions per week (occurrenceTiming)']));
  const recent = judged.sessions.filter((s) => s.day >= 0 && s.day <= 6);
  const needed = Math.ceil((QUOTA_SHARE.num * frequency) / QUOTA_SHARE.den - EPSILON);
  const window = judged.sessions === order.sessions ? 'in the last 7 days' : `in the last 7 days since ${judged.since}`;
  const did = `did ${recent.length} of ${formatNumber(frequency)} prescribed sessions ${window}`;
  if (recent.length < needed) return final(hold(order, [`quota: ${did} (needs at least ${needed}, 2/3)`], refs(recent)));

  const last = judged.sessions.slice(-ctx.evidence.policy.stableSessions);
  const met = last.length === ctx.evidence.policy.stableSessions && twoForTwo(order, last);
  const why = [`quota met: active ${days(order.authoredDay)} and ${did} (at least ${needed} needed)`];
  const lastSet = lastSetText(order, last, met);
  if (lastSet !== undefined) why.push(lastSet);
  return progressVerdict(order, why, { twoForTwo: met, evidence: refs(recent) });
}
