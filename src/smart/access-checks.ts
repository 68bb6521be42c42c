/**
 * The compartment checks of one interaction confined to the launch patient, shared by single requests and
 * by the entries of a transaction or batch. Each resolves when the interaction stays inside the
 * compartment and throws a 403 (or a 400 for a body that is not a resource) when it does not.
 * - read: the stored resource must be the patient's (a missing one is left to the server's 404); the
 *   token's own `fhirUser` resource may always be read.
 * - create: the new resource must be the patient's.
 * - update: the new version and the stored one (no moving a resource out of another patient).
 * - patch: the stored resource, and no operation may touch what places it in the compartment.
 * - delete: the stored resource.
 * - links: a CarePlan or ServiceRequest written (created, updated, patched) may reference only what is in
 *   the compartment or not stored (`Compartment.linkHeld`) through the elements `$progress` follows: a
 *   plan's `activity[].reference`, `goal`, `basedOn`, `replaces`, `partOf`; an order's `basedOn`, `replaces`.
 *   Otherwise a plan could list another patient's order, and `$progress` (which reads every order a plan
 *   lists or is the basis of, and their `replaces` chains) would read it and name that patient in its
 *   answer. A patch may add or replace such references (each checked) or remove them, not move or copy them.
 * - `$progress` on a stored plan: every `activity[].reference` of it, likewise (`checkPlanOrders`).
 * See: https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
 */
import { badRequest, type OperationOutcomeError } from '../fhir/outcome';
import type { Resource } from 'fhir/r4';
import { isJsonObject } from '../fhir/json';
import { Compartment, describe, isResource, SUBJECT_TYPES } from './access-compartment';
import { forbidden, outside } from './access-grant';

/** The reference elements of a type that `$progress` follows: [element, inner element holding the Reference]. */
const LINKS: Readonly<Record<string, ReadonlyArray<readonly [string, string?]>>> = {
  CarePlan: [['activity', 'reference'], ['goal'], ['basedOn'], ['replaces'], ['partOf']],
  ServiceRequest: [['basedOn'], ['replaces']],
};

interface Link {
  /** Where it is, for messages: `CarePlan.activity[0].reference`. */
  where: string;
  reference: string;
}

/** The references a resource holds in its LINKS elements (a lone object where a list belongs counts too). */
function linksOf(resource: Resource, only?: string): Link[] {
  const links: Link[] = [];
  for (const [element, inner] of LINKS[resource.resourceType] ?? []) {
    if (only !== undefined && element !== only) continue;
    const given = (resource as unknown as Record<string, unknown>)[element];
    const items: unknown[] = Array.isArray(given) ? given : given === undefined ? [] : [given];
    items.forEach((item, i) => {
      const ref = inner === undefined ? item : isJsonObject(item) ? item[inner] : undefined;
      if (isJsonObject(ref) && typeof ref.reference === 'string') {
        links.push({ where: `${resource.resourceType}.${element}[${i}]${inner !== undefined ? `.${inner}` : ''}`, reference: ref.reference });
      }
    });
  }
  return links;
}

/** Every link of a resource (or of one element: `only`) must be held by the compartment; `prefix` starts the refusal. */
async function checkLinks(compartment: Compartment, resource: Resource, only?: string, prefix = ''): Promise<void> {
  for (const { where, reference } of linksOf(resource, only)) {
    if (!(await compartment.linkHeld(reference))) throw forbidden(`${prefix}${outside(`${where} ${reference.slice(0, 200)}`)}`);
  }
}

/** Before `$progress` on a stored plan of the patient: every order it lists must be the patient's (or not stored). */
export async function checkPlanOrders(compartment: Compartment, planId: string): Promise<void> {
  const plan = await compartment.stored('CarePlan', planId);
  if (plan?.resourceType === 'CarePlan') await checkLinks(compartment, plan, 'activity');
}

/** `user`: `Type/id` of the token's fhirUser, readable whatever the compartment. */
export async function checkRead(compartment: Compartment, type: string, id: string, user?: string): Promise<void> {
  if (`${type}/${id}` === user) return;
  await checkStored(compartment, type, id);
}

export async function checkCreate(compartment: Compartment, body: unknown): Promise<void> {
  if (!isResource(body)) throw badRequest('the body is not a FHIR resource');
  if (!(await compartment.holds(body, true))) throw forbidden(outside(`the new ${body.resourceType}`));
  await checkLinks(compartment, body);
}

export async function checkUpdate(compartment: Compartment, type: string, id: string, body: unknown): Promise<void> {
  if (!isResource(body)) throw badRequest('the body is not a FHIR resource');
  await checkStored(compartment, type, id);
  if (!(await compartment.holds(body))) throw forbidden(outside(`the new version of ${type}/${id}`));
  await checkLinks(compartment, body);
}

export async function checkDelete(compartment: Compartment, type: string, id: string): Promise<void> {
  await checkStored(compartment, type, id);
}

/** JSON Pointers a patch may not touch: what says which resource it is and whose. */
function guardedPaths(type: string): string[] {
  const own = type === 'Provenance' ? ['/target'] : SUBJECT_TYPES.has(type) ? ['/subject'] : [];
  return ['/id', '/resourceType', ...own];
}

/** A JSON Pointer's reference tokens, unescaped (`/a~1b/0` -> `a/b`, `0`). */
const tokens = (pointer: string): string[] =>
  pointer
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));

/** A resource holding only `value` where the pointer puts it (array indexes collapse to one item), to read its links. */
function placed(type: string, pointer: string, value: unknown): Resource {
  const nest = (rest: string[]): unknown => {
    const [head, ...tail] = rest;
    if (head === undefined) return value;
    return /^(\d+|-)$/.test(head) ? [nest(tail)] : { [head]: nest(tail) };
  };
  const shape = nest(tokens(pointer));
  return { ...(isJsonObject(shape) ? shape : {}), resourceType: type };
}

/**
 * A JSON Patch (RFC 6902) on a stored resource of the patient that leaves its compartment as it is, and
 * whose links (see the file comment) stay in it: an `add` or `replace` under a link element has each
 * reference of its value checked; `remove` and `test` change none; `move` and `copy` into one are refused.
 */
export async function checkPatch(compartment: Compartment, type: string, id: string, body: unknown): Promise<void> {
  await checkStored(compartment, type, id);
  if (!Array.isArray(body)) return; // the server refuses a patch that is not a JSON Patch array
  const guarded = guardedPaths(type);
  const links = (LINKS[type] ?? []).map(([element]) => `/${element}`);
  const under = (pointer: string, roots: string[]): string | undefined => roots.find((g) => pointer === g || pointer.startsWith(`${g}/`));
  for (const [i, op] of (body as unknown[]).entries()) {
    const noPath = (): OperationOutcomeError => forbidden(`patch operation ${i} has no path: it cannot be checked against the launch's patient context`);
    if (!isJsonObject(op) || typeof op.path !== 'string') throw noPath();
    const path = op.path;
    for (const pointer of [path, ...(op.from !== undefined ? [op.from] : [])]) {
      if (typeof pointer !== 'string') throw noPath();
      if (pointer === '' || under(pointer, guarded) !== undefined) {
        throw forbidden(`patch operation ${i} changes ${pointer === '' ? 'the whole resource' : pointer}, which a patch may not change in the launch's patient context`);
      }
    }
    const link = under(path, links);
    if (link === undefined || op.op === 'remove' || op.op === 'test') continue;
    if (op.op !== 'add' && op.op !== 'replace') {
      throw forbidden(`patch operation ${i} (${String(op.op).slice(0, 20)}) writes ${link}, whose references a patch may only add, replace or remove in the launch's patient context`);
    }
    await checkLinks(compartment, placed(type, path, op.value), undefined, `patch operation ${i}: `);
  }
}

/** The stored resource, when there is one, must be in the compartment. */
async function checkStored(compartment: Compartment, type: string, id: string): Promise<void> {
  const stored = await compartment.stored(type, id);
  if (stored && !(await compartment.holds(stored))) throw forbidden(outside(describe(stored)));
}
