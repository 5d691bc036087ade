// Executable entry of the CLI (bin/fluid imports this).
import { main } from './main.js';

watchParent();

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`fluid: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

/**
 * A process started by a supervisor (node agent) gets FLUID_PARENT_PID. If that parent dies, the
 * process is re-parented; it then stops itself with SIGTERM, so its own shutdown path runs (a FUSE
 * client unmounts, a master flushes). Without this a crashed control plane leaves orphans behind.
 */
function watchParent(): void {
  const parent = Number(process.env['FLUID_PARENT_PID']);
  if (!Number.isInteger(parent) || parent <= 1) return;
  delete process.env['FLUID_PARENT_PID']; // not inherited by this process's own children
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      process.kill(process.pid, 'SIGTERM');
      // A process without a SIGTERM handler has exited by now; one with a handler gets 10 s.
      setTimeout(() => process.exit(1), 10_000).unref();
    }
  }, 1_000);
  timer.unref();
}
