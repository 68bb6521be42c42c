/**
 * Clinical-rules audit, plan rule 1 (red flag) and phase referred: each case is worked out by hand from a
 * sentence of docs/clinical-rules.md (cited in its `rule`), not from the engine's code, and runs through the whole
 * engine.
 * See: docs/clinical-rules.md "How rules combine", "Plan-level rules" 1; implementation-guide.md
 * "Extensions to the contract".
 */
import type { CarePlan } from 'fhir/r4';
import { readPhase } from '../support/dose-ext';
import { parts } from '../support/inspect';
import { auditCases, decisionOf, expectOrder, patient, phaseOf, planWritten, SQ, SQ_DONE, WALK, type Case } from './helpers';
const redFlag: Case[] = [
  {
    name: 'refers on a red flag 13 days ago and puts every current order on hold without new orders',
    rule: 'Plan 1: any gradus-symptom-alert with value true in days 0-13 -> refer: phase referred, every current order set on-hold',
    bundle: () => patient().order(SQ).order(WALK).sessions('sq', [5, 2], SQ_DONE).alert(13, 'chest-pain').build(),
    check: (r) => {
      expect(phaseOf(r)).toEqual(['build', 'referred', 'refer']);
      for (const id of ['sq', 'walk']) expectOrder(r, id, 'refer');
      const p = parts(r.transaction);
      expect(p.postedOrders).toHaveLength(0);
      expect(p.putOrders.map((e) => [e.resource?.id, e.resource?.status]).sort()).toEqual([['sq', 'on-hold'], ['walk', 'on-hold']]);
      expect(planWritten(r) && readPhase(planWritten(r) as CarePlan)).toBe('referred');
    },
  },
  {
    name: 'ignores a red flag 14 days ago',
    rule: 'Plan 1: ... in days 0-13',
    bundle: () => patient().order(SQ).sessions('sq', [5, 2], SQ_DONE).alert(14, 'chest-pain').build(),
    check: (r) => expect(expectOrder(r, 'sq', 'progress').decision).toBe('progress'),
  },
  {
    name: 'ignores a symptom alert whose value is false',
    rule: 'Plan 1: ... with value true',
    bundle: () => patient().order(SQ).sessions('sq', [5, 2], SQ_DONE).alert(0, 'syncope-or-dizziness', false).build(),
    check: (r) => expect(r.plan.phaseTo).toBe('build'),
  },
  {
    name: 'refers rather than entering a flare when both fire (red flag first)',
    rule: 'How rules combine: plan-level rules are checked in order; the first that fires decides',
    bundle: () => patient({ pain: (d) => (d <= 1 ? 6 : 2) }).order(SQ).alert(3, 'fever').build(),
    check: (r) => expect(phaseOf(r)).toEqual(['build', 'referred', 'refer']),
  },
  {
    name: 'refers from a flare on a red flag',
    rule: 'Plan 1 applies in every phase but referred',
    bundle: () =>
      patient({ phase: 'flare', phaseSince: 2, flareSince: 2, referencePain: 2 }).order({ ...SQ, authoredOn: 2 }).alert(1, 'new-trauma').build(),
    check: (r) => expect(phaseOf(r)).toEqual(['flare', 'referred', 'refer']),
  },
  {
    name: 'changes nothing and writes nothing in phase referred, even with a red flag and a flare',
    rule: 'How rules combine: in phase referred the engine changes nothing and writes nothing; it never leaves referred by itself',
    bundle: () => patient({ phase: 'referred', phaseSince: 3, pain: (d) => (d <= 1 ? 7 : 2) }).order(SQ).alert(0, 'chest-pain').build(),
    check: (r) => {
      expect(r.plan.phaseTo).toBe('referred');
      expect(r.transaction.entry ?? []).toHaveLength(0);
      expect(decisionOf(r, 'sq').to).toEqual(decisionOf(r, 'sq').from);
    },
  },
];

auditCases('plan rule 1: red flag, and phase referred', redFlag);
