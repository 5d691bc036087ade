// Shared setup for the standalone ThinRuntime launcher tests: renders the config from a Dataset
// spec, writes the files, and runs a ThinClientLauncher with a recorded status history.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renderFuseConfig } from '../../../src/core/thin/render-fuse-config.js';
import { planClient } from '../../../src/core/thin/client-plan.js';
import type { DatasetSpecInput, ThinProfileSpecInput, ThinRuntimeSpecInput } from '../../../src/core/thin/thin-inputs.js';
import { writeClientFiles, NAMESPACE_SECRETS_DIR } from '../../../src/adapters/thin/client-files.js';
import { ThinClientLauncher, type ThinClientLauncherOptions, type ThinClientStatus } from '../../../src/adapters/thin/thin-client-launcher.js';
import { type Cleanup, repoRoot, unmountQuietly, waitFor } from '../../support/proc.js';

/** The repository root: the nearest ancestor of the compiled tree that holds examples/thin. */
function findRoot(): string {
  let dir = repoRoot;
  for (let i = 0; i < 4 && !existsSync(join(dir, 'examples', 'thin')); i++) dir = dirname(dir);
  return dir;
}
const root = findRoot();
export const s3fsScript = join(root, 'examples/thin/s3fs/fluid-config-parse.sh');
export const rcloneScript = join(root, 'examples/thin/rclone-http/fluid-config-parse.sh');

export interface Harness {
  readonly launcher: ThinClientLauncher;
  readonly targetPath: string;
  readonly filesDir: string;
  readonly history: ThinClientStatus[];
  waitStatus(what: string, pred: (s: ThinClientStatus) => boolean, timeoutMs?: number): Promise<ThinClientStatus>;
}

export function startLauncher(t: Cleanup, args: {
  dataset: DatasetSpecInput;
  profile: ThinProfileSpecInput;
  runtime?: ThinRuntimeSpecInput;
  secrets?: Record<string, Record<string, string>>;
  options?: Partial<ThinClientLauncherOptions>;
  /** Called after the target path is known and before the launcher starts. */
  before?: (targetPath: string) => Promise<void>;
}): Promise<Harness> {
  const root = mkdtempSync(join(tmpdir(), 'fluid-thin-'));
  const targetPath = join(root, 'runtime-mnt', 'thin-fuse');
  const filesDir = join(root, 'files');
  const runtime = args.runtime ?? { profileName: 'p' };
  const rendered = renderFuseConfig({ dataset: args.dataset, runtimeOptions: runtime.fuse?.options, secretsDir: NAMESPACE_SECRETS_DIR, targetPath });
  if (rendered.errors.length > 0) throw new Error(`render: ${JSON.stringify(rendered.errors)}`);
  const planned = planClient(runtime.profileName, args.profile, runtime, targetPath);
  if (!planned.plan) throw new Error(`plan: ${JSON.stringify(planned.errors)}`);
  const secretValues = rendered.secretFiles.map((ref) => {
    const value = args.secrets?.[ref.secretName]?.[ref.key];
    if (value === undefined) throw new Error(`test secret ${ref.secretName}/${ref.key} missing`);
    return { ref, value };
  });
  const layout = writeClientFiles(filesDir, rendered.json, secretValues);
  const history: ThinClientStatus[] = [];
  const launcher = new ThinClientLauncher({
    plan: planned.plan, filesDir,
    secretFiles: rendered.secretFiles.map((s) => join(layout.secretsDir, s.secretName, s.key)),
    pollMs: 100, mountTimeoutMs: 20_000, graceMs: 3_000,
    backoff: { initialMs: 200, maxMs: 2_000, resetAfterMs: 60_000 },
    onStatus: (s) => history.push(s),
    ...args.options,
  });
  // One cleanup hook, in order: stop the client, make sure nothing stays mounted, remove files.
  t.after(async () => {
    await launcher.stop();
    unmountQuietly(targetPath);
    unmountQuietly(join(root, 'runtime-mnt'));
    rmSync(root, { recursive: true, force: true });
  });
  const h: Harness = {
    launcher, targetPath, filesDir, history,
    async waitStatus(what, pred, timeoutMs = 60_000) {
      try {
        return await waitFor(what, () => history.find(pred) ?? (pred(launcher.current()) ? launcher.current() : undefined), timeoutMs);
      } catch (err) {
        throw new Error(`${(err as Error).message}; status history: ${JSON.stringify(history, null, 1)}`);
      }
    },
  };
  return (async () => {
    await args.before?.(targetPath);
    launcher.start();
    return h;
  })();
}
