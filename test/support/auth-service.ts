/**
 * `gradus serve --auth` as a child process on an ephemeral loopback port: the embedded FHIR server as a
 * SMART sandbox EHR (oidc-provider cannot be loaded inside jest, and a real process over real HTTP is the
 * honest test anyway). Resolves once the banner names the service's URL and the backend client's key file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface AuthService {
  url: string;
  fhirBaseUrl: string;
  /** The registered backend client's private JWK (client id `gradus-nightly`). */
  keyFile: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

const CLI = resolve(__dirname, '..', '..', 'bin', 'gradus.cjs');

function stopped(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

export function startAuthService(env: Record<string, string> = {}, args: string[] = []): Promise<AuthService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gradus-auth-'));
  const child = spawn(process.execPath, [CLI, 'serve', '--auth', '--port', '0', ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', GRADUS_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const stop = async (): Promise<void> => {
    await stopped(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`gradus serve --auth did not start within 60 s:\n${text}`));
    }, 60_000);
    const check = (): void => {
      const url = /^Gradus service\s+(\S+)/m.exec(text)?.[1];
      const keyFile = /^Backend client\s+\S+\s+key (\S+)/m.exec(text)?.[1];
      if (url === undefined || keyFile === undefined) return;
      clearTimeout(timer);
      child.stdout?.off('data', check);
      resolveStart({ url, fhirBaseUrl: `${url}/fhir`, keyFile, output: () => text, stop });
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gradus serve --auth exited with ${String(code)}:\n${text}`));
    });
  });
}
