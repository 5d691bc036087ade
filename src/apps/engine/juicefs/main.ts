// `fluid engine juicefs --config FILE [--host IP]`: one JuiceFSRuntime worker or FUSE pod (see juicefs-process.ts).
// HTTP on host:port (`--host`, the node's address in a pod, wins over the file's host): GET /healthz (200 once mounted; 503 "<Reason>: <message>" before),
// GET /status (JuiceFSProcessStatus), GET /stats (JuiceFSStats), GET /metrics (the juicefs client's
// own Prometheus metrics). Runs until SIGTERM/SIGINT, then unmounts and stops its juicefs process.
import { createServer } from 'node:http';
import { JuiceFSConfig } from '../../../api/juicefs-config.js';
import { jsonLogger, parseLogLevel } from '../../../adapters/apiserver/logger.js';
import { configArg, engineArgOverrides, loadEngineConfig } from '../load-engine-config.js';
import { JuiceFSProcess } from './juicefs-process.js';

export async function run(args: string[]): Promise<number> {
  const { host } = engineArgOverrides(args);
  const cfg = loadEngineConfig(JuiceFSConfig, 'JuiceFSConfig', configArg(args, 'juicefs'), host !== undefined ? { host } : {});
  const log = jsonLogger((l) => process.stderr.write(l), { component: `juicefs-${cfg.role}`, id: cfg.id }, { level: parseLogLevel(process.env.FLUID_LOG_LEVEL) ?? 'info' });
  const proc = new JuiceFSProcess(cfg, log);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (code: number, type: string, body: string): void => { res.writeHead(code, { 'content-type': type }); res.end(body); };
    if (req.method !== 'GET') { send(405, 'text/plain', 'method not allowed\n'); return; }
    const s = proc.current();
    if (path === '/healthz') send(s.ready ? 200 : 503, 'text/plain', s.ready ? 'ok\n' : `${s.reason}: ${s.message}\n`);
    else if (path === '/status') send(200, 'application/json', JSON.stringify(s));
    else if (path === '/stats') void proc.stats().then((st) => send(200, 'application/json', JSON.stringify(st)), (e: unknown) => send(500, 'text/plain', `${String(e)}\n`));
    else if (path === '/metrics') void proc.metrics().then((m) => send(200, 'text/plain; version=0.0.4', m));
    else send(404, 'text/plain', 'not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => resolve());
  });
  proc.start();
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  log.info('stopping');
  await proc.stop();
  await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
  return 0;
}
