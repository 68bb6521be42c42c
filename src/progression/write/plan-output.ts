/**
 * The plan after an evaluation: activity references moved to the new orders, `progression-phase`,
 * `phase-since`, `reference-pain` and `flare-since` updated as the PlanEvaluation says.
 * See: implementation-guide.md "Progression output" and https://hl7.org/fhir/R4/careplan.html
 */
import { isDeepStrictEqual } from 'node:util';
import type { CarePlan, Extension } from 'fhir/r4';
import { CS, EXT } from '../../fhir/codes';
import { forUpdate } from './order-output';
import type { PlanEvaluation } from '../types';

/** The `value[x]` of an extension without its url: `{ valueCode: 'build' }`. */
type ExtensionValue = Omit<Extension, 'url'>;

/** Sets (value), removes (null) or leaves (undefined) one extension by url; keeps the others in place. */
function withExtension(extensions: Extension[], url: string, value: ExtensionValue | null | undefined): Extension[] {
  if (value === undefined) return extensions;
  const index = extensions.findIndex((e) => e.url === url);
  if (value === null) return index < 0 ? extensions : extensions.filter((e) => e.url !== url);
  const next: Extension = { url, ...value };
  if (index < 0) return [...extensions, next];
  return extensions.map((e, i) => (i === index ? next : e)).filter((e, i) => i === index || e.url !== url);
}

/** The phase value, in the same value[x] type the plan already uses (valueCode unless it has a valueCoding). */
function phaseValue(current: Extension | undefined, phase: string): ExtensionValue {
  if (current?.valueCoding) return { valueCoding: { system: CS.progressionPhase, code: phase } };
  return { valueCode: phase };
}

/** Whether an activity reference points at the order with this id (relative, absolute or versioned). */
function refersToOrder(reference: string | undefined, orderId: string, aliases: readonly string[] = []): boolean {
  if (reference === undefined) return false;
  if (aliases.includes(reference)) return true;
  const unversioned = reference.replace(/\/_history\/[^/]+$/, '');
  const target = `ServiceRequest/${orderId}`;
  return unversioned === target || unversioned.endsWith(`/${target}`);
}

export interface PlanUpdateInput {
  plan: CarePlan;
  evaluation: PlanEvaluation;
  /** Current order id -> the reference (urn:uuid fullUrl) of the order that replaces it. */
  replacements: ReadonlyMap<string, string>;
  /** Other ways the input Bundle refers to an order (e.g. its fullUrl), by order id. */
  aliases?: ReadonlyMap<string, readonly string[]>;
  now: string;
}

/** The updated plan (a copy, ready for a PUT), or undefined when nothing in it changes. */
export function updatedPlan(input: PlanUpdateInput): CarePlan | undefined {
  const { plan, evaluation, replacements, now } = input;
  const next = forUpdate(plan);
  const phaseChanged = evaluation.phaseTo !== evaluation.phaseFrom;

  const placed = new Set<string>();
  const activities = (next.activity ?? []).map((activity) => {
    const reference = activity.reference?.reference;
    for (const [orderId, replacement] of replacements) {
      if (refersToOrder(reference, orderId, input.aliases?.get(orderId))) {
        placed.add(orderId);
        const { display } = activity.reference ?? {};
        return { ...activity, reference: { reference: replacement, ...(display !== undefined ? { display } : {}) } };
      }
    }
    return activity;
  });
  // A replaced order the plan did not list still gets listed, so its successor is never orphaned.
  for (const [orderId, replacement] of replacements) {
    if (!placed.has(orderId)) activities.push({ reference: { reference: replacement } });
  }
  if (activities.length > 0) next.activity = activities;

  let extensions = next.extension ?? [];
  const currentPhase = extensions.find((e) => e.url === EXT.progressionPhase);
  const currentCode = currentPhase?.valueCode ?? currentPhase?.valueCoding?.code;
  if (currentCode !== evaluation.phaseTo) {
    extensions = withExtension(extensions, EXT.progressionPhase, phaseValue(currentPhase, evaluation.phaseTo));
  }
  if (phaseChanged) extensions = withExtension(extensions, EXT.phaseSince, { valueDateTime: now });
  const { referencePain, flareSince } = evaluation;
  extensions = withExtension(extensions, EXT.referencePain, referencePain === null || referencePain === undefined ? referencePain : { valueDecimal: referencePain });
  extensions = withExtension(extensions, EXT.flareSince, flareSince === null || flareSince === undefined ? flareSince : { valueDateTime: flareSince });
  if (extensions.length > 0) next.extension = extensions;
  else delete next.extension;

  return isDeepStrictEqual(next, forUpdate(plan)) ? undefined : next;
}
