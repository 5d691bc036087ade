// Runner for data-driven scripts: blocks of `command` / `----` / expected output / blank line.
// Lines starting with `#` between blocks are comments. With RAFT_REWRITE=1 the expected outputs
// are regenerated in place instead of compared.
import { readFileSync, writeFileSync } from 'node:fs';

export interface Block { readonly command: string; readonly expected: string; readonly line: number }

export function parseScript(text: string): { blocks: Block[]; prelude: string[][] } {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  const prelude: string[][] = [];
  let comments: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i]!;
    if (l.trim() === '' || l.startsWith('#')) {
      if (l.startsWith('#')) comments.push(l);
      i++;
      continue;
    }
    const command = l.trim();
    const line = i + 1;
    i++;
    if (lines[i] !== '----') throw new Error(`line ${i + 1}: expected ---- after command "${command}"`);
    i++;
    const out: string[] = [];
    while (i < lines.length && lines[i] !== '') out.push(lines[i++]!);
    blocks.push({ command, expected: out.join('\n'), line });
    prelude.push(comments);
    comments = [];
  }
  return { blocks, prelude };
}

/** Runs every block through `run`; returns mismatches (or rewrites the file). */
export function runScript(path: string, run: (command: string) => string): string[] {
  const { blocks, prelude } = parseScript(readFileSync(path, 'utf8'));
  const rewrite = process.env['RAFT_REWRITE'] === '1';
  const failures: string[] = [];
  const out: string[] = [];
  blocks.forEach((b, k) => {
    let actual: string;
    try {
      actual = run(b.command);
    } catch (err) {
      actual = `error: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (actual === '') actual = 'ok';
    for (const c of prelude[k] ?? []) out.push(c);
    out.push(b.command, '----', actual, '');
    if (!rewrite && actual !== b.expected) {
      failures.push(`${path}:${b.line}: ${b.command}\n--- expected\n${b.expected}\n--- actual\n${actual}`);
    }
  });
  if (rewrite) writeFileSync(path, out.join('\n'));
  return failures;
}
