/**
 * A proposal's identity: the digest of what it decides (a clinician answers the proposal they saw, and only
 * that one), and the key under which a rejection of it is recorded on a plan version, so that no automatic
 * run (the nightly job, \$progress) writes a proposal a clinician rejected. New logs give a new proposal, and
 * a new key.
 * See: implementation-guide.md "Clinician review, the patient's logs and SMART"
 */
import type { Provenance } from 'fhir/r4';
import { createHash } from 'node:crypto';
import { REJECTED_PROPOSAL_SYSTEM } from '../fhir/codes';
import type { ProgressResult } from '../progression';
import type { FhirClient } from './fhir-client';
import { recordedProvenances } from './write-plan';

/** A hex digest of what a proposal decides (phases, decisions, doses): equal digests, the same proposal. */
export function proposalDigest(result: ProgressResult): string {
  const shown = {
    plan: [result.plan.phaseFrom, result.plan.phaseTo, result.plan.decision ?? null],
    orders: result.orders.map((o) => [o.orderId, o.decision, o.from, o.to]),
  };
  return createHash('sha256').update(JSON.stringify(shown)).digest('hex');
}

/** The rejection key of a proposal on one version of a plan. */
export function rejectionKey(planId: string, planVersion: string | undefined, result: ProgressResult): string {
  return createHash('sha256').update(`${planId}|${planVersion ?? ''}|${proposalDigest(result)}`).digest('hex');
}

/** The clinician's rejection of this very proposal on this plan version, when one is recorded. */
export async function recordedRejection(client: FhirClient, key: string): Promise<Provenance | undefined> {
  return (await recordedProvenances(client, [key], REJECTED_PROPOSAL_SYSTEM))[0];
}
