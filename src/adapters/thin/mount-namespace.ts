// Runs the client in a private mount namespace where Fluid's fixed paths exist, while its FUSE
// mount still reaches the host. Verified on this project's machines (root, / is private):
//
//  host:  mount --bind P P && mount --make-shared P      P = dirname(targetPath)
//         => mountinfo shows P with "shared:N"
//  child: unshare --mount --propagation unchanged        copies of shared mounts join the SAME
//         peer group, so a mount made under P in the child propagates to the host's P
//         (the host sees targetPath as fuse.<client>, shared:M).
//         mount --make-slave <mount holding /etc/fluid>  (non-recursive) so the tmpfs below
//         never propagates to the host, even on hosts whose / is shared (systemd).
//         mount -t tmpfs .. /etc/fluid; bind-mount <dir>/config/config.json read-only at
//         /etc/fluid/config/config.json and /etc/fluid/config.json, <dir>/secrets at
//         /etc/fluid/secrets; then exec the client (same pid as unshare).
// The host's /etc/fluid stays an empty directory (created so the child has a mountpoint).
// Known cost: the namespace pins copies of the host mounts that existed when it started until
// the client exits.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { isShared, topMountAt } from '../../core/thin/mountinfo.js';
import { readMountInfo, runTool } from './mount-probe.js';
import { ThinLaunchError } from './thin-launch-error.js';

// Positional parameters: $1 config file, $2 secrets dir, then the client argv. Only paths are
// passed; secret values never appear in argv or env.
const SETUP_SCRIPT = [
  'set -eu',
  'cfg="$1"; secrets="$2"; shift 2',
  'etc_mount=$(findmnt -n -o TARGET -T /etc/fluid)',
  'mount --make-slave "$etc_mount"',
  'mount -t tmpfs -o size=1m,mode=0755 fluid-thin-config /etc/fluid',
  'mkdir -p /etc/fluid/config /etc/fluid/secrets',
  'touch /etc/fluid/config/config.json /etc/fluid/config.json',
  'mount --bind -o ro "$cfg" /etc/fluid/config/config.json',
  'mount --bind -o ro "$cfg" /etc/fluid/config.json',
  'mount --bind -o ro "$secrets" /etc/fluid/secrets',
  'exec "$@"',
].join('\n');

/** argv (argv[0] = "unshare") that runs `clientArgv` inside the prepared namespace. */
export function namespacedArgv(configFile: string, secretsDir: string, clientArgv: readonly string[]): string[] {
  return ['unshare', '--mount', '--propagation', 'unchanged', '--', 'sh', '-c', SETUP_SCRIPT, 'fluid-thin-ns', configFile, secretsDir, ...clientArgv];
}

/**
 * Makes dirname(targetPath) a shared mount in the host namespace (a self bind mount unless it
 * already is a shared mountpoint) and creates it and /etc/fluid (not targetPath: a dead mount
 * there fails mkdir with ENOTCONN). Idempotent.
 * Returns true if it created the bind mount (the caller removes it on stop).
 */
export async function ensureSharedParent(targetPath: string): Promise<boolean> {
  const parent = dirname(targetPath);
  mkdirSync(parent, { recursive: true });
  mkdirSync('/etc/fluid', { recursive: true });
  const existing = topMountAt(await readMountInfo(), parent);
  if (existing && isShared(existing)) return false;
  let created = false;
  if (!existing) {
    const r = await runTool('mount', ['--bind', parent, parent]);
    if (r.code !== 0) throw new ThinLaunchError('SetupFailed', `cannot bind-mount ${parent} onto itself: ${r.stderr.trim()}`);
    created = true;
  }
  const r = await runTool('mount', ['--make-shared', parent]);
  if (r.code !== 0) throw new ThinLaunchError('SetupFailed', `cannot make ${parent} a shared mount: ${r.stderr.trim()}`);
  return created;
}

/** Removes the self bind mount made by ensureSharedParent (only if it is one: root == path). */
export async function releaseSharedParent(targetPath: string): Promise<void> {
  const parent = dirname(targetPath);
  const e = topMountAt(await readMountInfo(), parent);
  if (e && e.root === parent) await runTool('umount', ['-l', parent]);
}
