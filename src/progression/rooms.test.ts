/**
 * The engine's rooms follow its flow: dose/ (the vocabulary and arithmetic everyone uses), read/
 * (Bundle -> evidence), rules/ (evidence -> decisions), write/ (decisions -> FHIR). A room imports only
 * rooms before it, and only through their index.ts; progress.ts wires them through the indexes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const ROOMS = ['dose', 'read', 'rules', 'write'] as const;
const HERE = __dirname;

/** Non-test source files of the engine, relative to src/progression. */
function sources(): string[] {
  const top = readdirSync(HERE).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const inRooms = ROOMS.flatMap((room) => readdirSync(join(HERE, room)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => `${room}/${f}`));
  return [...top, ...inRooms];
}

/** The engine-internal targets a file imports, as paths relative to src/progression (`read/days`, `types`). */
function imports(file: string): string[] {
  const text = readFileSync(join(HERE, file), 'utf8');
  return [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)]
    .map((m) => relative(HERE, normalize(join(HERE, dirname(file), m[1] ?? ''))))
    .filter((target) => !target.startsWith('..'));
}

const roomOf = (path: string): (typeof ROOMS)[number] | undefined => ROOMS.find((room) => path === room || path.startsWith(`${room}/`));

describe('the rooms of the engine', () => {
  it.each(sources())('%s imports only earlier rooms, through their index', (file) => {
    const from = roomOf(file);
    for (const target of imports(file)) {
      const to = roomOf(target);
      if (to === undefined || to === from) continue;
      expect({ file, target, through: target }).toEqual({ file, target, through: to });
      if (from !== undefined) expect({ file, target, forward: ROOMS.indexOf(to) < ROOMS.indexOf(from) }).toEqual({ file, target, forward: true });
    }
  });

  it.each(ROOMS)('%s/ opens with a comment saying what enters and what leaves, in its index.ts', (room) => {
    const index = readFileSync(join(HERE, room, 'index.ts'), 'utf8');
    expect(index.startsWith('/**')).toBe(true);
    expect(index).toMatch(/\bin\b[\s\S]*\bout\b/i);
  });

  it('keeps the types every room shares at the root, importing no room', () => {
    expect(imports('types.ts').filter((t) => roomOf(t) !== undefined)).toEqual([]);
  });
});
