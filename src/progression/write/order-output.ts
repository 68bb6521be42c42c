/**
 * Transaction entries for orders: a new `gradus-exercise-order` that replaces the current one (new dose),
 * and a status-only update of a current order (`completed` once replaced, `on-hold` on refer).
 * See: implementation-guide.md "Progression output" and https://hl7.org/fhir/R4/servicerequest.html
 */
import type { BundleEntry, Extension, Narrative, Resource, ServiceRequest } from 'fhir/r4';
import { EXT, PROFILE } from '../../fhir/codes';
import { describeDose, doseExtension } from '../dose';
import type { Dose } from '../types';

/** `Type/id` of a resource. */
export function logicalReference(resource: Resource): string {
  return `${resource.resourceType}/${resource.id ?? ''}`;
}

/** `Type/id/_history/versionId` when the resource carries a server version, else `Type/id`. */
export function versionedReference(resource: Resource): string {
  const versionId = resource.meta?.versionId;
  return versionId ? `${logicalReference(resource)}/_history/${versionId}` : logicalReference(resource);
}

/** The `If-Match` ETag for a resource's current version, when it has one. */
export function ifMatchOf(resource: Resource): string | undefined {
  const versionId = resource.meta?.versionId;
  return versionId ? `W/"${versionId}"` : undefined;
}

/** A copy for a PUT: the server assigns meta.versionId and meta.lastUpdated (If-Match carries the guard). */
export function forUpdate<T extends Resource>(resource: T): T {
  const copy = structuredClone(resource);
  if (copy.meta) {
    delete copy.meta.versionId;
    delete copy.meta.lastUpdated;
    if (Object.keys(copy.meta).length === 0) delete copy.meta;
  }
  return copy;
}

/**
 * A PUT entry guarded by If-Match when the resource has a version; `fullUrl` is the resource's absolute URL
 * on its server (R4: every entry with a resource has a fullUrl, except a POST).
 */
export function updateEntry<T extends Resource>(resource: T, guardedBy: Resource, fullUrl?: string): BundleEntry<T> {
  const ifMatch = ifMatchOf(guardedBy);
  return {
    ...(fullUrl !== undefined ? { fullUrl } : {}),
    resource,
    request: { method: 'PUT', url: logicalReference(guardedBy), ...(ifMatch ? { ifMatch } : {}) },
  };
}

/** The current order with only its status changed. */
export function withStatus(order: ServiceRequest, status: ServiceRequest['status']): ServiceRequest {
  return { ...forUpdate(order), status };
}

/** Elements that describe the old order itself rather than the exercise: never copied to its successor. */
const NOT_INHERITED = new Set(['id', 'meta', 'text', 'identifier', 'replaces', 'authoredOn', 'status', 'extension']);

/** ServiceRequest elements in R4 definition order (choice elements by their base name), for readable output. */
const ELEMENT_ORDER = [
  'resourceType', 'id', 'meta', 'implicitRules', 'language', 'text', 'contained', 'extension', 'modifierExtension',
  'identifier', 'instantiatesCanonical', 'instantiatesUri', 'basedOn', 'replaces', 'requisition', 'status', 'intent',
  'category', 'priority', 'doNotPerform', 'code', 'orderDetail', 'quantity', 'subject', 'encounter', 'occurrence',
  'asNeeded', 'authoredOn', 'requester', 'performerType', 'performer', 'locationCode', 'locationReference',
  'reasonCode', 'reasonReference', 'insurance', 'supportingInfo', 'specimen', 'bodySite', 'note',
  'patientInstruction', 'relevantHistory',
];

function rank(key: string): number {
  const base = key.startsWith('_') ? key.slice(1) : key;
  const index = ELEMENT_ORDER.findIndex((name) => base === name || (base.startsWith(name) && /^[A-Z]/.test(base.slice(name.length))));
  return index < 0 ? ELEMENT_ORDER.length : index;
}

function exerciseName(order: ServiceRequest): string {
  const coding = order.code?.coding?.find((c) => c.display !== undefined) ?? order.code?.coding?.[0];
  return coding?.display ?? order.code?.text ?? coding?.code ?? 'Exercise';
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** A generated narrative of one line of text. See: https://hl7.org/fhir/R4/narrative.html */
function narrative(line: string): Narrative {
  const escaped = line.replace(/[&<>"]/g, (c) => XML_ESCAPES[c] ?? c);
  return { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml"><p>${escaped}</p></div>` };
}

/** The order's extensions with `dose` as its exercise-dose, first; its other extensions kept after it. */
export function doseExtensions(order: ServiceRequest, dose: Dose): Extension[] {
  return [doseExtension(dose), ...(order.extension ?? []).filter((e) => e.url !== EXT.exerciseDose)];
}

/** The one-line narrative of an order's dose: `<exercise>: <dose>`. */
export function doseNarrative(exercise: string, dose: Dose): Narrative {
  return narrative(`${exercise}: ${describeDose(dose)}`);
}

/**
 * The order that replaces `current` with `dose`: same exercise, category, subject, plan, timing and
 * instructions; status active; authoredOn = now (when this dose took effect); `replaces` the current order;
 * a one-line narrative of the new dose (the old narrative described the old one).
 */
export function successorOrder(options: { current: ServiceRequest; dose: Dose; now: string }): ServiceRequest {
  const { current, dose, now } = options;
  const fields: Record<string, unknown> = {
    resourceType: 'ServiceRequest',
    meta: { profile: [PROFILE.exerciseOrder] },
    text: doseNarrative(exerciseName(current), dose),
    extension: doseExtensions(current, dose),
    replaces: [{ reference: logicalReference(current) }],
    status: 'active',
    authoredOn: now,
  };
  for (const [key, value] of Object.entries(current)) {
    if (!NOT_INHERITED.has(key.replace(/^_/, '')) && !(key in fields)) fields[key] = value;
  }
  const ordered = Object.keys(fields)
    .map((key, index) => ({ key, index, rank: rank(key) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index);
  return structuredClone(Object.fromEntries(ordered.map(({ key }) => [key, fields[key]]))) as unknown as ServiceRequest;
}
