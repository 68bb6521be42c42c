/**
 * The engine's first two stages on a unit-test scenario (builder/scenario.ts), as progress() runs them:
 * readEvidence at NOW, then evaluate. For the rules' and readers' unit tests beside the engine.
 */
import type { Evidence } from '../../src/progression/read';
import { readEvidence } from '../../src/progression/read';
import { evaluate } from '../../src/progression/rules';
import type { Evaluation, Policy } from '../../src/progression/types';
import { NOW, type HistoryBuilder } from './builder';

/** Evidence of a scenario at NOW. */
export function evidenceOf(builder: HistoryBuilder, policy?: Partial<Policy>): Evidence {
  return readEvidence(builder.build(), { now: NOW, ...(policy ? { policy } : {}) });
}

/** readEvidence then evaluate, as progress() does. */
export function run(builder: HistoryBuilder, policy?: Partial<Policy>): Evaluation {
  const evidence = evidenceOf(builder, policy);
  return evaluate(evidence, evidence.policy);
}

/** The evaluation of one order. */
export function orderOf(evaluation: Evaluation, orderId: string): Evaluation['orders'][number] {
  const found = evaluation.orders.find((o) => o.orderId === orderId);
  if (!found) throw new Error(`no evaluation for order ${orderId}`);
  return found;
}
