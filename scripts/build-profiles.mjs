/**
 * Compiles the FSH in profiles/ with SUSHI (offline, snapshots on) and writes the generated
 * StructureDefinitions, CodeSystems and ValueSets to `<outDir>/resources/*.json`.
 * Usage: node scripts/build-profiles.mjs [outDir]   (default: profiles/fsh-generated)
 * Quiet on success; SUSHI's errors (and any unexpected warning) on stderr; exit 1 on failure.
 * See: https://fshschool.org/docs/sushi/running/
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildFhirCache } from './build-fhir-cache.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PROJECT = join(REPO, 'profiles');
const SUSHI = join(REPO, 'node_modules', '.bin', 'sushi');

/** Warnings SUSHI gives offline for the packages it always tries to load; nothing we depend on. */
const HARMLESS_WARNINGS = [/Failed to load automatically-provided hl7\.(fhir\.uv\.tools|terminology|fhir\.uv\.extensions)\.r4#latest/];

/** Strips ANSI colours and SUSHI's box drawing so messages read as plain lines. */
const plain = (text) => text.replace(/\u001b\[[0-9;]*m/g, '');

/** Groups SUSHI's log into messages: each starts with "error" / "warn" / "info" and runs to the next. */
function messages(log) {
  const found = [];
  for (const line of plain(log).split('\n')) {
    const start = /^(error|warn|info)\s+(.*)$/.exec(line.trim());
    if (start) found.push({ level: start[1], text: start[2] ?? '' });
    else if (found.length > 0 && line.trim() !== '' && !/^[║╔╚═╗╝╠╣\s|]+$/.test(line)) {
      found[found.length - 1].text += `\n  ${line.trim()}`;
    }
  }
  return found;
}

/**
 * Runs SUSHI on profiles/ into a temporary folder, then replaces `<outDir>/resources` with the result.
 * Returns the SUSHI warnings not known to be harmless; throws an Error carrying SUSHI's errors.
 */
export function buildProfiles({ outDir = join(PROJECT, 'fsh-generated') } = {}) {
  const home = buildFhirCache();
  const work = mkdtempSync(join(tmpdir(), 'gradus-sushi-'));
  try {
    const run = spawnSync(SUSHI, ['build', PROJECT, '--snapshot', '--out', work], {
      env: { ...process.env, HOME: home, USERPROFILE: home },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const log = `${run.stdout ?? ''}\n${run.stderr ?? ''}`;
    const found = messages(log);
    const errors = found.filter((m) => m.level === 'error');
    const generated = join(work, 'fsh-generated', 'resources');
    if (run.error || run.status !== 0 || errors.length > 0 || !existsSync(generated)) {
      const detail = errors.map((m) => `error ${m.text}`).join('\n') || plain(log).trim() || String(run.error);
      throw new Error(`SUSHI failed (exit ${run.status ?? 'none'}):\n${detail}`);
    }
    const target = join(resolve(outDir), 'resources');
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
    for (const file of readdirSync(generated).filter((f) => f.endsWith('.json'))) {
      cpSync(join(generated, file), join(target, file));
    }
    return found.filter((m) => m.level === 'warn' && !HARMLESS_WARNINGS.some((re) => re.test(m.text)));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const warnings = buildProfiles(process.argv[2] ? { outDir: process.argv[2] } : {});
    for (const w of warnings) process.stderr.write(`warn ${w.text}\n`);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
