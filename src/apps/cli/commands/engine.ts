// `fluid engine master|worker|fuse|fs ...`: dispatches to the cache-engine processes. Each
// component module is imported lazily and exports `run(args): Promise<number>`.
import { UsageError } from '../../../core/errors.js';
import type { Command } from '../command.js';

type Runner = () => Promise<{ run(args: string[]): Promise<number> }>;

const components: Record<string, Runner> = {
  master: () => import('../../engine/master/main.js'),
  worker: () => import('../../engine/worker/main.js'),
  fuse: () => import('../../engine/fuse/main.js'),
  fs: () => import('../../engine/fs/main.js'),
  // JuiceFSRuntime worker / FUSE pods: the real juicefs client (src/apps/engine/juicefs).
  juicefs: () => import('../../engine/juicefs/main.js'),
};

export const command: Command = {
  summary: 'cache engine: master | worker | fuse --config FILE, fs <ls|stat|cat|load|count> ..., or juicefs --config FILE (JuiceFSRuntime)',
  async run(args: string[]): Promise<number> {
    const [name, ...rest] = args;
    const load = name === undefined ? undefined : components[name];
    if (!load) throw new UsageError(`usage: fluid engine <${Object.keys(components).join('|')}> [--config FILE | args]`);
    const mod = await load();
    return mod.run(rest);
  },
};
