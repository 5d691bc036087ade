// Where the JuiceFS client binary is: $FLUID_JUICEFS_BIN, else the one `scripts/go-tool.sh juicefs`
// builds from Go modules and caches by version (it builds it on first use, under a lock).
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export class JuiceFSBinaryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JuiceFSBinaryError';
  }
}

function repoRoot(): string | undefined {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'scripts', 'go-tool.sh'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

let cached: string | undefined;

/** Absolute path of an executable juicefs. Throws JuiceFSBinaryError saying how to get one. */
export async function juicefsBinary(): Promise<string> {
  const env = process.env['FLUID_JUICEFS_BIN'];
  if (env) {
    try {
      accessSync(env, constants.X_OK);
      return env;
    } catch {
      throw new JuiceFSBinaryError(`FLUID_JUICEFS_BIN=${env} is not an executable file`);
    }
  }
  if (cached !== undefined) return cached;
  const root = repoRoot();
  if (!root) throw new JuiceFSBinaryError('the juicefs client is not available: set FLUID_JUICEFS_BIN or run from a checkout with scripts/go-tool.sh');
  const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('bash', [join(root, 'scripts', 'go-tool.sh'), 'juicefs'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.on('error', (err) => resolve({ code: -1, stdout, stderr: err.message }));
  });
  const path = out.stdout.trim().split('\n').pop() ?? '';
  if (out.code !== 0 || path === '') {
    throw new JuiceFSBinaryError(`building the juicefs client (bash scripts/go-tool.sh juicefs) failed: ${out.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  cached = path;
  return path;
}
