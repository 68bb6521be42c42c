/**
 * test/sandbox/run-sandbox.mjs as a child process (oidc-provider is ESM-only and cannot load inside jest):
 * resolves once it prints its URL; `stop()` ends it and removes its data folder. `logs()` is what it logged.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SandboxUser } from '../../src/sandbox';

export interface SandboxProcess {
  url: string;
  fhirBaseUrl: string;
  keyFile: string;
  users: SandboxUser[];
  logs(): string;
  stop(): Promise<void>;
}

const SCRIPT = resolve(__dirname, 'run-sandbox.mjs');

export function startSandbox(env: Record<string, string> = {}): Promise<SandboxProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gradus-sandbox-'));
  const child = spawn(process.execPath, [SCRIPT], {
    env: { ...process.env, SANDBOX_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = (): Promise<void> =>
    new Promise((done) => {
      const finish = (): void => {
        rmSync(dataDir, { recursive: true, force: true });
        done();
      };
      if (child.exitCode !== null || child.signalCode !== null) return finish();
      child.once('exit', finish);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  return new Promise((ready, fail) => {
    const timer = setTimeout(() => {
      void stop();
      fail(new Error(`the sandbox did not start within 30 s:\n${stderr}`));
    }, 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n')[0];
      if (!stdout.includes('\n') || line === undefined) return;
      clearTimeout(timer);
      const started = JSON.parse(line) as { url: string; keyFile: string; users: SandboxUser[] };
      ready({ ...started, fhirBaseUrl: `${started.url}/fhir`, logs: () => stderr, stop });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the sandbox exited with ${String(code)}:\n${stderr}`));
    });
  });
}
