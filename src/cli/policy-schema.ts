/**
 * The JSON file `gradus progress --policy` takes: overrides of the progression policy, checked with ajv.
 * See: docs/clinical-rules.md "Defaults at a glance"; implementation-guide.md "Extensions" (`progression-policy`).
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { INTENSITY_MEASURES, MODES } from '../fhir/codes';
import type { Policy } from '../progression/types';

export const POLICY_SCHEMA = {
  $id: 'https://gradus.health/schema/progression-policy.json',
  title: 'Gradus progression policy overrides',
  type: 'object',
  properties: {
    mode: { enum: [...MODES] },
    painCeiling: { type: 'integer', minimum: 0, maximum: 10 },
    stableSessions: { type: 'integer', minimum: 1 },
    deloadEveryWeeks: { type: 'integer', minimum: 1 },
    intensityBy: { enum: [...INTENSITY_MEASURES] },
  },
  additionalProperties: false,
} as const;

let compiled: ValidateFunction<Partial<Policy>> | undefined;

/** The compiled schema, built on the first --policy file rather than at every CLI start-up. */
function policyValidator(): ValidateFunction<Partial<Policy>> {
  compiled ??= new Ajv({ allErrors: true, strict: true }).compile<Partial<Policy>>(POLICY_SCHEMA);
  return compiled;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'the policy' : error.instancePath.slice(1).replaceAll('/', '.');
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown property '${String(error.params.additionalProperty)}' (allowed: ${Object.keys(POLICY_SCHEMA.properties).join(', ')})`;
    case 'enum':
      return `${where} must be one of ${(error.params.allowedValues as unknown[]).map(String).join(', ')}`;
    default:
      return `${where} ${error.message ?? 'is invalid'}`;
  }
}

/** The policy overrides in `value`, or every problem with them as one readable line. */
export function parsePolicy(value: unknown): { policy: Partial<Policy> } | { error: string } {
  const validatePolicy = policyValidator();
  if (validatePolicy(value)) return { policy: value };
  return { error: (validatePolicy.errors ?? []).map(describe).join('; ') };
}
