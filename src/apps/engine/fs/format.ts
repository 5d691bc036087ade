// Text formatting of the fs tool's output. Pure.
import type { FileStatus } from '../../../api/engine-rpc.js';

/** Binary units with two decimals: "1.50MiB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return u === 0 ? `${n}B` : `${v.toFixed(2)}${units[u]}`;
}

/** `ls -l`-like lines: mode, size, mtime (UTC), name; directories end with "/". */
export function formatFsLs(entries: readonly FileStatus[]): string {
  const width = Math.max(1, ...entries.map((e) => String(e.size).length));
  return entries.map((e) => {
    const mode = e.kind === 'directory' ? 'dr-xr-xr-x' : '-r--r--r--';
    const t = e.mtimeMs > 0 ? new Date(e.mtimeMs).toISOString().slice(0, 19).replace('T', ' ') : '-'.padEnd(19);
    return `${mode} ${String(e.size).padStart(width)} ${t} ${e.name}${e.kind === 'directory' ? '/' : ''}\n`;
  }).join('');
}
