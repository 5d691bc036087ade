// What a FUSE client accepts as a short-circuit block file from a same-node worker. The worker names
// a path (openLocalBlock); the client opens it with its own, often higher, privileges, so a worker
// (or whoever answers in its place) must not be able to make it open anything else. The rules:
//   - the path, after resolving symlinks, lies strictly below one of the tier directories the worker
//     declared to the master (its registration), themselves real absolute paths;
//   - the opened file is a regular file owned by the worker's declared uid, not writable by group or
//     others, and exactly as long as the block.
// Pure: the driver (adapters/fuse/engine-data-path.ts) supplies realpaths and fstat results.

/**
 * `p` with "." and ".." resolved lexically and duplicate slashes removed; undefined when `p` is
 * not absolute or ".." would climb above "/".
 */
export function normalizeAbsolute(p: string): string | undefined {
  if (!p.startsWith('/') || p.includes('\u0000')) return undefined;
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return undefined;
      out.pop();
      continue;
    }
    out.push(seg);
  }
  return `/${out.join('/')}`;
}

/** True when `path` is strictly below one of `dirs` (all compared after lexical normalisation). */
export function isUnderDirs(path: string, dirs: readonly string[]): boolean {
  const p = normalizeAbsolute(path);
  if (p === undefined) return false;
  return dirs.some((d) => {
    const dir = normalizeAbsolute(d);
    if (dir === undefined) return false;
    const prefix = dir === '/' ? '/' : `${dir}/`;
    return p.startsWith(prefix) && p.length > prefix.length;
  });
}

/** Why a worker-named path is refused before it is even resolved; undefined when acceptable. */
export function namedPathProblem(file: string): string | undefined {
  if (!file.startsWith('/')) return `block file "${file}" is not an absolute path`;
  if (file.split('/').some((seg) => seg === '..' || seg === '.')) return `block file "${file}" contains "." or ".." segments`;
  return undefined;
}

export interface BlockFileFacts {
  readonly isFile: boolean;
  readonly uid: number;
  /** st_mode permission bits. */
  readonly mode: number;
  readonly size: number;
}

/** Why an opened block file is refused; undefined when it may be mapped. */
export function blockFileProblem(f: BlockFileFacts, want: { readonly uid: number; readonly length: number }): string | undefined {
  if (!f.isFile) return 'not a regular file';
  if (want.uid < 0 || f.uid !== want.uid) return `owned by uid ${f.uid}, not by the worker's uid ${want.uid}`;
  if ((f.mode & 0o022) !== 0) return `mode ${(f.mode & 0o777).toString(8).padStart(4, '0')} is group- or world-writable`;
  if (f.size !== want.length) return `${f.size} bytes, expected the block's ${want.length}`;
  return undefined;
}
