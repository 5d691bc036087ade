// argv of the `juicefs` commands a JuiceFSRuntime process runs, from its JuiceFSConfig. Pure. The meta
// URL argument is always the password-less form (see meta-url.ts); access and secret keys are never
// arguments either: `juicefs format` reads them from $ACCESS_KEY / $SECRET_KEY.
import type { JuiceFSConfig } from '../../api/juicefs-config.js';

/** `--flag=value`, or `--flag` for an empty value; flags in a stable (sorted) order. */
function flags(options: Readonly<Record<string, string>>): string[] {
  return Object.keys(options).sort().map((k) => (options[k] === '' ? `--${k}` : `--${k}=${options[k] ?? ''}`));
}

/** `juicefs status META`: prints the volume's settings as JSON, fails with "not formatted" when there is none. */
export function statusArgs(metaArg: string): string[] {
  return ['status', metaArg];
}

/** `juicefs format`: creates the file system. Run only when `status` says it does not exist. */
export function formatArgs(cfg: JuiceFSConfig, metaArg: string): string[] {
  const opts: Record<string, string> = { ...cfg.formatOptions };
  if (cfg.storage !== undefined && cfg.storage !== '') opts['storage'] = cfg.storage;
  if (cfg.bucket !== undefined && cfg.bucket !== '') opts['bucket'] = cfg.bucket;
  return ['format', ...flags(opts), '--no-update', metaArg, cfg.name];
}

/** FUSE options (Fluid passes every option through `-o`): these go to juicefs's `-o`, the rest are its flags. */
const FUSE_OPTIONS = new Set(['allow_other', 'allow_root', 'default_permissions', 'nonempty', 'writeback_cache', 'max_read', 'fsname', 'subtype', 'user_id', 'group_id', 'ro', 'rw', 'debug']);

/**
 * `juicefs mount` in the foreground (the caller also sets JFS_FOREGROUND=1): the process stays the
 * one serving the mount, so the pod's lifetime is the mount's. Metrics on `metricsAddr`.
 */
export function mountArgs(cfg: JuiceFSConfig, metaArg: string, metricsAddr: string): string[] {
  const opts: Record<string, string> = {
    ...(cfg.cacheDirs.length > 0 ? { 'cache-dir': cfg.cacheDirs.join(':') } : {}),
    ...cfg.mountOptions, metrics: metricsAddr, 'no-usage-report': '',
  };
  if (cfg.subdir !== '/' && cfg.subdir !== '') opts['subdir'] = cfg.subdir;
  if (cfg.readOnly) opts['read-only'] = '';
  delete opts['background'];
  delete opts['d'];
  const fuse = Object.keys(opts).filter((k) => FUSE_OPTIONS.has(k)).sort();
  const o = fuse.map((k) => (opts[k] === '' ? k : `${k}=${opts[k] ?? ''}`));
  for (const k of fuse) delete opts[k];
  return ['mount', ...flags(opts), ...(o.length > 0 ? ['-o', o.join(',')] : []), metaArg, cfg.mountPath];
}

/** `juicefs info --recursive PATH`: files and length of the whole tree under PATH (JuiceFS sums its directory statistics; without --recursive only direct children count). */
export function infoArgs(path: string): string[] {
  return ['info', '--recursive', path];
}

/** Parses `juicefs info` of a directory: "files: N" and "length: ... (N Bytes)" (or "length: N Bytes"). */
export function parseInfo(text: string): { files: number; lengthBytes: number } | undefined {
  const files = /^\s*files:\s*(\d+)\s*$/m.exec(text);
  const length = /^\s*length:\s*(?:.*\()?(\d+) Bytes\)?\s*$/m.exec(text);
  if (!files || !length) return undefined;
  return { files: Number(files[1]), lengthBytes: Number(length[1]) };
}

/** The volume name in `juicefs status` JSON output, if it parses. */
export function statusVolumeName(text: string): string | undefined {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  try {
    const v = JSON.parse(text.slice(start)) as { Setting?: { Name?: unknown } };
    return typeof v.Setting?.Name === 'string' ? v.Setting.Name : undefined;
  } catch {
    return undefined;
  }
}
