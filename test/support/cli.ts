/**
 * The built CLI (bin/gradus.cjs; dist/ is built once by jest's globalSetup, test/build-once.js) run as a child
 * process without blocking this one, so a server under test that lives in the test process keeps answering.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'gradus.cjs');

export interface Run {
  /** The exit code; null when the process ended on a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `file` in the repository root with this process's environment plus `env`; a failure is its exit code. */
export function runProgram(file: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(file, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' }, (err, stdout, stderr) =>
      done({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
    );
  });
}

/** `gradus <args>` with node. */
export function runGradus(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return runProgram(process.execPath, [BIN, ...args], env);
}
