import { CS } from '../../fhir/codes';
import { catalogueDisplays, exerciseDisplay } from './exercise-catalogue';
import { progress } from '../progress';
import { NOW, scenario, flat, type SessionOptions } from '../../../test/support/builder';
import { orderOf, run } from '../../../test/support/evaluate';

describe('exercise catalogue displays', () => {
  it.each<[string, string | undefined, string | undefined, string | undefined]>([
    ['a catalogue code', CS.exercise, 'sit-to-stand', 'Sit-to-stand'],
    ['another catalogue code', CS.exercise, 'wall-push-up', 'Wall push-up'],
    ['a code the catalogue does not have', CS.exercise, 'handstand', undefined],
    ['the same code from another system', 'http://snomed.info/sct', 'sit-to-stand', undefined],
    ['no code', CS.exercise, undefined, undefined],
  ])('%s', (_name, system, code, display) => {
    expect(exerciseDisplay(system, code)).toBe(display);
  });

  it('reads nested concepts and skips malformed ones', () => {
    const cs = { resourceType: 'CodeSystem', concept: [null, { code: 'a', display: 'A', concept: [{ code: 'b', display: 'B' }] }, { code: 'c', display: 42 }] };
    expect([...catalogueDisplays(cs)]).toEqual([
      ['a', 'A'],
      ['b', 'B'],
    ]);
    expect(catalogueDisplays('not a CodeSystem').size).toBe(0);
  });
});

describe('exercise names in decisions', () => {
  const ok: SessionOptions = { painDuring: 3, painAfter: 3, sets: 3, reps: 10, load: 5 };
  const dose = { sets: 3, reps: 10, load: 5, step: 2 };

  it.each<[string, { display?: string | null; text?: string }, string]>([
    ['a coding without display: the catalogue display', { display: null }, 'Sit-to-stand'],
    ['a coding with its own display: that display', { display: 'Chair stands' }, 'Chair stands'],
    ['no display but code.text: the text', { display: null, text: 'Sit to stand, low chair' }, 'Sit to stand, low chair'],
  ])('%s', (_name, naming, exercise) => {
    const bundle = scenario().order({ id: 's1', dose, exercise: 'sit-to-stand', ...naming }).build();
    expect(progress(bundle, { now: NOW }).orders[0]?.exercise).toBe(exercise);
  });

  it('names the exercise that goes first in an alternating-focus hold', () => {
    const b = scenario()
      .painScores(flat(3, 0, 20))
      .order({ id: 'a', dose, authoredOn: 12, exercise: 'sit-to-stand', display: null })
      .order({ id: 'b', dose, authoredOn: 10, exercise: 'step-up', display: null })
      .session('a', 4, ok)
      .session('a', 2, ok)
      .session('b', 4, ok)
      .session('b', 2, ok);
    expect(orderOf(run(b), 'b').rationale).toBe('Held: alternating focus: one strength order progresses at a time, and Sit-to-stand (last change 2026-11-08) goes first');
  });
});
