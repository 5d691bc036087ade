// The FUSE client's HTTP listener: GET /healthz (200 "ok" once mounted, 503 with the reason
// before) and GET /metrics (Prometheus text). Nothing else.
import { createServer, type Server } from 'node:http';

export interface HealthServer {
  readonly port: number;
  setReady(ready: boolean, reason?: string): void;
  close(): Promise<void>;
}

export async function startHealthServer(host: string, port: number, metrics: () => string): Promise<HealthServer> {
  let ready = false;
  let reason = 'mounting';
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' });
      res.end(ready ? 'ok\n' : `${reason}\n`);
    } else if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(metrics());
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : port,
    setReady(r: boolean, why = 'not ready') { ready = r; reason = why; },
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
