// Layout of MasterConfig.journalDir:
//   FORMAT              marker "fluid-journal 1" (written by format)
//   log/seg-*.log       single-master journal segments      checkpoints/ckpt-*.bin
//   raft/log/seg-*.log  Raft log entries                     raft/checkpoints/ckpt-*.bin (snapshots)
//   raft/hardstate      Raft term/vote/commit (atomic file)
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JournalFormatError } from '../../core/journal/journal-errors.js';
import { fsyncDir } from './fs-sync.js';

export const FORMAT_MARKER = 'fluid-journal 1\n';

export interface JournalLayout {
  readonly root: string;
  readonly logDir: string;
  readonly checkpointDir: string;
  readonly raftLogDir: string;
  readonly raftCheckpointDir: string;
  readonly raftHardState: string;
}

export function journalLayout(root: string): JournalLayout {
  return {
    root,
    logDir: join(root, 'log'),
    checkpointDir: join(root, 'checkpoints'),
    raftLogDir: join(root, 'raft', 'log'),
    raftCheckpointDir: join(root, 'raft', 'checkpoints'),
    raftHardState: join(root, 'raft', 'hardstate'),
  };
}

/** Deletes every journal file under `root` (other files are left alone) and writes the marker. */
export function formatJournal(root: string): void {
  mkdirSync(root, { recursive: true });
  const l = journalLayout(root);
  for (const d of [l.logDir, l.checkpointDir, join(root, 'raft')]) rmSync(d, { recursive: true, force: true });
  writeFileSync(join(root, 'FORMAT'), FORMAT_MARKER, { mode: 0o644 });
  fsyncDir(root);
}

/**
 * Makes sure `root` is a journal directory: an empty or new directory is formatted; a directory
 * with our marker is used as is; a non-empty directory with journal files but a foreign marker
 * is refused.
 */
export function ensureJournalDir(root: string): JournalLayout {
  mkdirSync(root, { recursive: true });
  const marker = join(root, 'FORMAT');
  if (existsSync(marker)) {
    const m = readFileSync(marker, 'utf8');
    if (m !== FORMAT_MARKER) throw new JournalFormatError(`journalDir ${root}: unknown journal format "${m.trim()}"; expected "${FORMAT_MARKER.trim()}"`);
  } else {
    const l = journalLayout(root);
    if (existsSync(l.logDir) && readdirSync(l.logDir).length > 0) {
      throw new JournalFormatError(`journalDir ${root}: has journal files but no FORMAT marker; run "fluid journal format --dir ${root}"`);
    }
    formatJournal(root);
  }
  return journalLayout(root);
}
