import type { Dose } from '../types';
import { flat, scenario, type HistoryBuilder, type SessionOptions } from '../../../test/support/builder';
import { orderOf, run } from '../../../test/support/evaluate';

const PRE: Dose = { sets: 3, reps: 10, load: 10, step: 4 };

interface Spec {
  current?: Dose;
  authoredDay?: number;
  sessions?: [number, SessionOptions][];
  flareSinceDay?: number | null;
  referencePain?: number;
}

/** Phase return-to-load: pre-flare 10 kg (day 30) -> flare 5 kg (day 16) -> current (default 7.5 kg, day 10). */
function rtl({ current = { ...PRE, load: 7.5 }, authoredDay = 10, sessions = [[8, {}], [5, {}]], flareSinceDay = 16, referencePain = 3 }: Spec = {}): HistoryBuilder {
  const b = scenario()
    .plan({ phase: 'return-to-load', phaseSince: 10, referencePain, ...(flareSinceDay !== null ? { flareSince: flareSinceDay } : {}) })
    .painScores(flat(3, 0, 9))
    .order({ id: 'pre', dose: PRE, authoredOn: 30, status: 'completed', inPlan: false })
    .order({ id: 'flare', dose: { ...PRE, load: 5 }, authoredOn: 16, status: 'completed', inPlan: false, replaces: 'pre' })
    .order({ id: 'str', dose: current, authoredOn: authoredDay, replaces: 'flare' })
    .order({ id: 'mob', domain: 'mobility', dose: { duration: { value: 30, unit: 's' } }, authoredOn: 40 });
  for (const [day, spec] of sessions) b.session('str', day, { painDuring: 2, reps: 10, ...spec });
  return b;
}

describe('rule 4: return-to-load', () => {
  it.each<[string, Spec, string, RegExp]>([
    ['7 days after the last step with qualifying sessions steps up', { authoredDay: 7, sessions: [[5, {}], [2, {}]] }, 'return-to-load', /^Return to load: last step on 2026-11-13 \(7 days ago\) and all 2 sessions since qualify; load 7.5 kg -> 8.5 kg \(\+10% of the pre-flare 10 kg\)$/],
    ['6 days after the last step holds', { authoredDay: 6, sessions: [[5, {}], [2, {}]] }, 'hold', /^Held: last step on 2026-11-14, 6 days ago \(steps every 7 days\)$/],
    ['no session since the last step holds', { sessions: [] }, 'hold', /^Held: no session since the last step on 2026-11-10$/],
    ['one session that does not qualify holds (no regress here)', { sessions: [[8, {}], [5, { painDuring: 7 }]] }, 'hold', /^Held: session on 2026-11-15 does not qualify \(pain during 7\/10 > ceiling 5\)$/],
    ['one qualifying session is enough', { sessions: [[5, {}]] }, 'return-to-load', /all 1 sessions since qualify/],
  ])('%s', (_name, spec, decision, rationale) => {
    const out = orderOf(run(rtl(spec)), 'str');
    expect(out.decision).toBe(decision);
    expect(out.rationale).toMatch(rationale);
  });

  it('caps the step at the pre-flare dose and returns to build when every order is back', () => {
    const out = run(rtl({ current: { ...PRE, load: 9.5 } }));
    expect(orderOf(out, 'str')).toMatchObject({ decision: 'return-to-load', newDose: { load: 10 } });
    expect(orderOf(out, 'str').rationale).toMatch(/load 9.5 kg -> 10 kg \(\+10% of the pre-flare 10 kg, capped at the pre-flare 10 kg\)/);
    expect(orderOf(out, 'mob')).toMatchObject({ decision: 'hold', rationale: 'Held: back at the pre-flare dose (30 s hold)' });
    expect(out.plan).toMatchObject({ phaseFrom: 'return-to-load', phaseTo: 'build', decision: 'return-to-load', referencePain: null, flareSince: null });
  });

  it('stays in return-to-load while an order is still below its pre-flare dose', () => {
    const out = run(rtl());
    expect(out.plan).toEqual({ phaseFrom: 'return-to-load', phaseTo: 'return-to-load', decision: 'return-to-load' });
    expect(orderOf(out, 'str').newDose).toEqual({ ...PRE, load: 8.5 });
  });

  it('finds the flare start from the replaces chain when flare-since is absent', () => {
    const out = run(rtl({ flareSinceDay: null }));
    expect(orderOf(out, 'str').newDose?.load).toBe(8.5);
  });

  it('holds with no baseline pain on record', () => {
    const b = scenario()
      .plan({ phase: 'return-to-load', phaseSince: 10, flareSince: 16 })
      .order({ id: 'str', dose: PRE, authoredOn: 10 });
    expect(orderOf(run(b), 'str')).toMatchObject({ decision: 'hold', rationale: 'Held: no baseline pain on record' });
  });
});
