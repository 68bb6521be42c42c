/**
 * The patient, the exercise plan (CarePlan) and a goal, as implementation-guide.md shapes them: plain
 * data in, one resource out, spelled in the builder's style (conventions.ts).
 */
import type { CarePlan, Extension, Goal, HumanName, Identifier, Meta, Narrative, Patient, Reference } from 'fhir/r4';
import { CS, EXT, GRADUS_CODE, LOINC, PROFILE } from '../../../src/fhir/codes';
import type { Phase, Policy } from '../../../src/progression/types';
import type { Style } from './conventions';
import { Coder, ucum } from './vocabulary';

/** What a built resource's meta holds: the profile, and in the fixture style the version a server gave it. */
export const metaOf = (style: Style, profile: string): Meta =>
  style === 'fixture' ? { versionId: '1', profile: [profile] } : { profile: [profile] };

export interface PatientSpec {
  id: string;
  given?: string;
  family?: string;
  gender?: Patient['gender'];
  birthDate?: string;
  identifier?: Identifier[];
  active?: boolean;
  narrative?: Narrative;
}

/** "Given Family", the name a published reference shows. */
export const displayName = (p: PatientSpec): string | undefined =>
  p.given === undefined && p.family === undefined ? undefined : [p.given, p.family].filter((x) => x !== undefined).join(' ');

function humanName(style: Style, p: PatientSpec): HumanName {
  const given = p.given === undefined ? {} : { given: [p.given] };
  const family = p.family === undefined ? {} : { family: p.family };
  return style === 'published' ? { use: 'official', ...family, ...given } : { ...given, ...family };
}

export function patient(style: Style, p: PatientSpec): Patient {
  return {
    resourceType: 'Patient',
    id: p.id,
    ...(p.narrative !== undefined ? { text: p.narrative } : {}),
    ...(p.identifier !== undefined ? { identifier: p.identifier } : {}),
    ...(p.active !== undefined ? { active: p.active } : {}),
    ...(displayName(p) !== undefined ? { name: [humanName(style, p)] } : {}),
    ...(p.gender !== undefined ? { gender: p.gender } : {}),
    ...(p.birthDate !== undefined ? { birthDate: p.birthDate } : {}),
  };
}

export interface PlanSpec {
  id: string;
  subject: Reference;
  /** period.start: a date or dateTime. */
  start: string;
  phase: Phase;
  phaseSince?: string;
  referencePain?: number;
  flareSince?: string;
  policy?: Partial<Policy>;
  /** The plan's current orders (ServiceRequest references). */
  activity: Reference[];
  goalIds?: string[];
  title?: string;
  created?: string;
  narrative?: Narrative;
}

export function policyExtension(policy: Partial<Policy>): Extension {
  const parts: Extension[] = [{ url: 'mode', valueCode: policy.mode ?? 'pain-guided' }];
  if (policy.painCeiling !== undefined) parts.push({ url: 'painCeiling', valueInteger: policy.painCeiling });
  if (policy.stableSessions !== undefined) parts.push({ url: 'stableSessions', valueInteger: policy.stableSessions });
  if (policy.deloadEveryWeeks !== undefined) parts.push({ url: 'deloadEveryWeeks', valueInteger: policy.deloadEveryWeeks });
  if (policy.intensityBy !== undefined) parts.push({ url: 'intensityBy', valueCode: policy.intensityBy });
  return { url: EXT.progressionPolicy, extension: parts };
}

export function plan(style: Style, p: PlanSpec): CarePlan {
  const extension: Extension[] = [{ url: EXT.progressionPhase, valueCode: p.phase }];
  if (p.phaseSince !== undefined) extension.push({ url: EXT.phaseSince, valueDateTime: p.phaseSince });
  if (p.referencePain !== undefined) extension.push({ url: EXT.referencePain, valueDecimal: p.referencePain });
  if (p.flareSince !== undefined) extension.push({ url: EXT.flareSince, valueDateTime: p.flareSince });
  if (p.policy !== undefined) {
    if (style === 'fixture') extension.unshift(policyExtension(p.policy));
    else extension.push(policyExtension(p.policy));
  }
  return {
    resourceType: 'CarePlan',
    id: p.id,
    meta: metaOf(style, PROFILE.exercisePlan),
    ...(p.narrative !== undefined ? { text: p.narrative } : {}),
    extension,
    status: 'active',
    intent: 'plan',
    category: [new Coder(style).concept(CS.gradus, GRADUS_CODE.exerciseProgram)],
    ...(p.title !== undefined ? { title: p.title } : {}),
    subject: p.subject,
    period: { start: p.start },
    ...(p.created !== undefined ? { created: p.created } : {}),
    activity: p.activity.map((reference) => ({ reference })),
    ...(p.goalIds !== undefined && p.goalIds.length > 0 ? { goal: p.goalIds.map((id) => ({ reference: `Goal/${id}` })) } : {}),
  };
}

export interface GoalSpec {
  id: string;
  subject: Reference;
  description: string;
  startDate: string;
  /** A LOINC-coded measure to reach by `due`, e.g. 30 min of exercise duration (55411-3). */
  target: { loinc: string; value: number; unit: string; due: string };
  narrative?: Narrative;
}

export function goal(style: Style, g: GoalSpec): Goal {
  return {
    resourceType: 'Goal',
    id: g.id,
    meta: { profile: [PROFILE.exerciseGoal] },
    ...(g.narrative !== undefined ? { text: g.narrative } : {}),
    lifecycleStatus: 'active',
    description: { text: g.description },
    subject: g.subject,
    startDate: g.startDate,
    target: [{ measure: new Coder(style).concept(LOINC, g.target.loinc), detailQuantity: ucum(g.target.value, g.target.unit), dueDate: g.target.due }],
  };
}
