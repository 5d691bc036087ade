// The `fluid` command line. Each command lives in its own module under ./commands and is
// loaded lazily, so `fluid engine fuse` does not pay for the API server's imports.
import { UsageError } from '../../core/errors.js';
import type { Command } from './command.js';


type Loader = () => Promise<{ command: Command }>;

/** Command table. Add a line here when a command module lands. */
const commands: Record<string, Loader> = {
  version: () => import('./commands/version.js'),
  'thin-fuse': () => import('./commands/thin-fuse.js'),
  up: () => import('./commands/up.js'),
  down: () => import('./commands/down.js'),
  status: () => import('./commands/status.js'),
  kubeconfig: () => import('./commands/kubeconfig.js'),
  controlplane: () => import('./commands/controlplane.js'),
  apiserver: () => import('./commands/apiserver.js'),
  crds: () => import('./commands/crds.js'),
  engine: () => import('./commands/engine.js'),
  'mount-path': () => import('./commands/mount-path.js'),
  controllers: () => import('./commands/controllers.js'),
  'node-agent': () => import('./commands/node-agent.js'),
  'master-info': () => import('./commands/master-info.js'),
  cache: () => import('./commands/cache.js'),
  journal: () => import('./commands/journal.js'),
  webhook: () => import('./commands/webhook.js'),
  csi: () => import('./commands/csi.js'),
};

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write('usage: fluid <command> [args]\n\ncommands:\n');
    for (const [n, load] of Object.entries(commands)) {
      const { command } = await load();
      process.stdout.write(`  ${n.padEnd(14)} ${command.summary}\n`);
    }
    return;
  }
  const load = commands[name];
  if (!load) throw new UsageError(`unknown command "${name}"; run "fluid help" for the list`);
  const { command } = await load();
  const code = await command.run(rest);
  if (code !== 0) process.exitCode = code;
}
