// Runs one short `juicefs` command (status, format, info) with a bounded time and a given
// environment (secrets travel only there), and collects its output. The caller masks secrets
// before showing any of it.
import { spawn } from 'node:child_process';

export interface CommandResult {
  /** Exit code; -1 when it could not start or was killed at the deadline. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

export function runCommand(bin: string, args: readonly string[], env: Readonly<Record<string, string>>, timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(bin, [...args], { env: { ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const limit = 1 << 20;
    child.stdout.on('data', (d: Buffer) => { if (stdout.length < limit) stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { if (stderr.length < limit) stderr += d.toString(); });
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); resolve({ code: -1, stdout, stderr: `${stderr}${err.message}`, timedOut }); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code: timedOut ? -1 : code ?? -1, stdout, stderr, timedOut }); });
  });
}
