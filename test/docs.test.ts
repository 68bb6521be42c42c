/**
 * The project explains its own rules. docs/clinical-rules.md documents every rule id the engine emits:
 * - every decision code (`Evaluation.decision`, the Provenance `reason`), under a heading "Decision `<code>`";
 * - every phase the plan can be in or move to, under a heading "Phase `<phase>`";
 * - every rationale opening (the rule name a rationale starts with: "Flare protocol:", "Held:", ...), in the
 *   section of each decision it is written with;
 * - the plan rules, numbered in the order the engine checks them (PLAN_RULES).
 * Rationale openings are read from the rules' source (every `sentence('<opening>', ...)`) and, with their
 * decisions, from running progress() on the demo patients, as they are and moved into every phase.
 * The documents' links and the code's citations of their sections resolve, and no file of the repository
 * refers to a path outside it (the team's own notes, a home folder, the machine's work folder).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Bundle, CarePlan, Extension, Resource } from 'fhir/r4';
import { DECISIONS, EXT, PHASES, type Phase } from '../src/fhir/codes';
import { progress } from '../src/progression/progress';
import { PLAN_RULES } from '../src/progression/rules/plan-rules';

const ROOT = resolve(__dirname, '..');
const RULES_DOC = 'docs/clinical-rules.md';
const GUIDE = 'implementation-guide.md';
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

// ---- Markdown: headings, their GitHub anchors, sections ----

interface Heading {
  level: number;
  /** The heading's text with inline code and links reduced to their words. */
  text: string;
  anchor: string;
  line: number;
}

/** Inline Markdown reduced to its words: `code` -> code, [words](url) -> words. */
function plain(markdown: string): string {
  return markdown.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`/g, '').trim();
}

/** GitHub's heading anchor: lower case, punctuation dropped (hyphens and underscores kept), spaces to hyphens. */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The headings of a Markdown text (outside code fences), with GitHub's anchors (-1, -2 for repeats). */
function headings(markdown: string): Heading[] {
  const out: Heading[] = [];
  const seen = new Map<string, number>();
  let fenced = false;
  markdown.split('\n').forEach((line, i) => {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m?.[1] || m[2] === undefined) return;
    const text = plain(m[2]);
    const base = slug(text);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.push({ level: m[1].length, text, anchor: n === 0 ? base : `${base}-${n}`, line: i });
  });
  return out;
}

/** Every anchor a link may point at: the headings' and explicit `<a id>` / `<a name>` ones. */
function anchors(markdown: string): Set<string> {
  const explicit = [...markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)].map((m) => m[1] ?? '');
  return new Set([...headings(markdown).map((h) => h.anchor), ...explicit]);
}

/** The text under a heading, up to the next heading of the same or a higher level; undefined when absent. */
function section(markdown: string, anchor: string): string | undefined {
  const all = headings(markdown);
  const at = all.findIndex((h) => h.anchor === anchor);
  const head = all[at];
  if (!head) return undefined;
  const next = all.slice(at + 1).find((h) => h.level <= head.level);
  return markdown.split('\n').slice(head.line, next?.line).join('\n');
}

// ---- What the engine emits ----

/** The rule name a rationale opens with ("Flare protocol" of "Flare protocol: daily pain ..."). */
function opening(rationale: string): string {
  return rationale.split(':')[0] ?? rationale;
}

/** Every rationale opening the rules can write: the string literals of each `sentence(<opening>, ...)` call. */
function openingsInSource(): Set<string> {
  const dir = join(ROOT, 'src/progression/rules');
  const out = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const call of text.matchAll(/\bsentence\(([^,]*),/g)) {
      for (const literal of (call[1] ?? '').matchAll(/'([^']+)'/g)) out.add(literal[1] ?? '');
    }
  }
  return out;
}

interface Emitted {
  decision: string;
  opening: string;
  /** Which run emitted it first, for failure messages. */
  where: string;
}

const isPlan = (resource: Resource | undefined): resource is CarePlan => resource?.resourceType === 'CarePlan';

/** A copy of a demo Bundle whose plan is in `phase`, entered `daysAgo` days before the Bundle's timestamp. */
function inPhase(bundle: Bundle, phase: Phase, daysAgo: number): Bundle {
  const copy = structuredClone(bundle);
  const now = copy.timestamp ?? '';
  const since = new Date(Date.parse(now) - daysAgo * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (const entry of copy.entry ?? []) {
    const plan = entry.resource;
    if (!isPlan(plan)) continue;
    const others = (plan.extension ?? []).filter((e) => e.url !== EXT.progressionPhase && e.url !== EXT.phaseSince);
    const set: Extension[] = [
      { url: EXT.progressionPhase, valueCode: phase },
      { url: EXT.phaseSince, valueDateTime: since },
    ];
    plan.extension = [...set, ...others];
  }
  return copy;
}

/**
 * The decisions and rationale openings progress() emits on the demo patients at their timestamp, as they
 * are and moved into every phase (entered 3 and 8 days earlier: before and after the 7 days of a deload or
 * a flare), for the plan and every order.
 */
function emittedOnDemoPatients(): { emitted: Emitted[]; decisions: Set<string>; runs: number } {
  const dir = join(ROOT, 'fixtures/demo');
  const emitted = new Map<string, Emitted>();
  const decisions = new Set<string>();
  let runs = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const bundle = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Bundle;
    const now = bundle.timestamp ?? '';
    const variants: [string, Bundle][] = [[file, bundle]];
    for (const phase of PHASES) {
      for (const days of [3, 8]) variants.push([`${file} in phase ${phase} since ${days} days`, inPhase(bundle, phase, days)]);
    }
    for (const [where, input] of variants) {
      const result = progress(input, { now });
      runs += 1;
      const decided = [
        ...(result.plan.decision !== undefined ? [{ decision: result.plan.decision, rationale: result.plan.rationale }] : []),
        ...result.orders.map((o) => ({ decision: o.decision, rationale: o.rationale })),
      ];
      for (const { decision, rationale } of decided) {
        decisions.add(decision);
        if (rationale === undefined) continue;
        const key = `${decision}|${opening(rationale)}`;
        if (!emitted.has(key)) emitted.set(key, { decision, opening: opening(rationale), where });
      }
    }
  }
  return { emitted: [...emitted.values()], decisions, runs };
}

const doc = read(RULES_DOC);
const decisionsSection = section(doc, 'decisions') ?? '';
const onDemo = emittedOnDemoPatients();

describe('docs/clinical-rules.md documents every rule id the engine emits', () => {
  it.each([...DECISIONS])('documents the decision %s under a heading of its own', (code) => {
    const text = section(doc, `decision-${code}`);
    expect({ code, heading: text?.split('\n')[0] }).toEqual({ code, heading: `### Decision \`${code}\`` });
  });

  it.each([...PHASES])('documents the phase %s under a heading of its own', (phase) => {
    const text = section(doc, `phase-${phase}`);
    expect({ phase, heading: text?.split('\n')[0] }).toEqual({ phase, heading: `### Phase \`${phase}\`` });
  });

  it('documents every rationale opening the rules can write, in the decisions section', () => {
    const undocumented = [...openingsInSource()].filter((o) => !decisionsSection.includes(`\`${o}:\``));
    expect(undocumented).toEqual([]);
  });

  it('documents each rationale opening the demo patients get under the decision it comes with', () => {
    const misplaced = onDemo.emitted
      .filter(({ decision, opening: o }) => !(section(doc, `decision-${decision}`) ?? '').includes(`\`${o}:\``))
      .map(({ decision, opening: o, where }) => `"${o}:" with decision ${decision} (${where})`);
    expect(misplaced).toEqual([]);
  });

  it('reads from the rules every rationale opening the engine emits, so the source list above is complete', () => {
    const known = openingsInSource();
    const unknown = onDemo.emitted.filter((e) => !known.has(e.opening)).map((e) => `"${e.opening}" (${e.where})`);
    expect(unknown).toEqual([]);
  });

  it('exercises every decision code on the demo patients in every phase', () => {
    expect(onDemo.runs).toBeGreaterThan(100);
    expect([...onDemo.decisions].sort()).toEqual([...DECISIONS].sort());
  });

  it('numbers the plan rules in the order the engine checks them, each named after its rule', () => {
    const planRules = section(doc, 'plan-level-rules') ?? '';
    const documented = headings(planRules)
      .filter((h) => h.level === 3)
      .map((h) => /^Plan rule (\d+): (.+)$/.exec(h.text))
      .map((m) => ({
        number: Number(m?.[1]),
        // "during a flare" -> duringFlareRule: the words, articles left out, in camel case.
        rule: `${(m?.[2] ?? '')
          .split(/\s+/)
          .filter((w) => w !== 'a' && w !== 'the')
          .map((w, i) => (i === 0 ? w : `${w.charAt(0).toUpperCase()}${w.slice(1)}`))
          .join('')}Rule`,
      }));
    expect(documented).toEqual(PLAN_RULES.map((rule, i) => ({ number: i + 1, rule: rule.name })));
  });
});

// ---- Links and citations ----

/** Markdown documents of the project. */
function markdownDocuments(): string[] {
  const docs = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
  return ['README.md', GUIDE, ...docs];
}

describe('the documentation links resolve', () => {
  it('links docs/clinical-rules.md from the README and the implementation guide', () => {
    expect(read('README.md')).toMatch(/\]\(docs\/clinical-rules\.md\)/);
    expect(read(GUIDE)).toMatch(/\]\(docs\/clinical-rules\.md[)#]/);
  });

  it('resolves every relative link of the Markdown documents to a file, and heading, inside the repository', () => {
    const broken: string[] = [];
    for (const file of markdownDocuments()) {
      const text = read(file);
      text.split('\n').forEach((line, i) => {
        for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
          const link = m[1] ?? '';
          if (/^[a-z][a-z+.-]*:/i.test(link)) continue;
          const [path = '', anchor] = link.split('#');
          const target = path === '' ? file : relative(ROOT, resolve(ROOT, dirname(file), path));
          const where = `${file}:${i + 1}: ${link}`;
          if (target.startsWith('..')) broken.push(`${where} (outside the repository)`);
          else if (!existsSync(join(ROOT, target))) broken.push(`${where} (no such file)`);
          else if (anchor && target.endsWith('.md') && !anchors(read(target)).has(anchor)) broken.push(`${where} (no such heading)`);
        }
      });
    }
    expect(broken).toEqual([]);
  });

  it('cites only sections that exist when a comment names a section of the rules, the guide or the README', () => {
    const sources = projectFiles().filter((f) => /\.(ts|mjs|cjs|js|fsh|ya?ml|xml)$/.test(f));
    const titles = new Map(
      [RULES_DOC, GUIDE, 'README.md'].map((d) => [d, headings(read(d)).map((h) => h.text.toLowerCase())] as const),
    );
    const missing: string[] = [];
    for (const file of sources) {
      // Comment lines joined, their leaders (` * `, `//`, `#`) dropped, so a quoted title may wrap.
      const lines = read(file).split('\n');
      const joined = lines.map((l) => l.replace(/^\s*(?:\/\*\*|\*(?!\/)|\/\/|#)?\s?/, '')).join(' ');
      for (const m of joined.matchAll(/(docs\/clinical-rules\.md|implementation-guide\.md|README\.md)((?:[\s,;]*(?:and\s+)?"[^"]{1,120}")+)/g)) {
        const doc = m[1] ?? '';
        for (const quoted of (m[2] ?? '').matchAll(/"([^"]+)"/g)) {
          const title = plain(quoted[1] ?? '').toLowerCase();
          if (!(titles.get(doc) ?? []).some((t) => t.startsWith(title))) missing.push(`${file}: ${doc} "${quoted[1] ?? ''}"`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

// ---- Paths outside the repository ----

/** The repository's files, tracked or new (not ignored); a folder walk when git is not at hand. */
function projectFiles(): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' });
    return [...new Set(out.split('\0').filter((f) => f !== ''))].filter((f) => existsSync(join(ROOT, f)) && statSync(join(ROOT, f)).isFile());
  } catch {
    const walk = (dir: string): string[] =>
      readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
        const path = dir === '' ? e.name : `${dir}/${e.name}`;
        if (e.isDirectory()) return ['node_modules', 'dist', 'coverage', '.git', '.fhir-cache'].includes(e.name) ? [] : walk(path);
        return e.isFile() ? [path] : [];
      });
    return walk('');
  }
}

/**
 * Absolute paths of one machine or one person: the work folder, home folders, file URLs, Windows user folders.
 * (A tool's own cache in the user's home, such as Maven's `~/.m2`, is not a file of ours and is not flagged.)
 */
const MACHINE_PATHS: readonly RegExp[] = [
  /(?<![\w.~/-])\/(?:work|home|Users|root|mnt)\/[\w./-]+/,
  /file:\/\/\/?(?:work|home|Users|root|mnt)\//,
  /\b[A-Za-z]:[\\/](?:Users|Documents and Settings)[\\/]/,
];

/** The ways `line` of `file` refers to a path outside the repository. */
function outsidePaths(file: string, line: string): string[] {
  const found: string[] = [];
  // A relative path that climbs above the repository from the file's own folder (the team's shared notes).
  for (const m of line.matchAll(/(?<![\w./-])(?:\.\.\/)+[\w.@-]*/g)) {
    if (relative(ROOT, resolve(ROOT, dirname(file), m[0])).startsWith('..')) found.push(m[0]);
  }
  for (const pattern of MACHINE_PATHS) {
    const m = pattern.exec(line);
    if (m) found.push(m[0]);
  }
  return found;
}

describe('no file refers to a path outside the repository', () => {
  const files = projectFiles();

  it('scans the sources, tests, scripts, benchmarks, examples, FSH and documents', () => {
    for (const root of ['src/', 'test/', 'scripts/', 'bench/', 'examples/', 'profiles/input/', 'docs/']) {
      expect({ root, scanned: files.some((f) => f.startsWith(root)) }).toEqual({ root, scanned: true });
    }
    expect(files).toEqual(expect.arrayContaining(['README.md', GUIDE, RULES_DOC, 'test/docs.test.ts']));
  });

  it('keeps every file free of paths to outside the repository, naming each offending file:line', () => {
    const offending: string[] = [];
    for (const file of files) {
      const bytes = readFileSync(join(ROOT, file));
      if (bytes.includes(0)) continue;
      bytes
        .toString('utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const path of outsidePaths(file, line)) offending.push(`${file}:${i + 1}: ${path}  <- ${line.trim().slice(0, 140)}`);
        });
    }
    expect(offending).toEqual([]);
  });
});
