/**
 * Order-level rules in phase build: regress / week-over-week hold / progress / hold (pain-guided), or the
 * quota rules, then alternating focus (at most one progressing order per domain).
 * See: docs/clinical-rules.md "Order-level rules" and "Alternating focus".
 */
import { compareDateTimes } from '../read';
import { isLower } from '../dose';
import type { ChainLink, OrderFacts } from '../read';
import { exerciseName, hold, NO_BASELINE, refs, sessionRefs, sessionsInPhase, type RuleContext } from './order-context';
import { final, lastSetText, progressVerdict, twoForTwo, type OrderVerdict } from './progress-verdict';
import { qualify } from './qualification';
import { quotaRule } from './quota';
import { regressRule } from './regress';
import { describeTrend, weeklyTrend } from './trend';
import type { Domain, OrderEvaluation } from '../types';

/** Pain-guided rules 1-4 for one order, on the sessions of the current phase (sessionsInPhase). */
function painGuided(order: OrderFacts, ctx: RuleContext): OrderVerdict {
  const judged = sessionsInPhase(order, ctx.evidence);
  const regress = regressRule(order, judged.sessions, ctx);
  if (regress) return final(regress);
  const B = ctx.baseline.value;
  if (B === undefined) return final(hold(order, [NO_BASELINE], sessionRefs(judged.sessions)));

  const trend = weeklyTrend(ctx.evidence);
  if (trend?.rose) return final(hold(order, [describeTrend(trend)], refs(trend.values)));

  const n = ctx.evidence.policy.stableSessions;
  const last = judged.sessions.slice(-n);
  if (last.length < n) {
    return final(hold(order, [`${last.length} of ${n} sessions needed since ${judged.since}`], sessionRefs(last)));
  }
  const verdicts = last.map((s) => ({ s, q: qualify(s, { order, baseline: B, policy: ctx.evidence.policy }) }));
  const failing = verdicts.filter((v) => !v.q.qualifies);
  const notes = [...new Set(verdicts.flatMap((v) => v.q.notes))];
  if (failing.length > 0) {
    const why = failing.map((v) => `session on ${v.s.date} does not qualify (${v.q.reasons.join(', ')})`);
    return final(hold(order, [...why, ...notes], sessionRefs(last)));
  }
  const met = twoForTwo(order, last);
  const why = [`${n} qualifying sessions in a row (${last.map((s) => s.date).join(', ')})`];
  const lastSet = lastSetText(order, last, met);
  if (lastSet !== undefined) why.push(lastSet);
  return progressVerdict(order, [...why, ...notes], { twoForTwo: met, evidence: sessionRefs(last) });
}

/** Days (0-6: the last 7 days) in which a same-domain order's progress makes the others hold. */
export const FOCUS_DAYS = 7;

/**
 * Whether `link` was a progress over the order it replaced: its step rose (progress is the only change that raises
 * the step); without steps on either, its dose is higher than the one it replaced.
 */
function wasProgress(link: ChainLink, replaced: ChainLink, domain: Domain): boolean {
  if (link.dose.step !== undefined || replaced.dose.step !== undefined) return (link.dose.step ?? 1) > (replaced.dose.step ?? 1);
  return isLower(replaced.dose, link.dose, domain);
}

/**
 * The most recent progress in an order's replaces chain authored in the last 7 days (days 0-6), also when a later
 * change (a regress) followed it; undefined when there is none.
 */
function recentProgress(order: OrderFacts, dayOf: (dateTime: string) => number): ChainLink | undefined {
  for (let i = 0; i + 1 < order.chain.length; i++) {
    const link = order.chain[i];
    const replaced = order.chain[i + 1];
    if (!link || !replaced) break;
    const day = dayOf(link.authoredOn);
    if (day >= 0 && day < FOCUS_DAYS && wasProgress(link, replaced, order.domain)) return link;
  }
  return undefined;
}

/**
 * Alternating focus: of the orders that would progress, one per domain does (the oldest last change,
 * then the smaller id); the others hold with "alternating focus". An order also holds when another current
 * order of its domain progressed within the last 7 days (a progress in its replaces chain authored in days 0-6,
 * even if a regress followed it), so that focus alternates week by week and a same-day re-run does not hand the
 * turn to the next order.
 * See: implementation-guide.md "Extensions to the contract" (alternating focus across runs).
 */
function alternateFocus(orders: readonly OrderFacts[], verdicts: readonly OrderVerdict[], dayOf: (dateTime: string) => number): OrderEvaluation[] {
  const recent = new Map<string, ChainLink>();
  for (const o of orders) {
    const link = recentProgress(o, dayOf);
    if (link) recent.set(o.id, link);
  }
  const recentSibling = (order: OrderFacts): { sibling: OrderFacts; link: ChainLink } | undefined => {
    for (const o of orders) {
      const link = recent.get(o.id);
      if (link && o.id !== order.id && o.domain === order.domain) return { sibling: o, link };
    }
    return undefined;
  };
  const winners = new Map<string, OrderFacts>();
  verdicts.forEach((v, i) => {
    const order = orders[i];
    if (v.kind !== 'progress' || !order || recentSibling(order)) return;
    const best = winners.get(order.domain);
    const older = !best || compareDateTimes(order.authoredOn, best.authoredOn) < 0 || (compareDateTimes(order.authoredOn, best.authoredOn) === 0 && order.id < best.id);
    if (older) winners.set(order.domain, order);
  });
  return verdicts.map((v, i) => {
    const order = orders[i];
    if (v.kind !== 'progress' || !order) return v.evaluation;
    const recentOne = recentSibling(order);
    if (recentOne) {
      const when = recentOne.link.authoredOn.slice(0, 10);
      return hold(
        order,
        [`alternating focus: one ${order.domain} order progresses at a time, and ${exerciseName(recentOne.sibling)} progressed on ${when} (within the last ${FOCUS_DAYS} days)`],
        v.evaluation.evidence,
      );
    }
    const winner = winners.get(order.domain);
    if (!winner || winner.id === order.id) return v.evaluation;
    return hold(
      order,
      [`alternating focus: one ${order.domain} order progresses at a time, and ${exerciseName(winner)} (last change ${winner.authoredOn.slice(0, 10)}) goes first`],
      v.evaluation.evidence,
    );
  });
}

/** Order-level decisions for every current order (phase build, no plan-level rule fired). */
export function evaluateOrders(ctx: RuleContext): OrderEvaluation[] {
  const { orders, policy } = ctx.evidence;
  const verdicts = orders.map((order) => (policy.mode === 'quota-based' ? quotaRule(order, ctx) : painGuided(order, ctx)));
  const { calendar } = ctx.evidence;
  return alternateFocus(orders, verdicts, (dateTime) => calendar.day(dateTime));
}
