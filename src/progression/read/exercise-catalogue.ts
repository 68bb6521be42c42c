/**
 * The displays of the Gradus exercise catalogue (CodeSystem `exercise`), so that rationales and summaries
 * name an exercise "Sit-to-stand" when an order's coding carries only the code. The generated CodeSystem is
 * read once, on first use, and only read after that; a missing or unreadable file leaves codes as
 * they are, since a display never changes a decision.
 * See: implementation-guide.md "Terminology" (`exercise`); profiles/fsh-generated/resources/CodeSystem-exercise.json
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CS } from '../../fhir/codes';
import { asString, field, records } from './json';

/** The generated CodeSystem (same depth from src/ and dist/). */
export const EXERCISE_CODE_SYSTEM_FILE = resolve(__dirname, '../../../profiles/fsh-generated/resources/CodeSystem-exercise.json');

/** Code -> display of every concept, nested concepts included. */
export function catalogueDisplays(codeSystem: unknown): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  const visit = (concepts: unknown): void => {
    for (const { item } of records(concepts)) {
      const code = asString(item.code);
      const display = asString(item.display);
      if (code !== undefined && display !== undefined && !out.has(code)) out.set(code, display);
      visit(item.concept);
    }
  };
  visit(field(codeSystem, 'concept'));
  return out;
}

let loaded: ReadonlyMap<string, string> | undefined;

function displays(): ReadonlyMap<string, string> {
  if (!loaded) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(EXERCISE_CODE_SYSTEM_FILE, 'utf8'));
    } catch {
      parsed = undefined;
    }
    loaded = catalogueDisplays(parsed);
  }
  return loaded;
}

/** The catalogue's display of an exercise coding, when it is one of ours and the catalogue has it. */
export function exerciseDisplay(system: string | undefined, code: string | undefined): string | undefined {
  if (system !== CS.exercise || code === undefined) return undefined;
  return displays().get(code);
}
