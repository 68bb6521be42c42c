import type { Observation } from 'fhir/r4';
import { CS, GRADUS_CODE } from '../fhir/codes';
import { adherenceWeeks } from './adherence';
import type { OrderView, PlanView } from './plan-view';

const order = (id: string, since: string, perWeek: number, replaces: string[] = []): OrderView => ({ id, exercise: id, status: 'active', since, perWeek, days: [], replaces });
const session = (orderId: string, effectiveDateTime: string, status: Observation['status'] = 'final'): Observation => ({
  resourceType: 'Observation',
  status,
  code: { coding: [{ system: CS.gradus, code: GRADUS_CODE.exerciseSession }] },
  basedOn: [{ reference: `ServiceRequest/${orderId}` }],
  effectiveDateTime,
});

function plan(observations: Observation[], chains: OrderView[][]): PlanView {
  return { id: 'p', patientId: 'x', patientName: 'X', status: 'active', start: '2026-11-02', current: chains.map((c) => c[c.length - 1] as OrderView), chains: chains.map((orders) => ({ label: 'x', orders })), observations };
}

const walk = [order('walk', '2026-11-02', 3)];
const squat = [order('squat-1', '2026-11-02', 2), order('squat-2', '2026-11-12', 3, ['squat-1'])];

describe('adherence per program week', () => {
  it.each<[string, Observation[], OrderView[][], string, string[]]>([
    ['one exercise, three a week, all done', [session('walk', '2026-11-02T18:00:00+01:00'), session('walk', '2026-11-04T18:00:00+01:00'), session('walk', '2026-11-06T18:00:00+01:00')], [walk], '2026-11-08', ['1 (current): 3/3']],
    ['weeks start on period.start, not on Monday', [session('walk', '2026-11-08T23:00:00+01:00'), session('walk', '2026-11-09T07:00:00+01:00')], [walk], '2026-11-10', ['1: 1/3', '2 (current): 1/3']],
    ['a session counts on its own calendar date', [session('walk', '2026-11-08T21:00:00-08:00')], [walk], '2026-11-09', ['1: 1/3', '2 (current): 0/3']],
    ['sessions of replaced orders count; the dose in effect decides what is prescribed', [session('squat-1', '2026-11-10T18:00:00+01:00'), session('squat-2', '2026-11-13T18:00:00+01:00')], [squat], '2026-11-15', ['1: 0/2', '2 (current): 2/3']],
    ['an exercise added mid-week is prescribed for the days it ran (7 a week over 3 days: 3)', [], [walk, [order('late', '2026-11-06', 7)]], '2026-11-08', ['1 (current): 0/6']],
    ['entered-in-error and other orders\' sessions do not count', [session('walk', '2026-11-03T18:00:00+01:00', 'entered-in-error'), session('other', '2026-11-03T18:00:00+01:00')], [walk], '2026-11-03', ['1 (current): 0/3']],
    ['nothing before the plan starts', [], [walk], '2026-11-01', []],
  ])('%s', (_what, observations, chains, today, expected) => {
    const rows = adherenceWeeks(plan(observations, chains), today);
    expect(rows.map((r) => `${r.week}${r.current ? ' (current)' : ''}: ${r.done}/${r.prescribed}`)).toEqual(expected);
  });
});
