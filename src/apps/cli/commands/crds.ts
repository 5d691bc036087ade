// `fluid crds --out DIR`: writes one CRD YAML per data.fluid.io kind (deploy/crds in the repo).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../../core/errors.js';
import { fluidKinds } from '../../../api/kinds/index.js';
import { crdFiles } from '../../../core/crd/crd.js';
import type { Command } from '../command.js';

export const command: Command = {
  summary: 'write the data.fluid.io CRD YAML files: crds --out DIR',
  run(args: string[]): Promise<number> {
    let out: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '--out') out = args[++i];
      else if (a?.startsWith('--out=')) out = a.slice('--out='.length);
      else throw new UsageError(`crds: unknown argument "${a ?? ''}"; usage: fluid crds --out DIR`);
    }
    if (out === undefined || out === '') throw new UsageError('crds: --out DIR is required');
    mkdirSync(out, { recursive: true });
    for (const f of crdFiles(fluidKinds)) {
      const path = join(out, f.fileName);
      writeFileSync(path, f.content);
      process.stdout.write(`${path}\n`);
    }
    return Promise.resolve(0);
  },
};
