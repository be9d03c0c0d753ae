// Runs the real server (src/server/main.ts) as a child process for end-to-end tests, the way
// `npm start` does, so a test can stop it, go offline and start a new version on the same port.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

// PGlite creates a new database at first start, which takes several seconds on a busy 2-core machine.
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
/** Output kept for error messages when the server fails to start or stop. */
const OUTPUT_LIMIT = 20_000;

export type StartServerOptions = {
  /** The build to serve, relative to the repository root unless absolute; default E2E_DIST or dist. */
  staticDir?: string;
  /** A free port on 127.0.0.1 is found when not given. */
  port?: number;
  /** Kept after stop() when given; otherwise a temporary folder that stop() removes. */
  dataDir?: string;
  /** Extra environment, e.g. LOG_LEVEL. */
  env?: Record<string, string>;
};

export type RunningServer = {
  url: string;
  port: number;
  /** The server process's id (benchmarks read its memory from /proc). */
  pid: number;
  dataDir: string;
  /** Everything the server printed so far. */
  output(): string;
  /** SIGTERM, then waits for the process to exit (in-flight requests finish first). */
  stop(): Promise<void>;
};

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const port = options.port ?? (await findFreePort());
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'outreach-data-'));
  const url = `http://127.0.0.1:${port}`;

  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      ...options.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      STATIC_DIR: path.resolve(REPO_ROOT, options.staticDir ?? process.env.E2E_DIST ?? 'dist'),
      DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);

  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    });
  });

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  // The listening line proves this child holds the port (not a leftover process); health proves it answers.
  const listeningLine = `Outreach Register listening on ${url}`;
  while (!output.includes(listeningLine) || !(await isHealthy(url))) {
    if (exitCode !== undefined) {
      await stop();
      throw new Error(`The server exited (code ${exitCode}) before answering /api/health:\n${output}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `The server did not answer ${url}/api/health within ${START_TIMEOUT_MS} ms:\n${output}`,
      );
    }
    await delay(100);
  }

  return { url, port, pid: child.pid ?? 0, dataDir, output: () => output, stop };
}

/** Asks the OS for a free port on 127.0.0.1, then releases it for the server to take. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function isHealthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) return false;
    const body: unknown = await response.json();
    return typeof body === 'object' && body !== null && 'status' in body && body.status === 'ok';
  } catch {
    return false;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
