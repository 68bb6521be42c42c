/**
 * `gradus validate <file|dir>...`: validates each FHIR JSON file against its declared profiles
 * (meta.profile) and the base definitions. One line per issue; exit 0 clean, 1 when any error,
 * 2 when a file cannot be read as a FHIR resource. `--json` prints one OperationOutcome per file.
 */
import type { OperationOutcome } from 'fhir/r4';
import { isErrorIssue } from '../fhir/outcome';
import { parseArgs } from 'node:util';
import { defaultValidator } from '../validation';
import { expandPaths, InputError, readResourceFile } from './read-json';

interface FileVerdict {
  file: string;
  outcome?: OperationOutcome;
  unreadable?: string;
}

export async function validateCommand(args: string[]): Promise<number> {
  const { values, positionals: paths } = parseCliArgs(args);
  const { json = false, profile } = values;
  if (paths.length === 0) throw new InputError('usage: gradus validate <file|dir>... [--profile <url>] [--json]');

  const files = await expandPaths(paths);
  if (files.length === 0) throw new InputError(`no .json files found in ${paths.join(', ')}`);
  const verdicts: FileVerdict[] = [];
  for (const file of files) {
    try {
      const resource = await readResourceFile(file);
      const validator = defaultValidator();
      if (!validator.definitions.isResourceType(String(resource.resourceType))) {
        throw new InputError(`${file}: not a FHIR R4 resource (unknown resourceType '${String(resource.resourceType)}')`);
      }
      verdicts.push({ file, outcome: validator.validate(resource, profile ? { profile } : {}) });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      verdicts.push({ file, unreadable: err.message });
    }
  }
  report(verdicts, json);
  if (verdicts.some((v) => v.unreadable)) return 2;
  return verdicts.some((v) => v.outcome?.issue.some(isErrorIssue)) ? 1 : 0;
}

function parseCliArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, profile: { type: 'string' } },
    });
  } catch (err) {
    throw new InputError((err as Error).message);
  }
}


function report(verdicts: FileVerdict[], json: boolean): void {
  if (json) {
    for (const v of verdicts) {
      if (v.outcome) process.stdout.write(`${JSON.stringify({ file: v.file, outcome: v.outcome })}\n`);
    }
  }
  let errors = 0;
  let warnings = 0;
  for (const v of verdicts) {
    if (v.unreadable) {
      process.stderr.write(`gradus validate: ${v.unreadable}\n`);
      continue;
    }
    for (const i of v.outcome?.issue ?? []) {
      if (isErrorIssue(i)) errors++;
      else if (i.severity === 'warning') warnings++;
      else continue;
      if (!json) {
        const where = i.expression?.[0] ?? '(resource)';
        process.stdout.write(`${i.severity} ${v.file} ${where}: ${i.diagnostics ?? i.code}\n`);
      }
    }
  }
  const unreadable = verdicts.filter((v) => v.unreadable).length;
  const summary = `${verdicts.length} file(s): ${errors} error(s), ${warnings} warning(s)` +
    (unreadable > 0 ? `, ${unreadable} unreadable` : '');
  (json ? process.stderr : process.stdout).write(`${summary}\n`);
}
