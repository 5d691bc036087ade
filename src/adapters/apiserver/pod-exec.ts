// pods/{name}/exec for application pods, in embedded mode: the Kubernetes WebSocket streaming
// protocol (v5.channel.k8s.io, and v4.channel.k8s.io without the stdin-close signal), which
// kubectl >= 1.31 uses. Each binary message starts with its channel: 0 stdin, 1 stdout, 2 stderr,
// 3 error (one metav1.Status when the command ends), 4 resize; 255 + channel closes that channel
// (v5). The command runs in the pod's mount namespace (nsenter into the pid the node agent
// records, HOME/pods/<ns>/<pod>/<container>.pid) with the pod's working directory and env
// (exec.json, written by the node agent); with tty, under a pseudo-terminal (script(1)).
// SPDY/3.1 (the older streaming protocol, kubectl's fallback) is not spoken: such a request gets
// the same checks and then a Status saying so.
import { spawn } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { APP_EXEC_FILE, execInPodArgv, execInPodTtyArgv, type AppExecInfo } from '../../core/workloads/app-pod.js';
import type { KubeObject } from '../store/object-store.js';
import { ApiError, badRequest, statusBody } from './status-errors.js';

export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
const CLOSE = 255;

export interface ExecRequest {
  readonly command: readonly string[];
  readonly container: string;
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
  readonly tty: boolean;
}

/** The exec query (command=..&command=..&container=&stdin=&stdout=&stderr=&tty=), checked as the kubelet does. */
export function parseExecRequest(pod: KubeObject, params: URLSearchParams): ExecRequest {
  const name = String(pod.metadata.name);
  const containers = ((pod.spec as { containers?: { name?: unknown }[] } | undefined)?.containers ?? []).map((c) => String(c.name));
  let container = params.get('container') ?? '';
  if (container === '') {
    if (containers.length !== 1) throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`);
    container = containers[0] ?? '';
  }
  if (!containers.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  const command = params.getAll('command');
  if (command.length === 0) throw badRequest('you must specify at least 1 command');
  const flag = (k: string): boolean => params.get(k) === 'true' || params.get(k) === '1';
  const r = { command, container, stdin: flag('stdin'), stdout: flag('stdout'), stderr: flag('stderr'), tty: flag('tty') };
  if (!r.stdin && !r.stdout && !r.stderr) throw badRequest('you must specify at least one of stdin, stdout, stderr');
  return r;
}

export interface ExecTarget {
  readonly pid: number;
  readonly info: AppExecInfo;
}

/** The running process to enter; an ApiError when the pod is not an application pod that runs. */
export function execTarget(podRoot: string, pod: KubeObject, req: ExecRequest): ExecTarget {
  const name = String(pod.metadata.name);
  const phase = (pod.status as { phase?: unknown } | undefined)?.phase;
  if (phase !== 'Running') throw badRequest(`unable to upgrade connection: container ${req.container} in pod ${name} is not running (phase ${String(phase ?? 'Pending')})`);
  const dir = join(podRoot, String(pod.metadata.namespace), name);
  let info: AppExecInfo;
  try {
    info = JSON.parse(readFileSync(join(dir, APP_EXEC_FILE), 'utf8')) as AppExecInfo;
  } catch {
    throw badRequest(`exec is supported for application pods only (pods whose volumes are dataset PVCs); pod ${name} is not one`);
  }
  let pid = NaN;
  try {
    pid = Number(readFileSync(join(dir, `${req.container}.pid`), 'utf8').trim());
  } catch {
    // no pid file: not started (yet)
  }
  if (!Number.isSafeInteger(pid) || pid <= 0) throw badRequest(`container ${req.container} in pod ${name} has no running process`);
  return { pid, info };
}

function status(code: number | null, signal: NodeJS.Signals | null, command: readonly string[]): Record<string, unknown> {
  if (code === 0) return { metadata: {}, status: 'Success' };
  const exit = code ?? 128 + 9;
  return {
    metadata: {}, status: 'Failure', reason: 'NonZeroExitCode',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exit}${signal ? ` (signal ${signal})` : ''}`,
    details: { causes: [{ reason: 'ExitCode', message: String(exit) }] },
  };
}

/** Where an exec's output goes; `done` is called once, with the metav1.Status of the end. */
export interface ExecSink {
  stdout(data: Buffer): void;
  stderr(data: Buffer): void;
  done(status: Record<string, unknown>): void;
}

export interface ExecProcess {
  stdin(data: Buffer): void;
  endStdin(): void;
  /** SIGKILL, unless it has ended (the client went away). */
  kill(): void;
  /** Stops reading output until resume() (the transport's buffer is full). */
  pause(): void;
  resume(): void;
}

/**
 * Runs an exec request in the pod's mount namespace (the transport-free half of exec, shared by the
 * WebSocket protocol here and the kubelet's SPDY one, adapters/kubelet). With tty, stderr is merged
 * into stdout, as a terminal does. Without stdin requested, the command's stdin is closed at once.
 */
export function startExecProcess(r: ExecRequest, t: ExecTarget, sink: ExecSink): ExecProcess {
  const [cmd = 'nsenter', ...args] = r.tty ? execInPodTtyArgv(t.pid, t.info.cwd, r.command) : execInPodArgv(t.pid, t.info.cwd, r.command);
  const child = spawn(cmd, args, { env: { ...t.info.env, SHELL: '/bin/sh', ...(r.tty ? { TERM: 'xterm' } : {}) }, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdout.on('data', (d: Buffer) => { if (r.stdout) sink.stdout(d); });
  child.stderr.on('data', (d: Buffer) => { if (r.tty) { if (r.stdout) sink.stdout(d); } else if (r.stderr) sink.stderr(d); });
  child.stdin.on('error', () => {});
  if (!r.stdin) child.stdin.end();
  let done = false;
  const finish = (st: Record<string, unknown>): void => {
    if (done) return;
    done = true;
    sink.done(st);
  };
  child.on('error', (err) => finish({ metadata: {}, status: 'Failure', reason: 'InternalError', message: `starting the command failed: ${err.message}` }));
  child.on('close', (code, signal) => finish(status(code, signal, r.command)));
  return {
    stdin: (d) => { if (r.stdin && !child.stdin.writableEnded) child.stdin.write(d); },
    endStdin: () => { if (!child.stdin.writableEnded) child.stdin.end(); },
    kill: () => { if (!done) child.kill('SIGKILL'); },
    pause: () => { child.stdout.pause(); child.stderr.pause(); },
    resume: () => { child.stdout.resume(); child.stderr.resume(); },
  };
}

/** Writes a Status as a plain HTTP response on an upgrade socket that will not be upgraded. */
export function rejectUpgrade(socket: Duplex, err: ApiError): void {
  const body = JSON.stringify(statusBody(err));
  socket.end(`HTTP/1.1 ${err.httpStatus} ${err.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export class PodExec {
  private readonly wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => EXEC_PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });

  constructor(private readonly podRoot: string) {}

  /** Upgrades and runs the command; throws ApiError (before any upgrade) for a bad request or pod. */
  handle(req: IncomingMessage, socket: Duplex, head: Buffer, pod: KubeObject, params: URLSearchParams): void {
    const r = parseExecRequest(pod, params);
    const target = execTarget(this.podRoot, pod, r);
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      throw new ApiError(400, 'BadRequest', `this API server streams exec over WebSocket only (${EXEC_PROTOCOLS.join(', ')}); ${String(req.headers.upgrade)} is not supported: use kubectl 1.31 or newer`);
    }
    const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
    if (!EXEC_PROTOCOLS.some((p) => offered.includes(p))) {
      throw new ApiError(400, 'BadRequest', `no supported exec subprotocol offered (${offered.join(', ') || 'none'}); this server speaks ${EXEC_PROTOCOLS.join(', ')}`);
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.run(ws, r, target));
  }

  close(): void {
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
  }

  private run(ws: WebSocket, r: ExecRequest, t: ExecTarget): void {
    const send = (channel: number, data: Buffer): void => {
      if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), data]));
    };
    const proc = startExecProcess(r, t, {
      stdout: (d) => send(STDOUT, d),
      stderr: (d) => send(STDERR, d),
      done: (st) => {
        send(ERROR, Buffer.from(JSON.stringify(st)));
        ws.close(1000);
      },
    });
    ws.on('message', (data: RawData) => {
      const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      const channel = buf[0];
      if (channel === STDIN) proc.stdin(buf.subarray(1));
      else if (channel === CLOSE && buf[1] === STDIN) proc.endStdin();
      else if (channel === RESIZE) return; // the terminal size is not applied (script(1) keeps its own)
    });
    ws.on('close', () => proc.kill());
    ws.on('error', () => proc.kill());
  }
}
