// Parses /proc/<pid>/mountinfo (proc(5)) and answers "what is mounted at this path".
// Line format:
//   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
//   (1)(2)(3)  (4)   (5)   (6)        (7...)  (8)(9)  (10)      (11)
// Optional fields (7) end at the single "-" separator. Paths escape space, tab, newline and
// backslash as octal (\040, \011, \012, \134).

export interface MountInfoEntry {
  readonly mountId: number;
  readonly parentId: number;
  /** Root of the mount within its filesystem (a bind mount's source subdirectory). */
  readonly root: string;
  readonly mountPoint: string;
  readonly mountOptions: string;
  /** Tags such as "shared:1", "master:2", "propagate_from:3", "unbindable". */
  readonly optionalFields: readonly string[];
  /** e.g. "ext4", "fuse.s3fs", "fuse.rclone", "fuse". */
  readonly fsType: string;
  readonly source: string;
  readonly superOptions: string;
}

function unescapeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Parses the whole file; malformed lines are skipped (the kernel never writes them). */
export function parseMountInfo(text: string): MountInfoEntry[] {
  const out: MountInfoEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const fields = line.split(' ');
    const sep = fields.indexOf('-', 6);
    if (sep < 0 || fields.length < sep + 4) continue;
    const [id, parent, , root, mountPoint, mountOptions] = fields;
    if (id === undefined || parent === undefined || root === undefined || mountPoint === undefined || mountOptions === undefined) continue;
    out.push({
      mountId: Number(id),
      parentId: Number(parent),
      root: unescapeOctal(root),
      mountPoint: unescapeOctal(mountPoint),
      mountOptions,
      optionalFields: fields.slice(6, sep),
      fsType: fields[sep + 1] ?? '',
      source: unescapeOctal(fields[sep + 2] ?? ''),
      superOptions: fields[sep + 3] ?? '',
    });
  }
  return out;
}

/** Removes trailing slashes (except for "/") so paths compare as mountinfo writes them. */
export function normalizeMountPath(p: string): string {
  const t = p.replace(/\/+$/, '');
  return t === '' ? '/' : t.replace(/\/{2,}/g, '/');
}

/** The prefixes of an absolute normalized path, shortest first: /a/b -> ["/", "/a", "/a/b"]. */
function prefixes(p: string): string[] {
  const out = ['/'];
  let acc = '';
  for (const part of p.split('/').filter((x) => x !== '')) {
    acc += `/${part}`;
    out.push(acc);
  }
  return out;
}

/**
 * The mount visible at `path`, or undefined if `path` is not a mountpoint. Walks the mount tree
 * from the root along the path's prefixes, following at each prefix the mounts stacked there
 * (an overmount's parent is the mount it covers). A mount hidden under a later mount on a
 * shorter prefix (e.g. a dead FUSE mount under a fresh bind mount of its parent) is NOT visible,
 * even though mountinfo still lists it.
 */
export function topMountAt(entries: readonly MountInfoEntry[], path: string): MountInfoEntry | undefined {
  const p = normalizeMountPath(path);
  const ids = new Set(entries.map((e) => e.mountId));
  let current: MountInfoEntry | undefined;
  for (const e of entries) if (e.mountPoint === '/' && !ids.has(e.parentId)) current = e;
  if (!current) return undefined;
  const children = new Map<number, MountInfoEntry[]>();
  for (const e of entries) {
    if (e === current) continue;
    const list = children.get(e.parentId) ?? [];
    list.push(e);
    children.set(e.parentId, list);
  }
  for (const prefix of prefixes(p)) {
    for (;;) {
      const over: MountInfoEntry | undefined = (children.get(current.mountId) ?? []).filter((c) => c.mountPoint === prefix).pop();
      if (!over) break;
      current = over;
    }
  }
  return current.mountPoint === p ? current : undefined;
}

/** True if the entry's propagation type includes "shared:N". */
export function isShared(e: MountInfoEntry): boolean {
  return e.optionalFields.some((f) => f.startsWith('shared:'));
}

/**
 * Whether an fsType satisfies a profile's fileSystemType. "fuse" (goofys, many clients) is also
 * what mountinfo shows as "fuse" exactly; "fuse.s3fs" must match exactly. A profile that says
 * "fuse" accepts any FUSE subtype too, since clients choose their subtype ("fuse.goofys").
 */
export function fsTypeMatches(actual: string, wanted: string): boolean {
  if (actual === wanted) return true;
  return wanted === 'fuse' && (actual.startsWith('fuse.') || actual === 'fuseblk');
}
