/**
 * FHIR server access: in come a server's base URL (and a token), out go a plan's data as a Bundle and the
 * engine's output written back without ever leaving a half-applied plan. The only door to src/client.
 */
export { FhirClient, FhirHttpError, retryAfterMs, callerStatus, safeForToken, LOOPBACK_HOSTNAMES, type FhirClientOptions, type TokenSource } from './fhir-client';
export { readPlan, notAGradusPlan, type PlanData } from './read-plan';
export { referenceKey } from '../fhir/reference';
export { writeTransaction, commitTransaction, type WriteResult } from './write-plan';
export { progressPlan, whatChanged, type PlanRun, type ProgressPlanOptions } from './progress-plan';
export { progressAll, gradusPlanIds, summarise, type AllSummary, type PlanFailure, type PlanReport, type ProgressAllOptions } from './progress-all';
export { applyReview, approveChanges, proposalDigest, proposeChanges, rejectChanges, type DoseEdits, type ReviewOptions, type Verifier } from './review';
