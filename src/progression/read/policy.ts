/**
 * The progression policy in force: DEFAULT_POLICY, overridden by the plan's `progression-policy`
 * extension, overridden by the caller. Invalid values are collected as issues.
 * See: implementation-guide.md "Extensions" (`progression-policy`); docs/clinical-rules.md "Defaults at a glance".
 */
import type { CarePlan, OperationOutcomeIssue } from 'fhir/r4';
import { EXT, INTENSITY_MEASURES, MODES } from '../../fhir/codes';
import { issue } from '../../fhir/outcome';
import { records, type JsonRecord } from './json';
import { DEFAULT_POLICY, type IntensityMeasure, type Mode, type Policy } from '../types';

export interface PolicyOptions {
  plan: CarePlan;
  /** FHIRPath of the plan, for issue expressions (e.g. `Bundle.entry[1].resource`). */
  planPath: string;
  /** The caller's overrides (win over the plan's extension). */
  overrides?: Partial<Policy>;
  issues: OperationOutcomeIssue[];
}

/** Integer bounds of the numeric policy values. */
const BOUNDS = {
  painCeiling: { min: 0, max: 10 },
  stableSessions: { min: 1, max: 100 },
  deloadEveryWeeks: { min: 1, max: 520 },
} as const;

type NumericPart = keyof typeof BOUNDS;
const NUMERIC: readonly NumericPart[] = ['painCeiling', 'stableSessions', 'deloadEveryWeeks'];

function isMode(value: unknown): value is Mode {
  return typeof value === 'string' && (MODES as readonly string[]).includes(value);
}

function isIntensity(value: unknown): value is IntensityMeasure {
  return typeof value === 'string' && (INTENSITY_MEASURES as readonly string[]).includes(value);
}

function validNumber(part: NumericPart, value: unknown): value is number {
  const { min, max } = BOUNDS[part];
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** The plan's `progression-policy` extension as a partial policy (parts that are not objects are skipped). */
function fromExtension(ext: JsonRecord, where: string, issues: OperationOutcomeIssue[]): Partial<Policy> {
  const out: Partial<Policy> = {};
  for (const { item: part, index: k } of records(ext.extension)) {
    const at = `${where}.extension[${k}].value`;
    const code = part.valueCode;
    const shown = typeof code === 'string' ? code : (JSON.stringify(code) ?? '');
    switch (part.url) {
      case 'mode':
        if (isMode(code)) out.mode = code;
        else issues.push(issue('error', 'code-invalid', `progression-policy mode '${shown}' is not one of ${MODES.join(', ')}`, at));
        break;
      case 'intensityBy':
        if (isIntensity(code)) out.intensityBy = code;
        else issues.push(issue('error', 'code-invalid', `progression-policy intensityBy '${shown}' is not one of ${INTENSITY_MEASURES.join(', ')}`, at));
        break;
      case 'painCeiling':
      case 'stableSessions':
      case 'deloadEveryWeeks':
        if (validNumber(part.url, part.valueInteger)) out[part.url] = part.valueInteger;
        else issues.push(issue('error', 'value', boundsMessage(part.url, part.valueInteger), at));
        break;
      default:
        break;
    }
  }
  return out;
}

function boundsMessage(part: NumericPart, value: unknown): string {
  const { min, max } = BOUNDS[part];
  return `progression-policy ${part} ${JSON.stringify(value) ?? 'missing'} must be an integer from ${min} to ${max}`;
}

/** Caller overrides, checked like the extension (expression `policy.<name>`). */
function fromOverrides(overrides: Partial<Policy>, issues: OperationOutcomeIssue[]): Partial<Policy> {
  const out: Partial<Policy> = {};
  if (overrides.mode !== undefined) {
    if (isMode(overrides.mode)) out.mode = overrides.mode;
    else issues.push(issue('error', 'value', `policy mode '${String(overrides.mode)}' is not one of ${MODES.join(', ')}`, 'policy.mode'));
  }
  if (overrides.intensityBy !== undefined) {
    if (isIntensity(overrides.intensityBy)) out.intensityBy = overrides.intensityBy;
    else issues.push(issue('error', 'value', `policy intensityBy '${String(overrides.intensityBy)}' is not one of ${INTENSITY_MEASURES.join(', ')}`, 'policy.intensityBy'));
  }
  for (const part of NUMERIC) {
    const value = overrides[part];
    if (value === undefined) continue;
    if (validNumber(part, value)) out[part] = value;
    else issues.push(issue('error', 'value', boundsMessage(part, value).replace('progression-policy', 'policy'), `policy.${part}`));
  }
  return out;
}

/** DEFAULT_POLICY < plan `progression-policy` < caller overrides. */
export function resolvePolicy({ plan, planPath, overrides, issues }: PolicyOptions): Policy {
  const found = records(plan.extension).find(({ item }) => item.url === EXT.progressionPolicy);
  const fromPlan = found ? fromExtension(found.item, `${planPath}.extension[${found.index}]`, issues) : {};
  return { ...DEFAULT_POLICY, ...fromPlan, ...fromOverrides(overrides ?? {}, issues) };
}
