/**
 * Checks that an engine result keeps the output contract (implementation-guide.md, "Progression output"): changed
 * (and newly established) orders are replaced (POST with `replaces`, old one PUT `completed` with ifMatch), refer puts orders
 * `on-hold`, every evaluated order has one Provenance with the decision as reason, holds are conditional
 * creates keyed in meta.tag, a phase change PUTs the plan and adds a plan Provenance.
 */
import type { Bundle, ServiceRequest } from 'fhir/r4';
import { EVALUATION_KEY_SYSTEM, EXT } from '../../src/fhir/codes';
import type { ProgressResult } from '../../src/progression/progress';
import { readDose, readPhase } from './dose-ext';
import { byId, coreDose, parts, provenanceRationale, provenanceReason, thePlan, unversioned } from './inspect';

const ifMatchOf = (bundle: Bundle, type: string, id: string): string =>
  `W/"${(bundle.entry ?? []).find((e) => e.resource?.resourceType === type && e.resource.id === id)?.resource?.meta?.versionId ?? '?'}"`;

/** Asserts (with jest's expect) that `result.transaction` writes what `result`'s decisions say. */
export function expectContract(input: Bundle, result: ProgressResult): void {
  const tx = result.transaction;
  const p = parts(tx);
  const plan = thePlan(input);
  expect(tx.type).toBe('transaction');

  if (result.plan.phaseFrom === 'referred') {
    expect(tx.entry ?? []).toHaveLength(0);
    return;
  }

  for (const d of result.orders) {
    const old = byId<ServiceRequest>(input, 'ServiceRequest', d.orderId);
    const successor = p.postedOrders.find((e) => e.resource?.replaces?.some((r) => unversioned(r.reference) === `ServiceRequest/${d.orderId}`));
    const oldPut = p.putOrders.find((e) => e.resource?.id === d.orderId);
    // establish-baseline always writes the established order, even at the placeholder's dose (implementation-guide.md, Extensions).
    const changed = JSON.stringify(coreDose(d.from)) !== JSON.stringify(coreDose(d.to)) || JSON.stringify(d.from) !== JSON.stringify(d.to) || d.decision === 'establish-baseline';

    if (d.decision === 'refer') {
      expect(successor).toBeUndefined();
      expect(oldPut?.resource?.status).toBe('on-hold');
      expect(oldPut?.request?.ifMatch).toBe(ifMatchOf(input, 'ServiceRequest', d.orderId));
    } else if (changed) {
      expect(successor).toBeDefined();
      expect(successor?.resource?.status).toBe('active');
      expect(readDose(successor?.resource as ServiceRequest)).toEqual(d.to);
      expect(successor?.resource?.basedOn?.map((r) => unversioned(r.reference))).toEqual([`CarePlan/${plan.id ?? ''}`]);
      expect(successor?.resource?.subject.reference).toBe(old.subject.reference);
      expect(oldPut?.resource?.status).toBe('completed');
      expect(oldPut?.request?.ifMatch).toBe(ifMatchOf(input, 'ServiceRequest', d.orderId));
    } else {
      expect(successor).toBeUndefined();
      expect(oldPut).toBeUndefined();
    }
    expect(readDose(old)).toEqual(d.from);

    const target = successor?.fullUrl ?? `ServiceRequest/${d.orderId}`;
    const provs = p.provenances.filter((e) => e.resource?.target.some((t) => unversioned(t.reference) === target));
    expect(provs).toHaveLength(1);
    const prov = provs[0];
    expect(prov?.resource && provenanceReason(prov.resource)).toBe(d.decision);
    expect(prov?.resource && provenanceRationale(prov.resource)).toMatch(/\S/);
    if (d.decision === 'hold') {
      const tag = prov?.resource?.meta?.tag?.find((t) => t.system === EVALUATION_KEY_SYSTEM);
      expect(tag?.code).toMatch(/\S/);
      expect(prov?.request?.ifNoneExist).toBe(`_tag=${EVALUATION_KEY_SYSTEM}|${tag?.code ?? ''}`);
      expect(prov?.resource?.activity).toBeUndefined();
    } else {
      // Every decision but hold carries activity UPDATE (profile invariant gradus-progression-provenance-1).
      expect(prov?.resource?.activity?.coding?.[0]?.code).toBe('UPDATE');
    }
  }

  if (p.postedOrders.length > 0) {
    const activity = (p.planPut?.resource?.activity ?? []).map((a) => unversioned(a.reference?.reference));
    for (const e of p.postedOrders) expect(activity).toContain(e.fullUrl);
    for (const e of p.putOrders.filter((x) => x.resource?.status === 'completed')) {
      expect(activity).not.toContain(`ServiceRequest/${e.resource?.id ?? ''}`);
    }
  }

  if (result.plan.phaseTo !== result.plan.phaseFrom) {
    expect(p.planPut).toBeDefined();
    expect(p.planPut?.request?.ifMatch).toBe(ifMatchOf(input, 'CarePlan', plan.id ?? ''));
    expect(p.planPut?.resource && readPhase(p.planPut.resource)).toBe(result.plan.phaseTo);
    const since = p.planPut?.resource?.extension?.find((e) => e.url === EXT.phaseSince)?.valueDateTime;
    expect(since).toMatch(/\S/);
    const planProvs = p.provenances.filter((e) => e.resource?.target.some((t) => unversioned(t.reference) === `CarePlan/${plan.id ?? ''}`));
    expect(planProvs.length).toBeGreaterThanOrEqual(1);
  }
  const anyChange = result.orders.some((d) => JSON.stringify(d.from) !== JSON.stringify(d.to) || d.decision === 'refer' || d.decision === 'establish-baseline');
  if (!anyChange && result.plan.phaseTo === result.plan.phaseFrom) expect(p.puts).toHaveLength(0);
}
