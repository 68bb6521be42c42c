/**
 * Required bindings (code, Coding, CodeableConcept, Quantity, string, uri) checked against enumerable
 * ValueSets, and codes checked against the complete CodeSystems we hold (ours and the core ones).
 * See: https://hl7.org/fhir/R4/terminologies.html#required
 */
import { isJsonObject } from '../fhir/json';
import type { Run } from './context';
import type { Json } from './definitions';
import type { Membership } from './terminology';
import type { ElementNode } from './structure';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function codingMembership(run: Run, valueSet: string, coding: Json): Membership | undefined {
  const code = str(coding.code);
  if (code === undefined) return undefined;
  return run.terminology.member(valueSet, str(coding.system), code);
}

const describeCoding = (c: Json): string => `${str(c.system) ?? '(no system)'}#${str(c.code) ?? '(no code)'}`;

/** Reports a value outside the element's required ValueSet (unknown membership is never an error). */
export function checkBinding(run: Run, node: ElementNode, type: string, value: unknown, expr: string): void {
  const binding = node.binding;
  if (!binding || binding.strength !== 'required' || binding.valueSet === undefined) return;
  const vs = binding.valueSet;
  const fail = (what: string): void =>
    run.issues.error('code-invalid', `${what} is not in the required ValueSet ${vs}`, expr);
  switch (type) {
    case 'code':
    case 'string':
    case 'uri':
      if (typeof value === 'string' && run.terminology.member(vs, undefined, value) === 'not-member') {
        fail(`The code '${value}'`);
      }
      return;
    case 'Coding':
      if (isJsonObject(value) && codingMembership(run, vs, value) === 'not-member') fail(`The coding ${describeCoding(value)}`);
      return;
    case 'Quantity':
      if (isJsonObject(value) && str(value.system) !== undefined && codingMembership(run, vs, value) === 'not-member') {
        fail(`The unit ${describeCoding(value)}`);
      }
      return;
    case 'CodeableConcept': {
      if (!isJsonObject(value)) return;
      const codings = (Array.isArray(value.coding) ? value.coding : []).filter(isJsonObject);
      const verdicts = codings.map((c) => codingMembership(run, vs, c)).filter((m) => m !== undefined);
      if (verdicts.length === 0) {
        run.issues.error('code-invalid', `A coding from the required ValueSet ${vs} is needed`, expr);
      } else if (verdicts.every((m) => m === 'not-member')) {
        run.issues.error('code-invalid', `No coding (${codings.map(describeCoding).join(', ')}) is in the required ValueSet ${vs}`, expr);
      }
      return;
    }
    default:
      return;
  }
}

/** Reports a Coding whose code does not exist in its (completely known) CodeSystem. */
export function checkCodingInSystem(run: Run, coding: unknown, expr: string): void {
  if (!isJsonObject(coding)) return;
  const system = str(coding.system);
  const code = str(coding.code);
  if (system === undefined || code === undefined) return;
  if (run.terminology.inCodeSystem(system, code) === 'not-member') {
    run.issues.error('code-invalid', `Unknown code '${code}' in the CodeSystem ${system}`, `${expr}.code`);
  }
}
