// Helpers for `fluid up/down/status`: reading the state file, probing the process and the
// API server, and clearing mounts left under HOME.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import type { ControlPlaneState } from './home.js';

export function readState(stateFile: string): ControlPlaneState | undefined {
  if (!existsSync(stateFile)) return undefined;
  try {
    const s = JSON.parse(readFileSync(stateFile, 'utf8')) as Partial<ControlPlaneState>;
    if (typeof s.pid !== 'number' || typeof s.port !== 'number') return undefined;
    return { pid: s.pid, port: s.port, startedAt: String(s.startedAt ?? ''), mode: s.mode === 'apiserver' ? 'apiserver' : 'controlplane' };
  } catch {
    return undefined;
  }
}

/** True if any process is in process group `pgid`. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** GET https://127.0.0.1:PORT/readyz, trusting the server's certificate at `caPath`. */
export async function probeReady(port: number, caPath: string, timeoutMs = 2000): Promise<boolean> {
  let ca: string;
  try {
    ca = readFileSync(caPath, 'utf8');
  } catch {
    return false;
  }
  return new Promise((resolve) => {
    const req = httpsGet({ host: '127.0.0.1', port, path: '/readyz', ca, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** Waits until `pred` is true or `timeoutMs` passes; returns the final value. */
export async function waitUntil(pred: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await pred()) return true;
    if (Date.now() > deadline) return false;
    await sleep(intervalMs);
  }
}

/** Decodes mountinfo's octal escapes (\040 for space, ...). */
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** Mount points at or under `dir`, deepest first (from /proc/self/mountinfo). */
export function mountsUnder(dir: string): string[] {
  let text = '';
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return text.split('\n')
    .map((l) => l.split(' ')[4])
    .filter((p): p is string => p !== undefined)
    .map(unescapeMount)
    .filter((p) => p === dir || p.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
}

/** Lazily unmounts everything under `dir`; returns what was still mounted afterwards. */
export function unmountAllUnder(dir: string): string[] {
  for (const m of mountsUnder(dir)) {
    const r = spawnSync('fusermount3', ['-u', '-z', m], { stdio: 'ignore' });
    if (r.status !== 0) {
      const r2 = spawnSync('fusermount', ['-u', '-z', m], { stdio: 'ignore' });
      if (r2.status !== 0) spawnSync('umount', ['-l', m], { stdio: 'ignore' });
    }
  }
  return mountsUnder(dir);
}
