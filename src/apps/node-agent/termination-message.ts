// The kubelet's terminationMessagePolicy FallbackToLogsOnError, embedded edition: when a
// container exits with an error, the last non-empty line of its log becomes
// lastState.terminated.message, so the cause of a crash loop reaches the pod status (and from
// there the runtime's conditions) without anyone reading the log file.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Bytes read from the end of the log; the kubelet caps termination messages at 4 KiB too. */
const TAIL_BYTES = 4096;
/** Longest message kept (one line). */
const MAX_MESSAGE = 1024;

/** The supervisor's own marker lines in a container log ("--- <ISO time> start #N ..." / "exited ..."). */
const SUPERVISOR_LINE = /^--- \d{4}-\d\d-\d\dT\S+ (start #|exited )/;

/** Last non-empty line the container wrote to `logFile`, or undefined when there is none or it cannot be read. */
export function lastLogLine(logFile: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(logFile, 'r');
    const size = fstatSync(fd).size;
    const len = Math.min(size, TAIL_BYTES);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    const lines = buf.toString('utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !SUPERVISOR_LINE.test(l));
    const last = lines[lines.length - 1];
    return last === undefined ? undefined : last.slice(0, MAX_MESSAGE);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
