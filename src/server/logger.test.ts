import { Validator } from '../validation';
import { jsonLogger, maskPath } from './logger';

const definitions = new Validator().definitions;
const isResourceType = (segment: string): boolean => definitions.isResourceType(segment);

describe('maskPath', () => {
  it.each([
    ['/fhir/CarePlan/amara-plan/$progress', '/fhir/CarePlan/:id/$progress'],
    ['/fhir/CarePlan/$progress?now=2026', '/fhir/CarePlan/$progress'],
    ['/fhir/Observation?subject=Patient/amara-okafor', '/fhir/Observation'],
    ['/fhir/ServiceRequest/x/_history/3', '/fhir/ServiceRequest/:id/_history/:id'],
    ['/fhir/metadata', '/fhir/metadata'],
    ['/callback?code=abc&state=def', '/callback'],
    ['/app/plans/amara-plan/approve', '/app/plans/:id/approve'],
    ['/auth/interaction/Xy12/confirm', '/auth/interaction/:id/confirm'],
    ['/launch?iss=https://ehr.example/fhir&launch=123', '/launch'],
    ['/fhir/Amara/x', '/fhir/:id/:id'],
    ['/health', '/health'],
    ['/fhir/$validate', '/fhir/$validate'],
  ])('shows %j as %j', (path, masked) => {
    expect(maskPath(path, isResourceType)).toBe(masked);
  });
});

describe('jsonLogger', () => {
  it('writes one JSON object per line and drops lines below its level', () => {
    const lines: string[] = [];
    const logger = jsonLogger('warn', (l) => lines.push(l));
    logger.log('info', 'dropped');
    logger.log('warn', 'kept', { requestId: 'r1', status: 503 });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 'warn', message: 'kept', requestId: 'r1', status: 503 });
  });
});
