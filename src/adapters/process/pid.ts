// Whether a process id names a live process (signal 0 probes without sending anything).

/** True if `pid` is alive; a process we may not signal (EPERM) is alive too. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
