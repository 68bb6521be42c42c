/**
 * What every rule gets: the evidence, B, and small helpers shared by the plan and order rules
 * (rationale sentences, evidence references, day words).
 */
import type { BaselinePain } from './baseline-pain';
import type { DatedFact, Evidence, OrderFacts, Session } from './evidence-types';
import type { DecisionCode, OrderEvaluation } from './types';

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

/** "1 day", "3 days". */
export function days(n: number): string {
  return `${n} day${n === 1 ? '' : 's'}`;
}

/** The reason every rule that needs B gives when it is unknown. */
export const NO_BASELINE = 'no baseline pain on record';

/** Tolerance for comparisons of recorded values with computed thresholds. */
export const EPSILON = 1e-9;
