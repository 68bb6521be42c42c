import type { Dose } from '../types';
import { flat, scenario, type HistoryBuilder, type SessionOptions } from '../../../test/support/builder';
import { orderOf, run } from '../../../test/support/evaluate';

const WALK: Dose = { duration: { value: 20, unit: 'min' }, step: 1 };

interface Spec {
  authoredDay?: number;
  frequency?: number;
  sessions?: [number, SessionOptions][];
  pains?: Record<number, number>;
  /** Day of phase-since at 09:00 (default 30, before the order). */
  phaseSinceDay?: number;
}

/** Quota mode, B = 3, one endurance order. */
function quota({ authoredDay = 10, frequency = 3, sessions = [[5, {}], [2, {}]], pains = {}, phaseSinceDay = 30 }: Spec): HistoryBuilder {
  const b = scenario()
    .plan({ policy: { mode: 'quota-based' }, phaseSince: phaseSinceDay })
    .painScores({ ...flat(3, 7, 20), ...pains })
    .order({ id: 'w', domain: 'endurance', dose: WALK, authoredOn: authoredDay, frequency });
  for (const [day, spec] of sessions) b.session('w', day, { painDuring: 3, duration: 20, ...spec });
  return b;
}

describe('quota-based order rule', () => {
  it.each<[string, Spec, string, RegExp]>([
    ['2 of 3 sessions in the last 7 days progresses', {}, 'progress', /^Progressed: quota met: active 10 days and did 2 of 3 prescribed sessions in the last 7 days \(at least 2 needed\); duration 20 -> 22 min/],
    ['1 of 3 holds', { sessions: [[9, {}], [2, {}]] }, 'hold', /^Held: quota: did 1 of 3 prescribed sessions in the last 7 days \(needs at least 2, 2\/3\)/],
    ['active 7 days progresses', { authoredDay: 7, sessions: [[5, {}], [2, {}]] }, 'progress', /active 7 days/],
    ['active 6 days holds', { authoredDay: 6, sessions: [[5, {}], [2, {}]] }, 'hold', /^Held: quota: active 6 days of 7 \(since 2026-11-14\)/],
    ['pain during 8 does not stop it (time-contingent)', { sessions: [[5, { painDuring: 8 }], [2, { painDuring: 9 }]] }, 'progress', /^Progressed/],
    ['2 per week needs 2 sessions', { frequency: 2, sessions: [[2, {}]] }, 'hold', /did 1 of 2 prescribed sessions in the last 7 days \(needs at least 2/],
    ['2 per week with 2 sessions progresses', { frequency: 2 }, 'progress', /^Progressed/],
    ['boom-bust: 31 min (> 150% of 20) then M = B + 2 holds', { sessions: [[5, { duration: 31 }], [2, {}]], pains: { 4: 5 } }, 'hold', /^Held: boom-bust pattern: session on 2026-11-15 lasted 31 min > 150% of 20 min, then next-morning pain 5\/10 >= B \+ 2 = 5/],
    ['30 min (exactly 150%) is no boom', { sessions: [[5, { duration: 30 }], [2, {}]], pains: { 4: 5 } }, 'progress', /^Progressed/],
    ['an overshoot followed by M = B + 1 is no bust', { sessions: [[5, { duration: 40 }], [2, {}]], pains: { 4: 4 } }, 'progress', /^Progressed/],
    ['after a phase change on day 5, the 2 sessions from day 5 on count', { phaseSinceDay: 5 }, 'progress', /did 2 of 3 prescribed sessions in the last 7 days since the phase began on 2026-11-15/],
    ['after a phase change on day 4, only 1 session counts', { phaseSinceDay: 4 }, 'hold', /^Held: quota: did 1 of 3 prescribed sessions in the last 7 days since the phase began on 2026-11-16 \(needs at least 2/],
    ['boom-bust on day 5 with the phase begun that morning: still a boom-bust', { sessions: [[5, { duration: 31 }], [3, {}], [2, {}]], pains: { 4: 5 }, phaseSinceDay: 5 }, 'hold', /^Held: boom-bust pattern: session on 2026-11-15/],
    ['boom-bust on day 5 with the phase begun on day 4: judged by the phase before, the quota decides', { sessions: [[5, { duration: 31 }], [3, {}], [2, {}]], pains: { 4: 5 }, phaseSinceDay: 4 }, 'progress', /^Progressed: quota met: active 10 days and did 2 of 3 prescribed sessions in the last 7 days since the phase began on 2026-11-16/],
  ])('%s', (_name, spec, decision, rationale) => {
    const out = orderOf(run(quota(spec)), 'w');
    expect(out.decision).toBe(decision);
    expect(out.rationale).toMatch(rationale);
  });

  it('judges boom-bust by reps when the order has no duration', () => {
    const b = scenario()
      .plan({ policy: { mode: 'quota-based' } })
      .painScores({ ...flat(3, 7, 20), 4: 6 })
      .order({ id: 'r', domain: 'strength', dose: { sets: 2, reps: 10 } })
      .session('r', 5, { painDuring: 2, reps: 16 })
      .session('r', 2, { painDuring: 2, reps: 10 });
    expect(orderOf(run(b), 'r').rationale).toMatch(/boom-bust pattern: session on 2026-11-15 reached 16 reps > 150% of 10/);
  });

  it('holds with no baseline pain on record', () => {
    const b = scenario().plan({ policy: { mode: 'quota-based' } }).order({ id: 'w', domain: 'endurance', dose: WALK }).session('w', 5).session('w', 2);
    expect(orderOf(run(b), 'w')).toMatchObject({ decision: 'hold', rationale: 'Held: no baseline pain on record' });
  });

  it('applies alternating focus as in pain-guided mode', () => {
    const b = quota({}).order({ id: 'bike', domain: 'endurance', dose: WALK, authoredOn: 9 }).session('bike', 5, { painDuring: 2 }).session('bike', 2, { painDuring: 2 });
    const out = run(b);
    expect([orderOf(out, 'bike').decision, orderOf(out, 'w').decision]).toEqual(['hold', 'progress']);
    expect(orderOf(out, 'bike').rationale).toMatch(/alternating focus/);
  });
});
