/**
 * Whether a profile's snapshot provably contains its base resource definition (every base element present,
 * cardinality within, constraints kept, types narrowed, required bindings and fixed values kept). When it
 * does, walking the profile also applies the base, so the base walk is skipped; when it does not (a
 * defective or unusual snapshot), the base is walked as well. Checked once per profile.
 * See: https://hl7.org/fhir/R4/profiling.html#snapshot
 */
import type { ElementNode, Structure } from './structure';
import { deepEqual } from './values';

const verdicts = new WeakMap<Structure, WeakMap<Structure, boolean>>();

function keeps(base: ElementNode, p: ElementNode): boolean {
  if (p.min < base.min || p.max > base.max || p.isArray !== base.isArray) return false;
  if (p.contentReference !== base.contentReference && base.contentReference !== undefined) return false;
  const keys = new Set(p.constraints.map((c) => `${c.key}\u0000${c.expression ?? ''}`));
  if (!base.constraints.every((c) => keys.has(`${c.key}\u0000${c.expression ?? ''}`))) return false;
  const codes = new Set(base.types.map((t) => t.code));
  if (!p.types.every((t) => codes.has(t.code))) return false;
  if (base.fixed && !(p.fixed && deepEqual(p.fixed.value, base.fixed.value))) return false;
  if (base.pattern && !p.fixed && !(p.pattern && deepEqual(p.pattern.value, base.pattern.value))) return false;
  if (base.binding?.strength === 'required') {
    if (p.binding?.strength !== 'required' || p.binding.valueSet !== base.binding.valueSet) return false;
  }
  return true;
}

/** True when `profile`'s snapshot carries every rule of `base` (so walking it alone is complete). */
export function subsumesBase(profile: Structure, base: Structure): boolean {
  let perBase = verdicts.get(profile);
  if (!perBase) {
    perBase = new WeakMap();
    verdicts.set(profile, perBase);
  }
  const hit = perBase.get(base);
  if (hit !== undefined) return hit;
  let ok = profile.type === base.type;
  for (const [id, node] of base.byId) {
    if (!ok) break;
    const p = profile.byId.get(id);
    ok = p !== undefined && keeps(node, p);
  }
  perBase.set(base, ok);
  return ok;
}
