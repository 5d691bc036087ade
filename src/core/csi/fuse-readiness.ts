// Whether the dataset's FUSE mount (volume_context fluid_path) is ready to be bind-mounted into a
// pod: the top mount at that path is a FUSE file system. A mount there of another type, or nothing
// mounted (the FUSE pod has not started yet, or the path is still the bare host directory), is not
// ready: publishing then would hand the pod an empty directory.
import { topMountAt, type MountInfoEntry } from '../thin/mountinfo.js';

export type FuseMountState =
  | { readonly kind: 'ready'; readonly entry: MountInfoEntry }
  | { readonly kind: 'absent' }
  | { readonly kind: 'other'; readonly fsType: string };

export function fuseMountState(entries: readonly MountInfoEntry[], fluidPath: string): FuseMountState {
  const e = topMountAt(entries, fluidPath);
  if (!e) return { kind: 'absent' };
  return e.fsType === 'fuse' || e.fsType.startsWith('fuse.') ? { kind: 'ready', entry: e } : { kind: 'other', fsType: e.fsType };
}

/** The user-facing reason a publish is still waiting (and the DeadlineExceeded message). */
export function notReadyMessage(state: FuseMountState, fluidPath: string): string {
  return state.kind === 'other'
    ? `${fluidPath} holds a ${state.fsType} mount, not the dataset's FUSE mount`
    : `the dataset's FUSE mount at ${fluidPath} is not mounted yet (is the FUSE pod running on this node?)`;
}
