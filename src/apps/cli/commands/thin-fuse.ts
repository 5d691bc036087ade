// `fluid thin-fuse --spec FILE`: runs one ThinRuntime FUSE client under the thin launcher
// (private mount namespace with /etc/fluid/config/config.json, restart with backoff, readiness
// from mountinfo, dead-mount cleanup) until SIGTERM/SIGINT, then stops it and unmounts.
// The node agent's thin runner starts this; its status goes to spec.statusFile, the client's
// output (secrets masked) to stdout.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { UsageError } from '../../../core/errors.js';
import { ThinClientLauncher } from '../../../adapters/thin/thin-client-launcher.js';
import type { ThinLaunchSpec, ThinStatusFile } from '../../controllers/thin/thin-launch-spec.js';
import type { Command } from '../command.js';

function readSpec(path: string): ThinLaunchSpec {
  let spec: ThinLaunchSpec;
  try {
    spec = JSON.parse(readFileSync(path, 'utf8')) as ThinLaunchSpec;
  } catch (err) {
    throw new UsageError(`cannot read the thin launch spec ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!Array.isArray(spec.plan?.argv) || spec.plan.argv.length === 0) throw new UsageError(`${path}: plan.argv must be a non-empty array`);
  if (typeof spec.plan.targetPath !== 'string' || !spec.plan.targetPath.startsWith('/')) throw new UsageError(`${path}: plan.targetPath must be an absolute path`);
  if (typeof spec.plan.fileSystemType !== 'string' || spec.plan.fileSystemType === '') throw new UsageError(`${path}: plan.fileSystemType is required`);
  if (typeof spec.filesDir !== 'string' || typeof spec.statusFile !== 'string') throw new UsageError(`${path}: filesDir and statusFile are required`);
  return spec;
}

export const command: Command = {
  summary: 'run a ThinRuntime FUSE client (node agent use): thin-fuse --spec FILE',
  async run(args: string[]): Promise<number> {
    const i = args.indexOf('--spec');
    const specPath = i >= 0 ? args[i + 1] : undefined;
    if (!specPath) throw new UsageError('usage: fluid thin-fuse --spec FILE');
    const spec = readSpec(specPath);
    const writeStatus = (s: ThinStatusFile): void => {
      const tmp = `${spec.statusFile}.tmp`;
      writeFileSync(tmp, JSON.stringify(s), { mode: 0o644 });
      renameSync(tmp, spec.statusFile);
    };
    const launcher = new ThinClientLauncher({
      plan: spec.plan,
      filesDir: spec.filesDir,
      secretFiles: spec.secretFiles,
      ...(spec.mountTimeoutMs !== undefined ? { mountTimeoutMs: spec.mountTimeoutMs } : {}),
      onStatus: (s) => {
        writeStatus({ ...s, launcherPid: process.pid });
        process.stdout.write(`thin-fuse: ${s.reason}: ${s.message}${s.lastOutput.length > 0 ? `\n  ${s.lastOutput.join('\n  ')}` : ''}\n`);
      },
      onOutput: (chunk) => { process.stdout.write(chunk); },
    });
    launcher.start();
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', () => resolve());
      process.once('SIGINT', () => resolve());
    });
    await launcher.stop();
    return 0;
  },
};
