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
 * See: https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
 */
import { badRequest } from '../fhir/outcome';
import { isJsonObject } from '../fhir/json';
import { Compartment, describe, isResource, SUBJECT_TYPES } from './access-compartment';
import { forbidden, outside } from './access-grant';

/** `user`: `Type/id` of the token's fhirUser, readable whatever the compartment. */
export async function checkRead(compartment: Compartment, type: string, id: string, user?: string): Promise<void> {
  if (`${type}/${id}` === user) return;
  await checkStored(compartment, type, id);
}

export async function checkCreate(compartment: Compartment, body: unknown): Promise<void> {
  if (!isResource(body)) throw badRequest('the body is not a FHIR resource');
  if (!(await compartment.holds(body, true))) throw forbidden(outside(`the new ${body.resourceType}`));
}

export async function checkUpdate(compartment: Compartment, type: string, id: string, body: unknown): Promise<void> {
  if (!isResource(body)) throw badRequest('the body is not a FHIR resource');
  await checkStored(compartment, type, id);
  if (!(await compartment.holds(body))) throw forbidden(outside(`the new version of ${type}/${id}`));
}

export async function checkDelete(compartment: Compartment, type: string, id: string): Promise<void> {
  await checkStored(compartment, type, id);
}

/** JSON Pointers a patch may not touch: what says which resource it is and whose. */
function guardedPaths(type: string): string[] {
  const own = type === 'Provenance' ? ['/target'] : SUBJECT_TYPES.has(type) ? ['/subject'] : [];
  return ['/id', '/resourceType', ...own];
}

/** A JSON Patch (RFC 6902) on a stored resource of the patient that leaves its compartment as it is. */
export async function checkPatch(compartment: Compartment, type: string, id: string, body: unknown): Promise<void> {
  await checkStored(compartment, type, id);
  if (!Array.isArray(body)) return; // the server refuses a patch that is not a JSON Patch array
  const guarded = guardedPaths(type);
  body.forEach((op: unknown, i) => {
    const pointers = isJsonObject(op) ? [op.path, ...(op.from !== undefined ? [op.from] : [])] : [undefined];
    for (const pointer of pointers) {
      if (typeof pointer !== 'string') throw forbidden(`patch operation ${i} has no path: it cannot be checked against the launch's patient context`);
      if (pointer === '' || guarded.some((g) => pointer === g || pointer.startsWith(`${g}/`))) {
        throw forbidden(`patch operation ${i} changes ${pointer === '' ? 'the whole resource' : pointer}, which a patch may not change in the launch's patient context`);
      }
    }
  });
}

/** The stored resource, when there is one, must be in the compartment. */
async function checkStored(compartment: Compartment, type: string, id: string): Promise<void> {
  const stored = await compartment.stored(type, id);
  if (stored && !(await compartment.holds(stored))) throw forbidden(outside(describe(stored)));
}
