/**
 * Idempotency keys and deterministic ids for the engine's output: SHA-256 over canonical JSON of
 * stable inputs, so the same data (and the same `now`) always yields byte-identical transactions.
 * See implementation-guide.md "Progression output" (the `evaluation-key` tag on Provenance).
 */
import { createHash } from 'node:crypto';
import type { Resource } from 'fhir/r4';
import type { DecisionCode, Dose } from '../types';

/** JSON with object keys sorted at every depth (arrays keep their order); undefined members dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`);
  return `{${members.join(',')}}`;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The version a resource is known by: its `meta.versionId` when it came from a server, else a hash of
 * its content (hand-made Bundles have no versions, and a changed resource must still change the key).
 */
export function resourceVersion(resource: Resource): string {
  const versionId = resource.meta?.versionId;
  return versionId !== undefined && versionId !== '' ? versionId : `sha256-${sha256Hex(canonicalJson(resource)).slice(0, 16)}`;
}

/** `Type/id/_history/version` of a resource as the key sees it. */
export function versionedKeyReference(resource: Resource): string {
  return `${resource.resourceType}/${resource.id ?? ''}/_history/${resourceVersion(resource)}`;
}

export interface EvaluationKeyInput {
  /** The plan as evaluated (its id and version enter the key). */
  plan: Resource;
  /** The order the decision is about; absent for the plan's own (phase change) Provenance. */
  order?: Resource;
  decision: DecisionCode;
  /** What the decision wrote: the new dose or status (absent for hold). */
  outcome?: { newDose?: Dose; newStatus?: string; phaseTo?: string };
  /** The evidence used, as versioned references where known; order does not matter. */
  evidence: string[];
}

/**
 * The evaluation key: the same plan version, order version, decision, outcome and evidence give the
 * same key. `now` and the rationale's wording are left out on purpose, so a re-run on unchanged data
 * finds the Provenance it wrote before (`ifNoneExist: _tag=<system>|<key>`) and writes nothing new.
 */
export function evaluationKey(input: EvaluationKeyInput): string {
  return sha256Hex(
    canonicalJson({
      v: 1,
      plan: versionedKeyReference(input.plan),
      order: input.order ? versionedKeyReference(input.order) : undefined,
      decision: input.decision,
      outcome: input.outcome,
      evidence: [...new Set(input.evidence)].sort(),
    }),
  );
}

/**
 * A deterministic UUID (RFC 9562 version 8, SHA-256 name-based) for a transaction-local fullUrl.
 * See: https://www.rfc-editor.org/rfc/rfc9562#name-uuid-version-8
 */
export function deterministicUuid(...parts: string[]): string {
  const bytes = createHash('sha256').update(canonicalJson(parts), 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
