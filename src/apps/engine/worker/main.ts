// `fluid engine worker --config FILE [--host IP] [--node-name NAME]`: runs one cache-engine worker until SIGTERM/SIGINT.
import { WorkerConfig } from '../../../api/engine-config.js';
import { jsonLogger, parseLogLevel } from '../../../adapters/apiserver/logger.js';
import { configArg, engineArgOverrides, loadEngineConfig } from '../load-engine-config.js';
import { WorkerProcess } from './worker-process.js';
import { watchMasters } from '../config-watch.js';

export async function run(args: string[]): Promise<number> {
  const file = configArg(args, 'worker');
  const cfg = loadEngineConfig(WorkerConfig, 'WorkerConfig', file, engineArgOverrides(args));
  // FLUID_LOG_LEVEL=debug adds debug lines (e.g. each block that could not be kept in a tier).
  const log = jsonLogger((l) => process.stderr.write(l), { component: 'worker', id: cfg.id }, { level: parseLogLevel(process.env.FLUID_LOG_LEVEL) ?? 'info' });
  const worker = new WorkerProcess(cfg, log);
  const port = await worker.start();
  process.stdout.write(`WORKER_READY ${cfg.host}:${port}\n`);
  const unwatch = watchMasters(file, cfg.masters, (masters) => {
    worker.setMasters(masters);
    log.info('masters changed', { masters });
  });
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  unwatch();
  log.info('worker stopping');
  await worker.stop();
  return 0;
}
