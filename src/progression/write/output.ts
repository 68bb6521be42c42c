/**
 * Evaluation -> one FHIR transaction Bundle: new orders, status updates, the plan update and a
 * Provenance per decision. See: implementation-guide.md "Progression output"; https://hl7.org/fhir/R4/http.html#transaction
 *
 * Write order. Servers process a transaction by method, DELETE, then POST, then PUT (FHIR R4 http
 * "transaction processing rules"; HAPI and Medplum both do), keeping entry order within each method, and
 * apply it all or nothing (HAPI; Gradus's embedded server through its store). The entries are laid out so
 * that even a server that stopped at a failing entry would leave the old plan in force:
 *  1. POST the new orders: orphans until the plan lists them.
 *  2. PUT the current orders `on-hold` (refer only): pausing exercise after a red flag is the conservative state.
 *  3. PUT the plan, guarded by If-Match: the commit point. A 412 here stops the write.
 *  4. PUT the replaced orders `completed` (If-Match): only meaningful once the plan lists their successors.
 *  5. POST the Provenances, each a conditional create on its evaluation key (meta.tag + ifNoneExist), so a
 *     re-run on the same data writes nothing new; a changed order's Provenance targets its successor.
 * How src/client sends this (the changes and their Provenances as one transaction, holds as a batch of
 * conditional creates) is in src/client/write-plan.ts and implementation-guide.md "Writing to a FHIR server".
 *
 * If-Match uses `meta.versionId`. A resource without one (a hand-made collection Bundle) is written
 * without If-Match, unless `requireVersions` is set (the Bundle came from a server): then it is an error.
 */
import type { Bundle, BundleEntry, CarePlan, OperationOutcomeIssue, Reference, Resource, ServiceRequest } from 'fhir/r4';
import { issue, OperationOutcomeError, outcome } from '../../fhir/outcome';
import { readDose, sameDose } from '../dose';
import { deterministicUuid, evaluationKey, versionedKeyReference } from './evaluation-key';
import { logicalReference, successorOrder, updateEntry, versionedReference, withStatus } from './order-output';
import { updatedPlan } from './plan-output';
import { provenanceEntry } from './provenance';
import type { DecisionCode, Evaluation, OrderEvaluation, PlanEvaluation } from '../types';

export interface TransactionInput {
  plan: CarePlan;
  ordersById: ReadonlyMap<string, ServiceRequest>;
  evaluation: Evaluation;
  /** The evaluation time: authoredOn of new orders, phase-since, Provenance.recorded. */
  now: string;
  /** Shown as the engine Device's display, `Gradus <version>`. */
  engineVersion: string;
  /** Every PUT must carry If-Match: a resource without meta.versionId is an error. */
  requireVersions?: boolean;
  /**
   * The input resource an evidence reference points at: Provenance.entity then cites its version
   * (`Observation/1/_history/2`) and the evaluation key follows its content.
   */
  resolve?: (reference: string) => Resource | undefined;
  /** Other ways the input refers to an order (e.g. its fullUrl), by order id. */
  aliases?: ReadonlyMap<string, readonly string[]>;
  /** Where a resource sits in the input (`Bundle.entry[3].resource`), for issue expressions. */
  locate?: (resource: Resource) => string | undefined;
  /** The absolute URL of an input resource on its server, for the fullUrl of its PUT entry. */
  fullUrlOf?: (resource: Resource) => string | undefined;
}

/** The plan-level decision a phase change is recorded under (the plan rule that fired, else implied by the phases). */
export function planDecisionCode(plan: PlanEvaluation): DecisionCode {
  if (plan.decision) return plan.decision;
  switch (plan.phaseTo) {
    case 'referred':
      return 'refer';
    case 'flare':
      return 'flare-protocol';
    case 'return-to-load':
      return 'return-to-load';
    case 'deload':
      return 'deload';
    case 'baseline':
      return 'establish-baseline';
    case 'build':
      if (plan.phaseFrom === 'deload') return 'resume';
      if (plan.phaseFrom === 'return-to-load') return 'return-to-load';
      return 'establish-baseline';
  }
}

/**
 * Whether the decision writes a successor order: when the new dose differs from the order's, and always on
 * establish-baseline, so that the replaces chain records the established dose even when it equals the
 * placeholder's (rule 7's "already established" reads the chain; otherwise every re-run in phase baseline
 * would establish it again). See: implementation-guide.md "Extensions to the contract".
 */
function writesSuccessor(order: ServiceRequest, evaluation: OrderEvaluation): boolean {
  if (!evaluation.newDose) return false;
  if (evaluation.decision === 'establish-baseline') return true;
  const current = readDose(order);
  return current === undefined || !sameDose(current, evaluation.newDose);
}

/** The transaction Bundle that applies an evaluation (entry order: see the file comment). */
export function buildTransaction(input: TransactionInput): Bundle {
  const { plan, evaluation, now, engineVersion } = input;
  const transaction: Bundle = { resourceType: 'Bundle', type: 'transaction' };
  if (evaluation.plan.phaseFrom === 'referred') return transaction;

  const issues: OperationOutcomeIssue[] = [];
  const cite = (reference: string): { entity: string; key: string } => {
    const resource = input.resolve?.(reference);
    if (!resource?.id) return { entity: reference, key: reference };
    return { entity: versionedReference(resource), key: versionedKeyReference(resource) };
  };
  const requireId = (resource: Resource): void => {
    if (resource.id) return;
    const where = input.locate?.(resource) ?? resource.resourceType;
    issues.push(issue('error', 'required', `the ${resource.resourceType} has no id: the transaction cannot update or cite it`, `${where}.id`));
  };
  requireId(plan);
  const created: BundleEntry[] = [];
  const held: BundleEntry[] = [];
  const completed: BundleEntry[] = [];
  const provenances: BundleEntry[] = [];
  const replacements = new Map<string, string>();
  const guarded: Resource[] = [];

  evaluation.orders.forEach((decision, index) => {
    const order = input.ordersById.get(decision.orderId);
    if (!order) {
      issues.push(issue('error', 'exception', `evaluated order '${decision.orderId}' is not among the plan's orders`, `evaluation.orders[${index}]`));
      return;
    }
    requireId(order);
    const cited = decision.evidence.map(cite);
    const evidence = cited.map((c) => c.entity);
    const key = evaluationKey({
      plan,
      order,
      decision: decision.decision,
      outcome: { newDose: decision.newDose, newStatus: decision.newStatus },
      evidence: cited.map((c) => c.key),
    });
    let targets: Reference[];
    if (decision.newDose && writesSuccessor(order, decision)) {
      const fullUrl = `urn:uuid:${deterministicUuid('order', key, now)}`;
      created.push({
        fullUrl,
        resource: successorOrder({ current: order, dose: decision.newDose, now }),
        request: { method: 'POST', url: 'ServiceRequest' },
      });
      replacements.set(decision.orderId, fullUrl);
      completed.push(updateEntry(withStatus(order, 'completed'), order, input.fullUrlOf?.(order)));
      guarded.push(order);
      targets = [{ reference: fullUrl }];
    } else if (decision.newStatus && decision.newStatus !== order.status) {
      held.push(updateEntry(withStatus(order, decision.newStatus), order, input.fullUrlOf?.(order)));
      guarded.push(order);
      targets = [{ reference: logicalReference(order) }];
    } else {
      targets = [{ reference: versionedReference(order) }];
    }
    provenances.push(
      provenanceEntry({ targets, decision: decision.decision, rationale: decision.rationale, evidence, key, now, engineVersion }),
    );
  });

  const nextPlan = updatedPlan({
    plan,
    evaluation: evaluation.plan,
    replacements,
    now,
    ...(input.aliases ? { aliases: input.aliases } : {}),
  });
  const planEntries: BundleEntry[] = [];
  if (nextPlan) {
    planEntries.push(updateEntry(nextPlan, plan, input.fullUrlOf?.(plan)));
    guarded.push(plan);
  }
  if (evaluation.plan.phaseTo !== evaluation.plan.phaseFrom) {
    const decision = planDecisionCode(evaluation.plan);
    const cited = [...new Set(evaluation.orders.flatMap((o) => o.evidence))].map(cite);
    const evidence = cited.map((c) => c.entity);
    const key = evaluationKey({ plan, decision, outcome: { phaseTo: evaluation.plan.phaseTo }, evidence: cited.map((c) => c.key) });
    provenances.unshift(
      provenanceEntry({
        targets: [{ reference: logicalReference(plan) }],
        decision,
        rationale: evaluation.plan.rationale ?? `Phase ${evaluation.plan.phaseFrom} -> ${evaluation.plan.phaseTo}.`,
        evidence,
        key,
        now,
        engineVersion,
      }),
    );
  }

  if (input.requireVersions) {
    for (const resource of guarded) {
      if (resource.meta?.versionId) continue;
      const where = input.locate?.(resource) ?? resource.resourceType;
      issues.push(
        issue('error', 'required', `${logicalReference(resource)} has no meta.versionId: cannot guard its update with If-Match`, `${where}.meta.versionId`),
      );
    }
  }
  if (issues.length > 0) throw new OperationOutcomeError(outcome(issues));

  const entry = [...created, ...held, ...planEntries, ...completed, ...provenances];
  return entry.length > 0 ? { ...transaction, entry } : transaction;
}
