import type { Bundle, BundleEntry, Provenance } from 'fhir/r4';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyTransaction } from '../../../test/support/fhir-apply';
import { progress } from '../progress';
import { changesTransaction, provenanceBatch } from './split-write';

const demo = (name: string): Bundle =>
  JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'demo', `${name}.json`), 'utf8')) as Bundle;
const transactionOf = (name: string): Bundle => {
  const bundle = demo(name);
  return progress(bundle, { now: bundle.timestamp ?? '' }).transaction;
};
const entries = (bundle: Bundle | undefined): BundleEntry[] => bundle?.entry ?? [];
const targets = (bundle: Bundle | undefined): string[] =>
  entries(bundle).flatMap((e) => (e.resource as Provenance).target.map((t) => t.reference ?? ''));

/** A transaction-response as a server writes it: one entry per request entry, with its location. */
function responseFor(locations: string[]): Bundle {
  return { resourceType: 'Bundle', type: 'transaction-response', entry: locations.map((location) => ({ response: { status: '201', location } })) };
}

describe('changesTransaction', () => {
  it('keeps every entry but the Provenances, in order, as a transaction with no conditional create', () => {
    const transaction = transactionOf('progressing');
    const changes = changesTransaction(transaction);
    expect(changes?.type).toBe('transaction');
    expect(entries(changes).map((e) => `${e.request?.method} ${e.request?.url}`)).toEqual(
      entries(transaction)
        .filter((e) => e.resource?.resourceType !== 'Provenance')
        .map((e) => `${e.request?.method} ${e.request?.url}`),
    );
    expect(entries(changes).some((e) => e.request?.ifNoneExist !== undefined)).toBe(false);
  });

  it('is undefined when every order holds', () => {
    expect(changesTransaction(transactionOf('holding'))).toBeUndefined();
  });
});

describe('provenanceBatch', () => {
  it('sends the Provenances as a batch of conditional creates', () => {
    const batch = provenanceBatch(transactionOf('holding'));
    expect(batch?.type).toBe('batch');
    expect(entries(batch)).toHaveLength(4);
    for (const e of entries(batch)) expect(e.request?.ifNoneExist).toMatch(/^_tag=https:\/\/gradus\.health\/fhir\/CodeSystem\/evaluation-key\|[0-9a-f]{64}$/);
  });

  it('points the new orders at the versions the server created, from relative or absolute locations', () => {
    const transaction = transactionOf('progressing');
    const changes = changesTransaction(transaction) as Bundle;
    const locations = entries(changes).map((e, i) =>
      e.request?.method === 'POST' ? `https://fhir.example.org/fhir/ServiceRequest/new-${i}/_history/1` : `${e.request?.url ?? ''}/_history/2`,
    );
    const batch = provenanceBatch(transaction, responseFor(locations));
    const created = entries(changes).filter((e) => e.request?.method === 'POST').length;
    const resolved = targets(batch).filter((t) => t.startsWith('ServiceRequest/new-'));
    expect(resolved).toHaveLength(created);
    for (const t of resolved) expect(t).toMatch(/^ServiceRequest\/new-\d+\/_history\/1$/);
    expect(targets(batch).some((t) => t.startsWith('urn:uuid:'))).toBe(false);
  });

  it('refuses to send a Provenance whose new order has no location yet', () => {
    expect(() => provenanceBatch(transactionOf('progressing'))).toThrow(/no location in the changes' response for urn:uuid:/);
  });

  it('leaves the engine transaction as it was', () => {
    const transaction = transactionOf('progressing');
    const before = JSON.stringify(transaction);
    const changes = changesTransaction(transaction) as Bundle;
    provenanceBatch(transaction, responseFor(entries(changes).map((_e, i) => `ServiceRequest/x${i}`)));
    expect(JSON.stringify(transaction)).toBe(before);
  });

  it('is undefined in phase referred, where nothing is written', () => {
    const bundle = demo('red-flag');
    const first = progress(bundle, { now: bundle.timestamp ?? '' }).transaction;
    const referred = applyTransaction(bundle, first).bundle;
    expect(provenanceBatch(progress(referred, { now: bundle.timestamp ?? '' }).transaction)).toBeUndefined();
  });

  it('written after the changes, yields the same store as the one transaction', () => {
    const bundle = demo('progressing');
    const transaction = progress(bundle, { now: bundle.timestamp ?? '' }).transaction;
    const changes = changesTransaction(transaction) as Bundle;
    const step1 = applyTransaction(bundle, changes);
    const batch = provenanceBatch(transaction, responseFor(step1.outcomes.map((o) => o.location))) as Bundle;
    const step2 = applyTransaction(step1.bundle, { ...batch, type: 'transaction' }).bundle;
    const provenances = entries(step2).filter((e) => e.resource?.resourceType === 'Provenance');
    expect(provenances).toHaveLength(entries(batch).length);
    const ids = new Set(entries(step2).map((e) => `${e.resource?.resourceType}/${e.resource?.id}`));
    for (const t of targets({ resourceType: 'Bundle', type: 'collection', entry: provenances })) {
      expect(ids).toContain(t.replace(/\/_history\/.*$/, ''));
    }
  });
});
