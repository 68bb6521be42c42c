import type { Bundle, Observation, Provenance } from 'fhir/r4';
import { daysSince, namespaceObservations, shiftDate, shiftDates } from './demo-seed';

describe('shiftDate', () => {
  it.each([
    ['2026-11-27', 7, '2026-12-04'],
    ['2026-11-27T09:00:00+01:00', 7, '2026-12-04T09:00:00+01:00'],
    ['2026-12-30T23:59:59.123Z', 3, '2027-01-02T23:59:59.123Z'],
    ['2028-02-27T08:00:00-05:00', 2, '2028-02-29T08:00:00-05:00'],
    ['2026-11-27', 0, '2026-11-27'],
    ['2026-11', 7, '2026-11'],
    ['not a date', 7, 'not a date'],
    ['Patient/2026-11-27', 7, 'Patient/2026-11-27'],
  ])('moves %j by %i days to %j, keeping time of day and offset', (value, days, expected) => {
    expect(shiftDate(value, days)).toBe(expected);
  });
});

describe('shiftDates', () => {
  it('moves every date in a resource but birthDate, without touching the input', () => {
    const patient = { resourceType: 'Patient', birthDate: '1979-02-11', meta: { lastUpdated: '2026-11-01T00:00:00Z' } };
    expect(shiftDates(patient, 1)).toEqual({ resourceType: 'Patient', birthDate: '1979-02-11', meta: { lastUpdated: '2026-11-02T00:00:00Z' } });
    expect(patient.meta.lastUpdated).toBe('2026-11-01T00:00:00Z');
  });
});

describe('daysSince', () => {
  const clock = new Date('2026-12-04T14:00:00Z');
  it.each([
    ['2026-11-27T09:00:00+01:00', 7],
    ['2026-12-04T13:00:00Z', 0],
    ['2026-12-03T14:00:00Z', 1],
    ['2026-12-05T00:00:00Z', 0],
    [undefined, 0],
    ['garbage', 0],
  ])('counts whole days from %j to the clock: %i', (timestamp, days) => {
    expect(daysSince(timestamp, clock)).toBe(days);
  });
});

describe('namespaceObservations', () => {
  it('prefixes Observation ids with the story and rewrites references and fullUrls to them, nothing else', () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'https://example.org/fhir/Observation/checkin-1', resource: { resourceType: 'Observation', id: 'checkin-1', status: 'final', code: {} } as Observation },
        {
          fullUrl: 'https://example.org/fhir/Provenance/p1',
          resource: { resourceType: 'Provenance', id: 'p1', recorded: '2026-01-01T00:00:00Z', agent: [], target: [{ reference: 'ServiceRequest/o1' }], entity: [{ role: 'source', what: { reference: 'Observation/checkin-1' } }] } as Provenance,
        },
      ],
    };
    const renamed = namespaceObservations(bundle, 'flare');
    expect(renamed.entry?.[0]?.fullUrl).toBe('https://example.org/fhir/Observation/flare-checkin-1');
    expect(renamed.entry?.[0]?.resource?.id).toBe('flare-checkin-1');
    expect(JSON.stringify(renamed.entry?.[1])).toContain('"reference":"Observation/flare-checkin-1"');
    expect(JSON.stringify(renamed.entry?.[1])).toContain('"reference":"ServiceRequest/o1"');
    expect(bundle.entry?.[0]?.resource?.id).toBe('checkin-1');
  });
});
