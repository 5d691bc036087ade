// Application pods (any image whose volumes are fluid dataset PVCs) as the node agent runs them:
// a host process in a private mount namespace, no image pulled. This file decides what runs and
// builds the namespace's setup; the agent does the I/O (apps/node-agent/app-runner.ts).
import { AccessMode } from '../csi/csi-messages.js';

/** The process argv of a container, and whether it is the container's own command. */
export type AppCommand =
  | { readonly kind: 'command'; readonly argv: readonly string[] }
  /** Neither command nor args: the image's entrypoint would run, but there is no image. */
  | { readonly kind: 'holder'; readonly argv: readonly string[] };

/** Keeps a pod without a command Running (coreutils sleep accepts "infinity"). */
export const HOLDER_ARGV: readonly string[] = ['sleep', 'infinity'];

/**
 * Kubernetes semantics: `command` replaces the image's ENTRYPOINT and `args` its CMD. Without an
 * image, `command` + `args` run when `command` is given; `args` alone run as the command (the
 * entrypoint they would be passed to does not exist here); neither means a holder process.
 */
export function appCommand(container: { readonly command?: readonly string[]; readonly args?: readonly string[] }): AppCommand {
  const command = container.command ?? [];
  const args = container.args ?? [];
  if (command.length > 0) return { kind: 'command', argv: [...command, ...args] };
  if (args.length > 0) return { kind: 'command', argv: [...args] };
  return { kind: 'holder', argv: HOLDER_ARGV };
}

/**
 * The service-account token volume a real API server adds to every pod (ServiceAccount admission:
 * a projected volume named kube-api-access-<random>). Application pods are not given it: no
 * token is mounted (the process is on the host and could read any file anyway).
 */
export function isServiceAccountTokenVolume(v: { readonly name: string; readonly projected?: unknown }): boolean {
  return v.projected !== undefined && v.name.startsWith('kube-api-access-');
}

/** Pod condition type saying the image's entrypoint was not run (a holder process keeps the pod Running). */
export const ENTRYPOINT_NOT_RUN_CONDITION = 'fluid.io/EntrypointNotRun';

export function entrypointNotRunMessage(image: string): string {
  return `image ${image} was not pulled and its entrypoint was not run (this node has no container runtime): a holder process ` +
    `keeps the pod Running with its volumes mounted; kubectl exec runs commands on the host inside the pod's mount namespace`;
}

/** One volume inside the pod's mount namespace: the published CSI target bound at the container's mountPath. */
export interface NamespaceMount {
  readonly source: string;
  readonly mountPath: string;
  readonly readOnly: boolean;
}

// Positional parameters only (no path is ever spliced into the script): $1 = number of mounts,
// then (source, mountPath, ro|rw) per mount, then the working directory, then the argv.
const APP_NAMESPACE_SCRIPT = [
  'set -eu',
  'n="$1"; shift',
  'while [ "$n" -gt 0 ]; do',
  '  mkdir -p "$2"',
  '  mount --bind "$1" "$2"',
  '  if [ "$3" = ro ]; then mount -o remount,bind,ro "$2"; fi',
  '  shift 3; n=$((n - 1))',
  'done',
  'cd "$1"; shift',
  'exec "$@"',
].join('\n');

/**
 * argv (argv[0] = "unshare") of the pod's process: a new mount namespace whose mounts are slaves
 * of the host's (host mounts, such as a FUSE remount, still reach it; its own never leak out), the
 * volumes bound at their mountPaths, then `exec` of the command: the pod's pid is the command's.
 */
export function appNamespaceArgv(mounts: readonly NamespaceMount[], cwd: string, argv: readonly string[]): string[] {
  const triples = mounts.flatMap((m) => [m.source, m.mountPath, m.readOnly ? 'ro' : 'rw']);
  return ['unshare', '--mount', '--propagation', 'slave', 'sh', '-c', APP_NAMESPACE_SCRIPT, 'fluid-app', String(mounts.length), ...triples, cwd, ...argv];
}

/**
 * What `kubectl exec` needs to enter a running application pod, written by the node agent as
 * HOME/pods/<ns>/<pod>/exec.json (0600) next to <container>.pid: working directory and env.
 */
export interface AppExecInfo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly container: string;
}

export const APP_EXEC_FILE = 'exec.json';

/** argv that runs `argv` in the mount namespace of process `pid`, in `cwd` (kubectl exec). */
export function execInPodArgv(pid: number, cwd: string, argv: readonly string[]): string[] {
  return ['nsenter', '--target', String(pid), '--mount', '--', 'sh', '-c', 'cd "$1"; shift; exec "$@"', 'fluid-exec', cwd, ...argv];
}

/** The CSI access mode (VolumeCapability.AccessMode.Mode) the kubelet derives from a PV's first access mode. */
export function csiAccessModeOf(pvAccessModes: readonly string[] | undefined): number {
  switch (pvAccessModes?.[0]) {
    case 'ReadOnlyMany': return AccessMode.MULTI_NODE_READER_ONLY;
    case 'ReadWriteMany': return AccessMode.MULTI_NODE_MULTI_WRITER;
    case 'ReadWriteOncePod': return AccessMode.SINGLE_NODE_SINGLE_WRITER;
    default: return AccessMode.SINGLE_NODE_WRITER;
  }
}

/** POSIX shell single-quoting: the word reads back as exactly `s`. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * argv of `kubectl exec -t`: as execInPodArgv, with a pseudo-terminal from util-linux script(1)
 * (-e: its exit status is the command's; -f: flush output; -q: no banner). script runs one shell
 * command line, so each word is quoted.
 */
export function execInPodTtyArgv(pid: number, cwd: string, argv: readonly string[]): string[] {
  const line = `cd ${shellQuote(cwd)} && exec ${argv.map(shellQuote).join(' ')}`;
  return ['nsenter', '--target', String(pid), '--mount', '--', 'script', '-q', '-e', '-f', '-c', line, '/dev/null'];
}
