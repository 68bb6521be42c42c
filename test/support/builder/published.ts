/**
 * What the published style (conventions.ts) adds for human readers: narratives (a summary in XHTML) and,
 * for the logs, a generated summary of what was recorded and FHIR's element order.
 */
import type { Narrative, Observation, ObservationComponent } from 'fhir/r4';

const escapeXml = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A generated narrative of one paragraph. */
export const narrative = (summary: string): Narrative => ({
  status: 'generated',
  div: `<div xmlns="http://www.w3.org/1999/xhtml"><p>${escapeXml(summary)}</p></div>`,
});

/** Short labels of the log components; scores are shown out of 10. */
const LABEL: Readonly<Record<string, string>> = {
  '72514-3': 'pain',
  'morning-stiffness': 'stiffness',
  fatigue: 'fatigue',
  mood: 'mood',
  '93832-4': 'sleep',
  confidence: 'confidence',
  '41950-7': 'steps',
  'sets-completed': 'sets',
  'reps-final-set': 'reps in last set',
  'load-lifted': 'load',
  '55411-3': 'duration',
  '8867-4': 'mean heart rate',
  '82289-0': 'effort',
  'pain-during': 'pain during',
  'pain-after': 'pain after',
};
const SCORES = new Set(['72514-3', 'morning-stiffness', 'fatigue', 'mood', 'confidence', '82289-0', 'pain-during', 'pain-after']);

function componentText(c: ObservationComponent): string {
  const code = c.code.coding?.[0]?.code ?? '';
  const q = c.valueQuantity;
  const value = q ? `${q.value ?? ''} ${q.unit ?? ''}` : `${c.valueInteger ?? ''}${SCORES.has(code) ? '/10' : ''}`;
  return `${LABEL[code] ?? code} ${value}`;
}

/** `title: label value, label value.` of what an Observation recorded: its components, else its value. */
export function observationSummary(title: string, obs: Observation): string {
  const q = obs.valueQuantity;
  const value = q ? `${q.value ?? ''} ${q.unit ?? ''}` : obs.valueInteger !== undefined ? String(obs.valueInteger) : obs.valueBoolean !== undefined ? (obs.valueBoolean ? 'present' : 'absent') : undefined;
  const parts = value !== undefined ? [value] : (obs.component ?? []).map(componentText);
  return `${title}: ${parts.join(', ')}.`;
}

/** Observation elements in the order FHIR R4 lists them (those the builder writes). */
const OBSERVATION_ELEMENTS = [
  'resourceType',
  'id',
  'meta',
  'text',
  'basedOn',
  'status',
  'category',
  'code',
  'subject',
  'effectiveDateTime',
  'effectivePeriod',
  'valueQuantity',
  'valueInteger',
  'valueBoolean',
  'component',
] as const;

/** The Observation with a narrative summing up what it recorded, its elements in FHIR's order. */
export function published(obs: Observation, title: string): Observation {
  const withText: Observation = { ...obs, text: narrative(observationSummary(title, obs)) };
  const out: Record<string, unknown> = {};
  for (const key of OBSERVATION_ELEMENTS) if (withText[key] !== undefined) out[key] = withText[key];
  const dropped = Object.keys(withText).filter((k) => !(k in out));
  if (dropped.length > 0) throw new Error(`published(): no element order for ${dropped.join(', ')}`);
  return out as unknown as Observation;
}
