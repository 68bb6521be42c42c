#!/usr/bin/env node
// Starts the HAPI FHIR JPA test server (see README.md in this folder).
//
// CLI:  node test/servers/hapi/start.mjs
//   builds target/gradus-hapi-test-server.jar if missing or older than pom.xml/src, starts it on
//   $HAPI_PORT (or a free port), prints exactly one line to stdout when GET /fhir/metadata
//   answers 200:  HAPI_BASE_URL=http://127.0.0.1:<port>/fhir
//   Build and server logs go to stderr. SIGTERM/SIGINT are forwarded to java; exits when java does.
//
// API:  import { startHapi } from './test/servers/hapi/start.mjs';
//   const hapi = await startHapi({ port, log });  // -> { baseUrl, port, pid, stop(), exited }
//   ...; await hapi.stop();
//
// Node 20+, no dependencies.

import { spawn } from 'node:child_process';
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const JAR = path.join(HERE, 'target', 'gradus-hapi-test-server.jar');
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 180_000;
const POLL_INTERVAL_MS = 500;
const STOP_GRACE_MS = 30_000;
const TAIL_LINES = 60;

/** Newest modification time (ms) of pom.xml and everything under src/. */
function newestSourceMtime() {
  let newest = statSync(path.join(HERE, 'pom.xml')).mtimeMs;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(path.join(HERE, 'src'));
  return newest;
}

function jarIsStale() {
  let jarMtime;
  try {
    jarMtime = statSync(JAR).mtimeMs;
  } catch {
    return true; // missing
  }
  return jarMtime < newestSourceMtime();
}

/** Runs a child process, sends its output lines to `log`, keeps the last lines for errors. */
function run(cmd, args, options, log) {
  const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = [];
  const onData = (prefix) => {
    let partial = '';
    return (chunk) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop();
      for (const line of lines) {
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        log(`${prefix}${line}`);
      }
    };
  };
  child.stdout.on('data', onData(''));
  child.stderr.on('data', onData(''));
  const exited = new Promise((resolve) => {
    child.on('error', (err) => {
      tail.push(String(err));
      resolve({ code: null, signal: null, error: err });
    });
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, exited, tail };
}

async function buildJar(log) {
  log('[hapi] building the server jar (mvn -q -B package -DskipTests) ...');
  const t0 = Date.now();
  const { exited, tail } = run('mvn', ['-q', '-B', 'package', '-DskipTests'], { cwd: HERE }, log);
  const { code, error } = await exited;
  if (error || code !== 0) {
    throw new Error(
      `[hapi] build failed (${error ? error.message : `mvn exit ${code}`}):\n${tail.join('\n')}`,
    );
  }
  log(`[hapi] built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** Resolves to true if nothing listens on HOST:port (we can bind it ourselves). */
function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, HOST, () => srv.close(() => resolve(true)));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function metadataIsUp(baseUrl) {
  try {
    const res = await fetch(`${baseUrl}/metadata`, {
      headers: { accept: 'application/fhir+json' },
      signal: AbortSignal.timeout(30_000),
    });
    await res.arrayBuffer(); // drain so the socket is released
    return res.status === 200;
  } catch {
    return false;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Builds (if needed) and starts the HAPI FHIR JPA test server.
 * @param {{ port?: number, log?: (line: string) => void, onSpawn?: (pid: number) => void }} [options]
 *   port:    fixed port (default: env HAPI_PORT, else a free port); it must be free.
 *   log:     receives build and server output line by line (default: discarded).
 *   onSpawn: called with the java pid as soon as it is started (before it is ready).
 * @returns {Promise<{ baseUrl: string, port: number, pid: number,
 *   stop: () => Promise<void>, exited: Promise<{ code: number|null, signal: string|null }> }>}
 */
export async function startHapi({ port, log = () => {}, onSpawn } = {}) {
  if (jarIsStale()) await buildJar(log);

  const wanted = port ?? (process.env.HAPI_PORT ? Number(process.env.HAPI_PORT) : undefined);
  if (wanted !== undefined) {
    if (!Number.isInteger(wanted) || wanted <= 0 || wanted > 65535) {
      throw new Error(`[hapi] invalid port: ${wanted}`);
    }
    // Refuse a busy port: otherwise /metadata could answer from some other server.
    if (!(await portIsFree(wanted))) throw new Error(`[hapi] port ${wanted} is already in use`);
  }
  const chosen = wanted ?? (await freePort());
  const baseUrl = `http://${HOST}:${chosen}/fhir`;

  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const t0 = Date.now();
  log(`[hapi] starting ${java} -Xmx512m -jar ${path.relative(process.cwd(), JAR)} on port ${chosen}`);
  const { child, exited, tail } = run(
    java,
    ['-Xmx512m', '-jar', JAR, `--server.port=${chosen}`],
    { cwd: HERE, env: { ...process.env, HAPI_PORT: String(chosen) } },
    log,
  );
  if (child.pid) onSpawn?.(child.pid);

  // If our own process exits without stop() (crash, process.exit), do not leave java behind.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  let alive = true;
  const done = exited.then((r) => {
    alive = false;
    process.removeListener('exit', killOnExit);
    return r;
  });

  const stop = async () => {
    if (!alive) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => alive && child.kill('SIGKILL'), STOP_GRACE_MS);
    await done;
    clearTimeout(timer);
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (true) {
    if (!alive) {
      const r = await done;
      throw new Error(
        `[hapi] server exited before it was ready (code ${r.code}, signal ${r.signal}):\n${tail.join('\n')}`,
      );
    }
    if (await metadataIsUp(baseUrl)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `[hapi] /metadata did not answer 200 within ${READY_TIMEOUT_MS / 1000} s:\n${tail.join('\n')}`,
      );
    }
    await sleep(POLL_INTERVAL_MS);
  }
  log(`[hapi] ready at ${baseUrl} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { baseUrl, port: chosen, pid: child.pid, stop, exited: done };
}

// ---- CLI, only when this file is run directly ---------------------------------------------
function isMain() {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const log = (line) => process.stderr.write(`${line}\n`);
  const signals = { SIGTERM: 15, SIGINT: 2, SIGKILL: 9 };
  let javaPid = null;
  let signalled = null;
  const onSignal = (sig) => {
    signalled = sig;
    if (javaPid) process.kill(javaPid, sig); // forward; we exit when java exits
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  let hapi;
  try {
    hapi = await startHapi({
      log,
      onSpawn: (pid) => {
        javaPid = pid;
        if (signalled) process.kill(pid, signalled); // signal arrived during the build
      },
    });
  } catch (err) {
    log(err instanceof Error ? err.message : String(err));
    process.exit(signalled ? 128 + signals[signalled] : 1);
  }
  process.stdout.write(`HAPI_BASE_URL=${hapi.baseUrl}\n`);
  const { code, signal } = await hapi.exited;
  process.exit(code ?? (signal ? 128 + (signals[signal] ?? 1) : 1));
}
