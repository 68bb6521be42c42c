/**
 * The `gradus-progression-provenance` the engine writes for each decision: why a plan or order changed.
 * See: implementation-guide.md "Progression output" and https://hl7.org/fhir/R4/provenance.html
 */
import type { BundleEntry, Coding, Provenance, Reference } from 'fhir/r4';
import {
  CS,
  DATA_OPERATION,
  DEVICE_IDENTIFIER_SYSTEM,
  ENGINE_DEVICE_ID,
  EVALUATION_KEY_SYSTEM,
  EXT,
  PROFILE,
  PROVENANCE_PARTICIPANT_TYPE,
} from '../../fhir/codes';
import { deterministicUuid } from './evaluation-key';
import type { DecisionCode } from '../types';

/** Displays of the `progression-decision` codes. */
export const DECISION_DISPLAY: Readonly<Record<DecisionCode, string>> = {
  'establish-baseline': 'Establish baseline',
  progress: 'Progress',
  hold: 'Hold',
  regress: 'Regress',
  deload: 'Deload',
  resume: 'Resume',
  'flare-protocol': 'Flare protocol',
  'return-to-load': 'Return to load',
  refer: 'Refer',
};

/** The engine as a logical Device reference, so no Device resource has to exist on the server. */
function engineAgentReference(engineVersion: string): Reference {
  return {
    type: 'Device',
    identifier: { system: DEVICE_IDENTIFIER_SYSTEM, value: ENGINE_DEVICE_ID },
    display: `Gradus ${engineVersion}`,
  };
}

export interface ProvenanceInput {
  /** Resources the decision is about; the first is the one the decision concerns most. */
  targets: Reference[];
  decision: DecisionCode;
  rationale: string;
  /** References of the Observations the decision used (entity role `source`). */
  evidence: string[];
  /** The evaluation key (meta.tag and ifNoneExist). */
  key: string;
  now: string;
  engineVersion: string;
}

/** A Provenance in the shape of the profile, tagged with `tag` (an evaluation key, or a rejection key). */
export interface ProvenanceRecord extends Omit<ProvenanceInput, 'key'> {
  tag: Coding;
}

/**
 * The Provenance of one decision. `activity` is UPDATE for every decision but hold (profile invariant
 * gradus-progression-provenance-1): a plan-level decision that leaves one order as it was (a mobility
 * order in a flare) still changed the plan.
 */
export function provenanceRecord(input: ProvenanceRecord): Provenance {
  const provenance: Provenance = {
    resourceType: 'Provenance',
    meta: {
      profile: [PROFILE.progressionProvenance],
      tag: [input.tag],
    },
    extension: [{ url: EXT.progressionRationale, valueMarkdown: input.rationale }],
    target: input.targets,
    recorded: input.now,
    reason: [
      {
        coding: [
          { system: CS.progressionDecision, code: input.decision, display: DECISION_DISPLAY[input.decision] },
        ],
      },
    ],
    ...(input.decision !== 'hold' ? { activity: { coding: [{ system: DATA_OPERATION, code: 'UPDATE', display: 'revise' }] } } : {}),
    agent: [
      {
        type: { coding: [{ system: PROVENANCE_PARTICIPANT_TYPE, code: 'author', display: 'Author' }] },
        who: engineAgentReference(input.engineVersion),
      },
    ],
  };
  const sources = [...new Set(input.evidence)];
  if (sources.length > 0) provenance.entity = sources.map((reference) => ({ role: 'source', what: { reference } }));
  return provenance;
}

/**
 * A conditional create: the server writes the Provenance only when none carries the same evaluation key,
 * so re-running on unchanged data writes nothing new.
 */
export function provenanceEntry(input: ProvenanceInput): BundleEntry<Provenance> {
  return {
    fullUrl: `urn:uuid:${deterministicUuid('provenance', input.key, input.now)}`,
    resource: provenanceRecord({ ...input, tag: { system: EVALUATION_KEY_SYSTEM, code: input.key } }),
    request: { method: 'POST', url: 'Provenance', ifNoneExist: `_tag=${EVALUATION_KEY_SYSTEM}|${input.key}` },
  };
}
