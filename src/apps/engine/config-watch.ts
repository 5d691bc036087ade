// Follows a component's config file for the masters' addresses. The node agent (like the kubelet)
// rewrites a pod's ConfigMap files when the ConfigMap changes; a master rescheduled to another node
// gets a new address there, and workers and FUSE clients must reach it without a restart. Only the
// `masters` list is taken from a changed file: everything else keeps its value from the start.
import { readFileSync, unwatchFile, watchFile } from 'node:fs';

/** How often the file is polled (fs.watchFile: works for files rewritten by rename). */
const POLL_MS = 2_000;

/**
 * Calls `onMasters(list)` whenever `file` holds a valid, different non-empty `masters` array.
 * Returns a function that stops watching. An unreadable or half-written file is ignored.
 */
export function watchMasters(file: string, initial: readonly string[], onMasters: (masters: string[]) => void): () => void {
  let current = JSON.stringify(initial);
  const check = (): void => {
    let masters: unknown;
    try {
      masters = (JSON.parse(readFileSync(file, 'utf8')) as { masters?: unknown }).masters;
    } catch {
      return;
    }
    if (!Array.isArray(masters) || masters.length === 0 || !masters.every((m): m is string => typeof m === 'string' && m !== '')) return;
    const text = JSON.stringify(masters);
    if (text === current) return;
    current = text;
    onMasters(masters);
  };
  watchFile(file, { interval: POLL_MS, persistent: false }, check);
  return () => unwatchFile(file, check);
}
