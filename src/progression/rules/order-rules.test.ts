import type { Dose } from '../types';
import { at, flat, scenario, type HistoryBuilder, type PlanOptions, type SessionOptions } from '../../../test/support/builder';
import { orderOf, run } from '../../../test/support/evaluate';

const LOADED: Dose = { sets: 3, reps: 10, load: 5, step: 2 };

/** B = 3 (flat daily pain 3 on days 0-20), one strength order authored on day 10, sessions on days 4 and 2. */
function strength(sessions: [SessionOptions, SessionOptions], options: { pains?: Record<number, number>; dose?: Dose } = {}): HistoryBuilder {
  return scenario()
    .painScores({ ...flat(3, 0, 20), ...options.pains })
    .order({ id: 's1', dose: options.dose ?? LOADED })
    .session('s1', 4, sessions[0])
    .session('s1', 2, sessions[1]);
}

const ok: SessionOptions = { painDuring: 3, painAfter: 3, sets: 3, reps: 10, load: 5 };

describe('pain-guided order rules', () => {
  it.each<[string, [SessionOptions, SessionOptions], Record<number, number>, string, RegExp]>([
    ['pain during 5 qualifies', [ok, { ...ok, painDuring: 5 }], {}, 'progress', /^Progressed: 2 qualifying sessions in a row \(2026-11-16, 2026-11-18\)/],
    ['pain during 6 regresses', [ok, { ...ok, painDuring: 6 }], {}, 'regress', /^Regressed: pain during session on 2026-11-18 was 6\/10 > ceiling 5; load 5 kg -> 4.5 kg \(-10%\) \(one increment down\)/],
    ['pain after 6 regresses', [{ ...ok, painAfter: 6 }, ok], {}, 'regress', /pain after session on 2026-11-16 was 6\/10 > ceiling 5/],
    ['M = B + 2 regresses', [ok, ok], { 3: 5 }, 'regress', /next-morning pain on 2026-11-17 after the session on 2026-11-16 was 5\/10 >= B \+ 2 = 5/],
    ['M = B + 1 still qualifies', [ok, ok], { 3: 4 }, 'progress', /^Progressed/],
    ['a rep short holds', [ok, { ...ok, reps: 9 }], {}, 'hold', /^Held: session on 2026-11-18 does not qualify \(reps in final set 9 < 10 prescribed\)/],
  ])('%s', (_name, sessions, pains, decision, rationale) => {
    const out = orderOf(run(strength(sessions, { pains })), 's1');
    expect(out.decision).toBe(decision);
    expect(out.rationale).toMatch(rationale);
  });

  it('progresses load when 2-for-2 is met, and says so', () => {
    const out = orderOf(run(strength([{ ...ok, reps: 15 }, { ...ok, reps: 14 }], { dose: { sets: 3, reps: 12, load: 5, step: 2 } })), 's1');
    expect(out).toMatchObject({ decision: 'progress', newDose: { sets: 3, reps: 12, load: 5.5, step: 3 } });
    expect(out.rationale).toBe(
      'Progressed: 2 qualifying sessions in a row (2026-11-16, 2026-11-18); last set 14 reps at 5 kg vs 12 prescribed (2-for-2 met); load 5 kg -> 5.5 kg (+10%, rounded up to 0.5 kg)',
    );
  });

  it('adds a rep when 2-for-2 is just missed (reps + 1 in one session)', () => {
    const out = orderOf(run(strength([{ ...ok, reps: 12 }, { ...ok, reps: 11 }])), 's1');
    expect(out.newDose).toMatchObject({ reps: 11, load: 5 });
    expect(out.rationale).toMatch(/2-for-2 not met/);
  });

  it('says nothing of 2-for-2 for doses it does not move (no load)', () => {
    const b = strength([{ ...ok, reps: 14 }, { ...ok, reps: 14 }], { dose: { sets: 2, reps: 10 } });
    const out = orderOf(run(b), 's1');
    expect(out.rationale).toBe('Progressed: 2 qualifying sessions in a row (2026-11-16, 2026-11-18); reps 10 -> 12 (+2)');
  });

  it('cites the sessions and next-morning pain it used', () => {
    const out = orderOf(run(strength([ok, ok])), 's1');
    expect(out.evidence).toHaveLength(4);
    expect(out.evidence.every((r) => r.startsWith('Observation/'))).toBe(true);
  });

  it('notes a missing next-morning pain in the rationale without holding', () => {
    const sparse = scenario().plan({ referencePain: 3 }).order({ id: 's1', dose: LOADED }).session('s1', 4, ok).session('s1', 2, ok);
    const out = orderOf(run(sparse), 's1');
    expect(out.decision).toBe('progress');
    expect(out.rationale).toMatch(/next-morning pain after 2026-11-16 not recorded; next-morning pain after 2026-11-18 not recorded/);
  });

  describe('regress target: the most recent lower dose in the chain only when no lower than one increment down', () => {
    // s1 3 x 10 at 5 kg (step 3): one increment down is 4.5 kg; v2 is the chain's most recent lower dose.
    function chained(v2: Dose): HistoryBuilder {
      return scenario()
        .painScores(flat(3, 0, 20))
        .order({ id: 'v1', dose: { sets: 3, reps: 8, load: 3, step: 1 }, authoredOn: 40, status: 'completed', inPlan: false })
        .order({ id: 'v2', dose: v2, authoredOn: 25, status: 'completed', inPlan: false, replaces: 'v1' })
        .order({ id: 's1', dose: { sets: 3, reps: 10, load: 5, step: 3 }, authoredOn: 10, replaces: 'v2' })
        .session('s1', 2, { painDuring: 7 });
    }

    it.each<[string, Dose, Dose, RegExp]>([
      ['a chain dose above one increment down (3 x 12 at 4.5 kg) is the target', { sets: 3, reps: 12, load: 4.5, step: 2 }, { sets: 3, reps: 12, load: 4.5, step: 2 }, /3 x 10 at 5 kg -> 3 x 12 at 4.5 kg \(the most recent lower dose in its replaces chain, from 2026-10-26\)/],
      ['a chain dose equal to one increment down (3 x 10 at 4.5 kg) is the target', { sets: 3, reps: 10, load: 4.5, step: 2 }, { sets: 3, reps: 10, load: 4.5, step: 2 }, /the most recent lower dose in its replaces chain/],
      ['a chain dose below one increment down (3 x 12 at 4 kg): one increment down instead', { sets: 3, reps: 12, load: 4, step: 2 }, { sets: 3, reps: 10, load: 4.5, step: 2 }, /load 5 kg -> 4.5 kg \(-10%\) \(one increment down; the most recent lower dose in its replaces chain, 3 x 12 at 4 kg from 2026-10-26, is more than one increment down\)/],
      ['a chain dose lower in sets only (2 x 10 at 5 kg, a deload): one increment down instead, no variable drops more than one increment', { sets: 2, reps: 10, load: 5, step: 3 }, { sets: 3, reps: 10, load: 4.5, step: 2 }, /load 5 kg -> 4.5 kg \(-10%\) \(one increment down; the most recent lower dose in its replaces chain, 2 x 10 at 5 kg from 2026-10-26, is more than one increment down\)/],
    ])('%s', (_name, v2, newDose, rationale) => {
      const out = orderOf(run(chained(v2)), 's1');
      expect(out).toMatchObject({ decision: 'regress', newDose });
      expect(out.rationale).toMatch(rationale);
    });

    it('regresses one increment right after a resume, not back to the deload dose (40 -> 36 min, not 24)', () => {
      const walk = (value: number): Dose => ({ duration: { value, unit: 'min' }, rpeTarget: { low: 4, high: 6 }, step: 3 });
      const b = scenario()
        .painScores(flat(3, 0, 20))
        .order({ id: 'w0', domain: 'endurance', dose: walk(40), authoredOn: 30, status: 'completed', inPlan: false })
        .order({ id: 'w1', domain: 'endurance', dose: walk(24), authoredOn: 14, status: 'completed', inPlan: false, replaces: 'w0' })
        .order({ id: 'w2', domain: 'endurance', dose: walk(40), authoredOn: 7, replaces: 'w1' })
        .session('w2', 2, { painDuring: 7, duration: 40 });
      const out = orderOf(run(b), 'w2');
      expect(out).toMatchObject({ decision: 'regress', newDose: { ...walk(36), step: 2 } });
      expect(out.rationale).toMatch(/duration 40 -> 36 min \(-10%\) \(one increment down; the most recent lower dose in its replaces chain, 24 min \(RPE 4-6\) from 2026-11-06, is more than one increment down\)/);
    });
  });

  it('holds when a regress has no lower dose to go to', () => {
    const b = scenario().painScores(flat(3, 0, 20)).order({ id: 's1', dose: { reps: 5 } }).session('s1', 2, { painDuring: 8 });
    const out = orderOf(run(b), 's1');
    expect(out.decision).toBe('hold');
    expect(out.rationale).toMatch(/already the lowest dose/);
  });

  it.each<[string, number, string]>([
    ['fewer than 2 sessions', 1, 'Held: 1 of 2 sessions needed since its last change on 2026-11-10'],
    ['no session yet', 0, 'Held: 0 of 2 sessions needed since its last change on 2026-11-10'],
  ])('holds with %s', (_name, count, rationale) => {
    const b = scenario().painScores(flat(3, 0, 20)).order({ id: 's1', dose: LOADED });
    for (let i = 0; i < count; i++) b.session('s1', 2 + i, ok);
    expect(orderOf(run(b), 's1')).toMatchObject({ decision: 'hold', rationale });
  });

  it('does not count sessions dated before the order was authored', () => {
    const b = scenario().painScores(flat(3, 0, 20)).order({ id: 's1', dose: LOADED, authoredOn: 3 }).session('s1', 4, ok).session('s1', 2, ok);
    expect(orderOf(run(b), 's1').rationale).toMatch(/1 of 2 sessions needed/);
  });

  it('counts a session on the day the order was authored', () => {
    const b = scenario().painScores(flat(3, 0, 20)).order({ id: 's1', dose: LOADED, authoredOn: at(4, '18:00') }).session('s1', 4, ok).session('s1', 2, ok);
    expect(orderOf(run(b), 's1').decision).toBe('progress');
  });

  it('uses the policy stableSessions', () => {
    expect(orderOf(run(strength([ok, ok]), { stableSessions: 3 }), 's1').rationale).toMatch(/2 of 3 sessions needed/);
  });

  it('holds with "no baseline pain on record" when B is unknown, but still regresses on pain', () => {
    const b = scenario().painScores({ 3: 3, 1: 3 }).order({ id: 's1', dose: LOADED }).session('s1', 4, ok).session('s1', 2, ok);
    expect(orderOf(run(b), 's1')).toMatchObject({ decision: 'hold', rationale: 'Held: no baseline pain on record' });
    const hurt = scenario().painScores({ 3: 3 }).order({ id: 's1', dose: LOADED }).session('s1', 2, { painDuring: 8 });
    expect(orderOf(run(hurt), 's1').decision).toBe('regress');
  });

  it('holds at the top of the ladder', () => {
    const b = scenario()
      .painScores(flat(3, 0, 20))
      .order({ id: 's1', dose: { sets: 3, reps: 15 } })
      .session('s1', 4, { painDuring: 2, reps: 15 })
      .session('s1', 2, { painDuring: 2, reps: 15 });
    expect(orderOf(run(b), 's1')).toMatchObject({ decision: 'hold', rationale: expect.stringMatching(/^Held: top of the ladder: choose a harder variant or add load/) as string });
  });
});

describe('each phase judges its own sessions: only those since phase-since count for progress and regress', () => {
  // order s1 authored on day 10; qualifying sessions on day 4 (2026-11-16) and day 2 (2026-11-18) at 17:00
  it.each<[string, Partial<PlanOptions>, string, string]>([
    ['no phase-since: every session since its last change counts', { phaseSince: undefined }, 'progress', 'Progressed: 2 qualifying sessions in a row (2026-11-16, 2026-11-18)'],
    ['phase-since before authoredOn: every session since its last change counts', { phaseSince: 30 }, 'progress', 'Progressed: 2 qualifying sessions in a row (2026-11-16, 2026-11-18)'],
    ['phase-since at the first session: it still counts', { phaseSince: at(4, '17:00') }, 'progress', 'Progressed: 2 qualifying sessions in a row (2026-11-16, 2026-11-18)'],
    ['phase-since a minute after the first session: it no longer counts', { phaseSince: at(4, '17:01') }, 'hold', 'Held: 1 of 2 sessions needed since the phase began on 2026-11-16'],
    ['phase-since today (a same-day re-run after baseline -> build): none counts', { phaseSince: at(0, '08:00') }, 'hold', 'Held: 0 of 2 sessions needed since the phase began on 2026-11-20'],
  ])('%s', (_name, plan, decision, rationale) => {
    const out = orderOf(run(strength([ok, ok]).plan(plan)), 's1');
    expect(out.decision).toBe(decision);
    expect(out.rationale).toMatch(new RegExp(`^${rationale.replace(/[()]/g, '\\$&')}`));
  });

  // a painful session (7/10) on day 4 at 17:00 and a qualifying one on day 2
  it.each<[string, Partial<PlanOptions>, string, RegExp]>([
    ['no phase-since: the painful session regresses', { phaseSince: undefined }, 'regress', /^Regressed: pain during session on 2026-11-16 was 7\/10 > ceiling 5/],
    ['phase-since at the painful session: it still regresses', { phaseSince: at(4, '17:00') }, 'regress', /^Regressed: pain during session on 2026-11-16/],
    ['phase-since a minute after it: the phase before judged it, no regress', { phaseSince: at(4, '17:01') }, 'hold', /^Held: 1 of 2 sessions needed since the phase began on 2026-11-16/],
    ['phase-since today (a same-day re-run after entering build): no regress', { phaseSince: at(0, '08:00') }, 'hold', /^Held: 0 of 2 sessions needed since the phase began on 2026-11-20/],
  ])('regress judges only the sessions of the phase: %s', (_name, plan, decision, rationale) => {
    const out = orderOf(run(strength([{ ...ok, painDuring: 7 }, ok]).plan(plan)), 's1');
    expect(out.decision).toBe(decision);
    expect(out.rationale).toMatch(rationale);
  });
});

describe('week-over-week rise', () => {
  const weekly = (w3: number, w2: number, w1: number) => ({ ...flat(w3, 14, 20), ...flat(w2, 7, 13), ...flat(w1, 0, 6) });
  function withPain(pains: Record<number, number>, referencePain?: number): HistoryBuilder {
    return scenario()
      .plan(referencePain !== undefined ? { referencePain } : {})
      .painScores(pains)
      .order({ id: 's1', dose: LOADED })
      .session('s1', 4, ok)
      .session('s1', 2, ok);
  }

  it('holds when mean daily pain rose at both weekly steps', () => {
    const out = orderOf(run(withPain(weekly(2, 3, 4))), 's1');
    expect(out).toMatchObject({ decision: 'hold' });
    expect(out.rationale).toBe('Held: mean daily pain rose week over week: 2 (days 14-20) -> 3 (days 7-13) -> 4 (days 0-6)');
  });

  it('does not hold when it rose at one step only', () => {
    expect(orderOf(run(withPain({ ...weekly(3, 3, 3), 0: 4, 2: 4, 4: 4, 6: 4 })), 's1').decision).toBe('progress');
  });

  it('needs 3 values in each window', () => {
    const pains = { ...flat(2, 18, 20), ...flat(3, 7, 13), 6: 4, 5: 4 };
    expect(orderOf(run(withPain(pains, 2.5)), 's1').decision).toBe('progress');
    expect(orderOf(run(withPain({ ...pains, 4: 4 }, 2.5)), 's1').decision).toBe('hold');
  });

  it('falls back to morning stiffness when daily pain cannot be compared', () => {
    const b = withPain({}, 3);
    for (let d = 0; d <= 20; d++) b.checkIn(d, { stiffness: d >= 14 ? 2 : d >= 7 ? 3 : 5 });
    expect(orderOf(run(b), 's1').rationale).toMatch(/^Held: mean morning stiffness rose week over week: 2 .* 3 .* 5/);
  });
});

describe('alternating focus', () => {
  function two(domainB: 'strength' | 'mobility', authoredA: number, authoredB: number): HistoryBuilder {
    return scenario()
      .painScores(flat(3, 0, 20))
      .order({ id: 'a', dose: LOADED, authoredOn: authoredA, exercise: 'step-up' })
      .order({ id: 'b', dose: { sets: 2, duration: { value: 30, unit: 's' } }, domain: domainB, authoredOn: authoredB })
      .session('a', 4, ok)
      .session('a', 2, ok)
      .session('b', 4, { painDuring: 2 })
      .session('b', 2, { painDuring: 2 });
  }

  it.each<[string, 'strength' | 'mobility', number, number, string, string]>([
    ['the older last change progresses in a shared domain', 'strength', 12, 10, 'progress', 'hold'],
    ['the other way round', 'strength', 10, 12, 'hold', 'progress'],
    ['one per domain: different domains both progress', 'mobility', 12, 10, 'progress', 'progress'],
  ])('%s', (_name, domainB, a, b, decisionA, decisionB) => {
    const out = run(two(domainB, a, b));
    expect([orderOf(out, 'a').decision, orderOf(out, 'b').decision]).toEqual([decisionA, decisionB]);
  });

  it('names the reason and the order that goes first', () => {
    const out = orderOf(run(two('strength', 12, 10)), 'b');
    expect(out.rationale).toBe('Held: alternating focus: one strength order progresses at a time, and step-up (last change 2026-11-08) goes first');
    expect(out.newDose).toBeUndefined();
  });

  it('breaks a tie of last changes by order id', () => {
    const out = run(two('strength', 10, 10));
    expect([orderOf(out, 'a').decision, orderOf(out, 'b').decision]).toEqual(['progress', 'hold']);
  });
});

describe('alternating focus across runs: a same-domain order that progressed in the last 7 days', () => {
  /** Order a (strength, 2 qualifying sessions) and sibling p, whose last change (p0 -> p) was on `day`. */
  function withSibling(day: number, from: Dose, to: Dose, domain: 'strength' | 'mobility' = 'strength'): HistoryBuilder {
    return scenario()
      .painScores(flat(3, 0, 20))
      .order({ id: 'a', dose: LOADED, authoredOn: 10, exercise: 'step-up' })
      .session('a', 4, ok)
      .session('a', 2, ok)
      .order({ id: 'p0', dose: from, domain, authoredOn: 30, status: 'completed' })
      .order({ id: 'p', dose: to, domain, authoredOn: day, replaces: 'p0', exercise: 'sit-to-stand' });
  }
  const before: Dose = { sets: 2, reps: 10, step: 2 };

  it.each<[string, number, Dose, Dose, 'strength' | 'mobility', string]>([
    ['progressed 6 days ago: holds', 6, before, { ...before, reps: 12, step: 3 }, 'strength', 'hold'],
    ['progressed 7 days ago: progresses', 7, before, { ...before, reps: 12, step: 3 }, 'strength', 'progress'],
    ['progressed today: holds (a same-day re-run)', 0, before, { ...before, reps: 12, step: 3 }, 'strength', 'hold'],
    ['regressed 2 days ago: progresses', 2, before, { ...before, reps: 8, step: 1 }, 'strength', 'progress'],
    ['resumed at a higher dose with the same step 2 days ago: progresses', 2, before, { ...before, sets: 3 }, 'strength', 'progress'],
    ['without steps, raised its dose 2 days ago: holds', 2, { sets: 2, reps: 10 }, { sets: 2, reps: 12 }, 'strength', 'hold'],
    ['without steps, lowered its dose 2 days ago: progresses', 2, { sets: 2, reps: 10 }, { sets: 2, reps: 8 }, 'strength', 'progress'],
    ['another domain progressed 2 days ago: progresses', 2, before, { ...before, reps: 12, step: 3 }, 'mobility', 'progress'],
  ])('sibling %s', (_name, day, from, to, domain, decision) => {
    expect(orderOf(run(withSibling(day, from, to, domain)), 'a').decision).toBe(decision);
  });

  it.each<[string, number, string]>([
    ['progressed 4 days ago and regressed today: still holds (its progress is within the last 7 days)', 4, 'hold'],
    ['progressed 7 days ago and regressed today: progresses', 7, 'progress'],
  ])('sibling %s', (_name, day, decision) => {
    const b = scenario()
      .painScores(flat(3, 0, 20))
      .order({ id: 'a', dose: LOADED, authoredOn: 10, exercise: 'step-up' })
      .session('a', 4, ok)
      .session('a', 2, ok)
      .order({ id: 'p0', dose: before, authoredOn: 30, status: 'completed', inPlan: false })
      .order({ id: 'p1', dose: { ...before, reps: 12, step: 3 }, authoredOn: day, status: 'completed', inPlan: false, replaces: 'p0' })
      .order({ id: 'p', dose: before, authoredOn: 0, replaces: 'p1', exercise: 'sit-to-stand' });
    const out = orderOf(run(b), 'a');
    expect(out.decision).toBe(decision);
    if (decision === 'hold') expect(out.rationale).toMatch(/sit-to-stand progressed on 2026-11-16 \(within the last 7 days\)/);
  });

  it('names the sibling and when it progressed', () => {
    const out = orderOf(run(withSibling(3, before, { ...before, reps: 12, step: 3 })), 'a');
    expect(out.rationale).toBe('Held: alternating focus: one strength order progresses at a time, and sit-to-stand progressed on 2026-11-17 (within the last 7 days)');
    expect(out.newDose).toBeUndefined();
  });
});
