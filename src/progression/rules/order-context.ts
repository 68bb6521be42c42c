/**
 * What every rule gets: the evidence, B, and small helpers shared by the plan and order rules
 * (rationale sentences, evidence references, day words).
 */
import type { BaselinePain } from './baseline-pain';
import { compareDateTimes, parseDateTime } from '../read';
import type { DatedFact, Evidence, OrderFacts, Session } from '../read';
import type { DecisionCode, OrderEvaluation } from '../types';

export interface RuleContext {
  evidence: Evidence;
  baseline: BaselinePain;
}

/** "Held: a; b" — a decision word, then the reasons. */
export function sentence(head: string, parts: readonly string[]): string {
  const body = parts.filter((p) => p.length > 0).join('; ');
  return body.length > 0 ? `${head}: ${body}` : head;
}

/** Unique Observation references in first-seen order. */
export function refs(facts: ReadonlyArray<DatedFact | undefined>): string[] {
  return [...new Set(facts.flatMap((f) => (f ? [f.source] : [])))];
}

/** A session and the next-morning pain it was judged by. */
export function sessionRefs(sessions: readonly Session[]): string[] {
  return refs(sessions.flatMap((s) => [s, s.nextMorningPain]));
}

/** An OrderEvaluation for `hold`. */
export function hold(order: OrderFacts, reasons: readonly string[], evidence: string[] = []): OrderEvaluation {
  return { orderId: order.id, decision: 'hold', rationale: sentence('Held', reasons), evidence };
}

/** An OrderEvaluation with the given decision (no dose change). */
export function decide(order: OrderFacts, decision: DecisionCode, rationale: string, evidence: string[] = []): OrderEvaluation {
  return { orderId: order.id, decision, rationale, evidence };
}

/** The name of an order's exercise for rationales and decisions: its display, else its code, else the order id. */
export function exerciseName(order: OrderFacts): string {
  return order.exercise.display ?? order.exercise.code ?? order.id;
}

/** "1 day", "3 days". */
export function days(n: number): string {
  return `${n} day${n === 1 ? '' : 's'}`;
}

/** The reason every rule that needs B gives when it is unknown. */
export const NO_BASELINE = 'no baseline pain on record';

/** Tolerance for comparisons of recorded values with computed thresholds. */
export const EPSILON = 1e-9;

/** The sessions an order's rules judge in phase build, and what they are counted from ("its last change on ..."). */
export interface PhaseSessions {
  sessions: Session[];
  since: string;
}

/**
 * The sessions every order rule of phase build judges (regress, progress, the quota count and boom-bust; not the
 * weekly trend, which reads daily pain): those on or after the later of the order's authoredOn (its sessions, by
 * calendar day) and the phase start recorded in `phase-since` (by instant). Each phase judges its own sessions:
 * those before a phase change were judged by that phase's rules, which hold or reduce, so after a baseline,
 * resume or return to build an order needs `stableSessions` fresh sessions to progress, a painful session from
 * before the change does not regress it again, and a same-day re-run changes nothing.
 * Only the recorded phase start counts: its fallback (the latest authoredOn among current orders) would tie
 * one order's sessions to another order's last change.
 * See: implementation-guide.md "Extensions to the contract" (each phase judges its own sessions).
 */
export function sessionsInPhase(order: OrderFacts, evidence: Pick<Evidence, 'phaseSince'>): PhaseSessions {
  const lastChange: PhaseSessions = { sessions: order.sessions, since: `its last change on ${order.authoredOn.slice(0, 10)}` };
  const phaseSince = evidence.phaseSince;
  const since = phaseSince !== undefined ? parseDateTime(phaseSince) : undefined;
  if (phaseSince === undefined || !since || compareDateTimes(phaseSince, order.authoredOn) <= 0) return lastChange;
  const atOrAfter = (s: Session): boolean =>
    s.instant !== undefined && since.instant !== undefined ? s.instant >= since.instant : s.date >= since.date;
  return { sessions: order.sessions.filter(atOrAfter), since: `the phase began on ${phaseSince.slice(0, 10)}` };
}
