/** Reading FHIR JSON documents from disk for the CLI, with one clear message per way it can go wrong. */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isJsonObject } from '../fhir/json';

/** Bad input the CLI reports as one line and exit 2. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** Reads a file and parses it as a FHIR resource (a JSON object with a string resourceType). */
export async function readResourceFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (text.trim() === '') throw new InputError(`${file}: empty file, expected a FHIR JSON resource`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file}: malformed JSON (${(err as Error).message})`);
  }
  if (!isJsonObject(value)) {
    const kind = Array.isArray(value) ? 'a JSON array' : `a JSON ${value === null ? 'null' : typeof value}`;
    throw new InputError(`${file}: expected a FHIR resource (a JSON object), found ${kind}`);
  }
  if (typeof value.resourceType !== 'string') {
    throw new InputError(`${file}: not a FHIR resource (no "resourceType")`);
  }
  return value;
}

/** Expands files and directories (recursively) into a sorted list of .json files. */
export async function expandPaths(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new InputError(`${path}: no such file or directory`);
    }
    if (!info.isDirectory()) {
      files.push(path);
      continue;
    }
    const entries = await readdir(path, { recursive: true, withFileTypes: true });
    const found = entries
      .filter((e) => e.isFile() && e.name.endsWith('.json'))
      .map((e) => join(e.parentPath, e.name))
      .sort();
    files.push(...found);
  }
  return files;
}
