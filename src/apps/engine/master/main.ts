// `fluid engine master --config FILE [--host IP] [--node-name NAME]`: runs one cache-engine master until SIGTERM/SIGINT.
import { MasterConfig } from '../../../api/engine-config.js';
import { jsonLogger, parseLogLevel } from '../../../adapters/apiserver/logger.js';
import { openMasterJournal } from '../../../adapters/journal/master-journal.js';
import { openMetastore } from '../../../adapters/metastore/open-metastore.js';
import { configArg, engineArgOverrides, loadEngineConfig } from '../load-engine-config.js';
import { MasterProcess } from './master-process.js';

export async function run(args: string[]): Promise<number> {
  const cfg = loadEngineConfig(MasterConfig, 'MasterConfig', configArg(args, 'master'), engineArgOverrides(args));
  const log = jsonLogger((l) => process.stderr.write(l), { component: 'master', id: cfg.id }, { level: parseLogLevel(process.env.FLUID_LOG_LEVEL) ?? 'info' });
  const metastore = openMetastore(cfg.properties, cfg.journalDir);
  if (metastore.kind !== 'HEAP') log.info('metastore', { kind: metastore.kind, dir: metastore.dir });
  const master = new MasterProcess(cfg, { log, journalFactory: openMasterJournal, nodeStores: metastore.nodeStores });
  const port = await master.start();
  process.stdout.write(`MASTER_READY ${cfg.host}:${port}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  log.info('master stopping');
  await master.stop();
  metastore.close();
  return 0;
}
