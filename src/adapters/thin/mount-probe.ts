// Observes a FUSE target path from the host mount namespace: mountinfo says what is mounted,
// stat says whether the FUSE server behind it still answers.
import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { fsTypeMatches, parseMountInfo, topMountAt, type MountInfoEntry } from '../../core/thin/mountinfo.js';

export type TargetState =
  | { readonly kind: 'absent' }
  /** Mounted with the expected fsType and answering stat. */
  | { readonly kind: 'mounted'; readonly entry: MountInfoEntry }
  /** Something else is mounted there (fsType differs). */
  | { readonly kind: 'other'; readonly entry: MountInfoEntry }
  /** A FUSE mount whose server is gone: stat fails with ENOTCONN ("Transport endpoint is not connected"). */
  | { readonly kind: 'dead'; readonly entry: MountInfoEntry; readonly code: string };

export async function readMountInfo(pid: number | 'self' = 'self'): Promise<MountInfoEntry[]> {
  return parseMountInfo(await readFile(`/proc/${pid}/mountinfo`, 'utf8'));
}

export async function probeTarget(targetPath: string, fileSystemType: string): Promise<TargetState> {
  const entry = topMountAt(await readMountInfo(), targetPath);
  if (!entry) return { kind: 'absent' };
  try {
    await stat(targetPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'UNKNOWN';
    if (code === 'ENOTCONN' || code === 'ECONNABORTED' || code === 'EIO') return { kind: 'dead', entry, code };
    throw err;
  }
  return fsTypeMatches(entry.fsType, fileSystemType) ? { kind: 'mounted', entry } : { kind: 'other', entry };
}

/** Runs a helper to completion; resolves with its exit code and stderr (never rejects on exit code). */
export async function runTool(cmd: string, args: readonly string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', (err) => resolve({ code: -1, stderr: err.message }));
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

/** Lazily detaches whatever FUSE (or other) mounts are stacked at `path`, top first. */
export async function detachAll(path: string): Promise<void> {
  for (let i = 0; i < 8; i++) {
    if (!topMountAt(await readMountInfo(), path)) return;
    const r = await runTool('fusermount', ['-u', '-z', path]);
    if (r.code !== 0) await runTool('umount', ['-l', path]);
  }
}
