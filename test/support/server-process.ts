import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The built server (`npm test` builds first). */
export const SERVER_MAIN = path.resolve(import.meta.dirname, '../../dist/src/main.js');

export interface ServerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * The real server as a child process: a crash shows as an exit with its output, which an app inside the
 * test process could not show (an unhandled 'error' event would take Jest down with it).
 */
export class ServerProcess {
  /** Set once the process has exited, for whatever reason. */
  exit: ServerExit | null = null;
  private output = '';
  private readonly exited: Promise<ServerExit>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    this.exited = new Promise((resolve) => {
      const record = (code: number | null, signal: NodeJS.Signals | null) => {
        this.exit = { code, signal };
        resolve(this.exit);
      };
      if (child.exitCode !== null || child.signalCode !== null) record(child.exitCode, child.signalCode);
      else child.once('exit', record);
    });
  }

  /**
   * Starts `dist/src/main.js` with `env` (PORT=0 unless given) and resolves once it listens (it says so at
   * LOG_LEVEL info, the default here). Fails with the process's output if it exits first or does not
   * listen within `timeoutMs`.
   */
  static async start(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
    await waitForBuild();
    const child = spawn(process.execPath, [SERVER_MAIN], {
      env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the server did not listen within ${timeoutMs} ms:\n${output.slice(-4000)}`));
      }, timeoutMs);
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const listening = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
        if (listening) {
          clearTimeout(timer);
          resolve(listening[1]);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the server exited (${code ?? signal}) before listening:\n${output.slice(-4000)}`));
      });
    });
    const server = new ServerProcess(child, url);
    server.output = output;
    const keep = (chunk: Buffer) => {
      // The tail is what explains a crash; the whole log of a long run is not needed.
      server.output = (server.output + chunk.toString('utf8')).slice(-200_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return server;
  }

  /** The last `chars` characters the process wrote (stdout and stderr interleaved). */
  tail(chars = 4000): string {
    return this.output.slice(-chars);
  }

  /** Lines of its JSON log at `level` or above (pino: 40 warn, 50 error, 60 fatal). */
  logLines(minLevel: number): { level: number; msg?: string; context?: string }[] {
    return this.output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => {
        try {
          return JSON.parse(line) as { level: number; msg?: string; context?: string };
        } catch {
          return { level: 0 };
        }
      })
      .filter((line) => line.level >= minLevel);
  }

  /** Sends `signal` and returns at once, without waiting for the process to exit. */
  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 20_000): Promise<ServerExit> {
    if (this.exit) return this.exit;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A build running at the same moment (nest build empties dist/) is waited for. */
async function waitForBuild(): Promise<void> {
  for (let waited = 0; !fs.existsSync(SERVER_MAIN) && waited < 30_000; waited += 500) {
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (!fs.existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: build it with npx nest build`);
}
