// Host mount operations of NodePublish/NodeUnpublish: a bind mount of the dataset's FUSE mount at
// the pod's target path (read-only through a bind remount, the only way to make a bind mount ro),
// and its removal. Uses util-linux mount(8)/umount(8); the caller runs as root.
import { stat } from 'node:fs/promises';
import { CsiError } from '../../core/csi/csi-error.js';
import { topMountAt, type MountInfoEntry } from '../../core/thin/mountinfo.js';
import { readMountInfo, runTool } from '../thin/mount-probe.js';

export { readMountInfo };

/** The mount at `path`, if `path` is a mount point (as this process's mount namespace sees it). */
export async function mountAt(path: string): Promise<MountInfoEntry | undefined> {
  return topMountAt(await readMountInfo(), path);
}

/** Whether the file system at `path` answers stat (a FUSE mount whose server died gives ENOTCONN). */
export async function answers(path: string): Promise<{ ok: true } | { ok: false; code: string }> {
  try {
    await stat(path);
    return { ok: true };
  } catch (err) {
    return { ok: false, code: (err as NodeJS.ErrnoException).code ?? 'UNKNOWN' };
  }
}

export async function bindMount(source: string, target: string, readOnly: boolean): Promise<void> {
  const r = await runTool('mount', ['--bind', source, target]);
  if (r.code !== 0) throw new CsiError('Internal', `mount --bind ${source} ${target} failed: ${r.stderr.trim()}`);
  if (!readOnly) return;
  const ro = await runTool('mount', ['-o', 'remount,bind,ro', target]);
  if (ro.code !== 0) {
    await runTool('umount', [target]);
    throw new CsiError('Internal', `read-only remount of ${target} failed: ${ro.stderr.trim()}`);
  }
}

/** Unmounts every mount stacked at `target` (lazily when busy); throws if one stays. */
export async function unmountAll(target: string): Promise<void> {
  for (let i = 0; i < 8; i++) {
    if (!(await mountAt(target))) return;
    const r = await runTool('umount', [target]);
    if (r.code !== 0) await runTool('umount', ['-l', target]);
  }
  if (await mountAt(target)) throw new CsiError('Internal', `${target} is still mounted after umount`);
}
