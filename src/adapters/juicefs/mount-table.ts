// Whether a path is a mount point of a given filesystem type, from /proc/self/mountinfo.
import { readFileSync } from 'node:fs';

/** Unescapes mountinfo's octal escapes (\040 = space). */
function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** The fstype of the topmost mount at `path` ("fuse.juicefs"), or undefined when nothing is mounted there. */
export function mountedType(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return undefined;
  }
  let found: string | undefined;
  for (const line of text.split('\n')) {
    const parts = line.split(' ');
    const sep = parts.indexOf('-');
    if (sep < 0 || parts.length < sep + 2) continue;
    if (unescape(parts[4] ?? '') === path) found = parts[sep + 1];
  }
  return found;
}
