// kubectl exec as the kubelet serves it to the kube-apiserver: k8s remotecommand over SPDY/3.1,
// protocol v4.channel.k8s.io. The peer opens one stream per channel, named by its `streamtype`
// header: error (always), stdin / stdout / stderr (as requested; no stderr with tty), resize (tty).
// Once all expected streams exist the command starts (in the pod's mount namespace,
// adapters/apiserver/pod-exec.ts). Output goes out as DATA on stdout/stderr; stdin's FIN closes the
// command's stdin. At the end stdout and stderr are half-closed, the error stream carries one
// metav1.Status JSON (Success, or Failure NonZeroExitCode with the exit code as cause ExitCode) and
// is closed, then GOAWAY ends the session. Resize messages are read and not applied.
import type { Duplex } from 'node:stream';
import { startExecProcess, type ExecProcess, type ExecRequest, type ExecTarget } from '../apiserver/pod-exec.js';
import { SpdyServerSession, type SpdyStream } from '../spdy/spdy-session.js';

/** What this end speaks, best first (the kubelet's v4; v5's close signal exists only over WebSocket). */
export const SPDY_EXEC_PROTOCOLS = ['v4.channel.k8s.io'] as const;

/** How long the peer has to open every expected stream, as the kubelet's stream creation timeout. */
const STREAM_CREATION_MS = 30_000;

/** The first protocol the client offers that this end speaks; headers may hold comma-separated lists. */
export function negotiateProtocol(offered: readonly string[]): string | undefined {
  const list = offered.flatMap((h) => h.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  return list.find((p) => (SPDY_EXEC_PROTOCOLS as readonly string[]).includes(p));
}

type StreamType = 'error' | 'stdin' | 'stdout' | 'stderr' | 'resize';

function expectedStreams(r: ExecRequest): StreamType[] {
  return ['error', ...(r.stdin ? ['stdin' as const] : []), ...(r.stdout ? ['stdout' as const] : []), ...(r.stderr && !r.tty ? ['stderr' as const] : []), ...(r.tty ? ['resize' as const] : [])];
}

export function runSpdyExec(socket: Duplex, head: Buffer, r: ExecRequest, t: ExecTarget, log: (msg: string) => void): void {
  const streams = new Map<StreamType, SpdyStream>();
  const want = expectedStreams(r);
  let proc: ExecProcess | undefined;
  let stdinEnded = false;
  const pendingStdin: Buffer[] = [];
  const timer = setTimeout(() => {
    log(`timed out waiting for the client's streams: have [${[...streams.keys()].join(' ')}], want [${want.join(' ')}]`);
    session.close();
  }, STREAM_CREATION_MS);
  const start = (): void => {
    clearTimeout(timer);
    const out = streams.get('stdout');
    const err = streams.get('stderr');
    proc = startExecProcess(r, t, {
      stdout: (d) => { if (out && !out.write(d)) proc?.pause(); },
      stderr: (d) => { if (err && !err.write(d)) proc?.pause(); },
      done: (st) => {
        out?.end();
        err?.end();
        const e = streams.get('error');
        e?.write(Buffer.from(JSON.stringify(st)));
        e?.end();
        session.close();
      },
    });
    session.onDrain = () => proc?.resume();
    for (const d of pendingStdin) proc.stdin(d);
    if (stdinEnded) proc.endStdin();
  };
  const session = new SpdyServerSession(socket, {
    onStream: (s) => {
      const type = s.header('streamtype') as StreamType | undefined;
      if (!type || !want.includes(type) || streams.has(type)) {
        log(`unexpected stream ${s.id} (streamtype ${String(type)}), closing the session`);
        session.close();
        return;
      }
      streams.set(type, s);
      if (type === 'stdin') {
        s.onData = (d) => { if (proc) proc.stdin(d); else pendingStdin.push(d); };
        s.onEnd = () => { stdinEnded = true; proc?.endStdin(); };
      }
      if (!proc && want.every((w) => streams.has(w))) start();
    },
    onClose: (err) => {
      clearTimeout(timer);
      if (err) log(`session ended: ${err.message}`);
      proc?.kill();
    },
  }, head);
}
