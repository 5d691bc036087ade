// Loader and typing of fluid-ts's libfuse3 binding (native/fuse3, a Node-API addon built by
// `npm run build` with node-gyp against Debian's libfuse3-dev). See native/fuse3/README.md.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Opaque handles owned by the native side. */
export type NativeMount = { readonly __nativeMount: unique symbol };
export type NativeRequest = { readonly __nativeRequest: unique symbol };

/** Operation codes passed to the dispatch function (fluid_fuse3.c's OP_*). */
/** (3, open, is answered by the native side itself: handles are numbered there.) */
export const NativeOp = { Getattr: 1, Readdir: 2, Read: 4, Release: 5, Statfs: 6 } as const;
export type NativeOp = (typeof NativeOp)[keyof typeof NativeOp];

/** Called on the JS thread for every operation the native side hands over; must reply exactly once. */
export type NativeDispatch = (op: NativeOp, req: NativeRequest, path: string, fh: number, arg: Buffer | undefined, offset: number | undefined, sequential: boolean | undefined) => void;

export interface NativeMountConfig {
  readonly attrTimeoutSec: number;
  readonly entryTimeoutSec: number;
  readonly maxRead: number;
  readonly maxReadahead: number;
  readonly maxBackground: number;
  readonly maxThreads: number;
}

export interface Fuse3Binding {
  /** Mounts and starts libfuse's loop threads; throws with libfuse's reason. */
  mount(mountPath: string, options: string, config: NativeMountConfig, dispatch: NativeDispatch): NativeMount;
  reply(req: NativeRequest, result: number, extra?: readonly number[] | readonly string[]): void;
  mapBlock(m: NativeMount, fh: number, fileSize: number, blockSize: number, blockIndex: number, fd: number): boolean;
  /** [fastReads, fastBytes, slowReads, slowBytes, maxRequestBytes, mappedFds, opens] */
  stats(m: NativeMount): [number, number, number, number, number, number, number];
  unmount(m: NativeMount, timeoutMs: number, cb: (joined: boolean) => void): void;
}

const BINDING = 'native/fuse3/build/Release/fluid_fuse3.node';

function findBinding(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const p = join(dir, BINDING);
    if (existsSync(p)) return p;
    if (dirname(dir) === dir) return undefined;
  }
}

let loaded: Fuse3Binding | undefined;

/** The binding; throws an Error naming the missing file and how to build it. */
export function fuse3Binding(): Fuse3Binding {
  if (!loaded) {
    const here = dirname(fileURLToPath(import.meta.url));
    const path = findBinding(here);
    if (!path) {
      throw new Error(`the libfuse3 binding (${BINDING}) is not built: run \`npm run build\` (needs Debian's libfuse3-dev, pkg-config, make and g++)`);
    }
    loaded = createRequire(import.meta.url)(path) as Fuse3Binding;
  }
  return loaded;
}
