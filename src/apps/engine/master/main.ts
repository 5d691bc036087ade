// `fluid engine master --config FILE`: runs one cache-engine master until SIGTERM/SIGINT.
import { MasterConfig } from '../../../api/engine-config.js';
import { jsonLogger } from '../../../adapters/apiserver/logger.js';
import { openMasterJournal } from '../../../adapters/journal/master-journal.js';
import { configArg, loadEngineConfig } from '../load-engine-config.js';
import { MasterProcess } from './master-process.js';

export async function run(args: string[]): Promise<number> {
  const cfg = loadEngineConfig(MasterConfig, 'MasterConfig', configArg(args, 'master'));
  const log = jsonLogger((l) => process.stderr.write(l), { component: 'master', id: cfg.id });
  const master = new MasterProcess(cfg, { log, journalFactory: openMasterJournal });
  const port = await master.start();
  process.stdout.write(`MASTER_READY ${cfg.host}:${port}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  log.info('master stopping');
  await master.stop();
  return 0;
}
