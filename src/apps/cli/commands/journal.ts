// `fluid journal format --dir DIR`: wipes a master's journal (log, checkpoints, Raft state) so the
// master starts empty and reloads metadata from the under storage. Stop the master first.
// `fluid journal info --dir DIR`: prints what the journal holds (checkpoint, records, Raft term).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatJournal, journalLayout } from '../../../adapters/journal/journal-dir.js';
import { UsageError } from '../../../core/errors.js';
import type { Command } from '../command.js';

function dirArg(args: readonly string[]): string {
  let dir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--dir') dir = args[++i];
    else if (a.startsWith('--dir=')) dir = a.slice('--dir='.length);
    else throw new UsageError(`unexpected argument "${a}"; usage: fluid journal format|info --dir DIR`);
  }
  if (!dir) throw new UsageError('--dir: expected the journal directory (MasterConfig.journalDir)');
  return dir;
}

function files(dir: string): { count: number; bytes: number; names: string[] } {
  if (!existsSync(dir)) return { count: 0, bytes: 0, names: [] };
  const names = readdirSync(dir).sort();
  return { count: names.length, bytes: names.reduce((n, f) => n + statSync(join(dir, f)).size, 0), names };
}

export const command: Command = {
  summary: 'format or inspect a master journal: journal format|info --dir DIR',
  run(args: string[]): Promise<number> {
    const [sub, ...rest] = args;
    const dir = dirArg(rest);
    if (sub === 'format') {
      formatJournal(dir);
      process.stdout.write(`journal formatted: ${dir}\n`);
      return Promise.resolve(0);
    }
    if (sub === 'info') {
      const l = journalLayout(dir);
      const lines = [`journal: ${dir}${existsSync(join(dir, 'FORMAT')) ? '' : ' (not formatted)'}`];
      for (const [what, d] of [['log segments', l.logDir], ['checkpoints', l.checkpointDir], ['raft log segments', l.raftLogDir], ['raft snapshots', l.raftCheckpointDir]] as const) {
        const f = files(d);
        lines.push(`${what.padEnd(18)} ${f.count} file(s), ${f.bytes} bytes${f.names.length ? ` (${f.names[f.names.length - 1] ?? ''} newest)` : ''}`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
      return Promise.resolve(0);
    }
    throw new UsageError('usage: fluid journal format --dir DIR | fluid journal info --dir DIR');
  },
};
