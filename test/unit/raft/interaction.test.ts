// Data-driven Raft scenarios: test/unit/raft/testdata/*.txt. Each block is one command, a ----
// line and the exact output. Regenerate with RAFT_REWRITE=1 after reviewing a behaviour change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cluster, fmtEntry } from './harness/cluster.js';
import { runScript } from './harness/datadriven.js';
import type { Message } from '../../../src/core/raft/types.js';

function repoRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json'))) {
    const up = dirname(d);
    if (up === d) throw new Error('package.json not found above the test file');
    d = up;
  }
  return d;
}

const testdata = join(repoRoot(), 'test/unit/raft/testdata');

type Handler = (args: string[], env: Env) => void;
interface Env { cluster: Cluster | undefined; out: string[] }

function cl(env: Env): Cluster {
  if (!env.cluster) throw new Error('no cluster: start with "nodes N"');
  return env.cluster;
}
function num(s: string | undefined, what: string): number {
  const n = Number(s);
  if (s === undefined || !Number.isInteger(n)) throw new Error(`${what}: expected an integer, got "${s ?? ''}"`);
  return n;
}
/** Parses "1->2", "1->*", "*->3". */
function route(s: string | undefined): (m: Message) => boolean {
  const [a, b] = (s ?? '*->*').split('->');
  return (m) => (a === '*' || m.from === Number(a)) && (b === undefined || b === '*' || m.to === Number(b));
}

const handlers: Record<string, Handler> = {
  // nodes N [seed=S] [election=E] [max-ents=M]
  nodes(args, env) {
    const kv = Object.fromEntries(args.slice(1).map((a) => a.split('=')));
    env.cluster = new Cluster({
      size: num(args[0], 'nodes'), seed: Number(kv['seed'] ?? 1), electionTick: Number(kv['election'] ?? 10),
      ...(kv['max-ents'] ? { maxEntriesPerMsg: Number(kv['max-ents']) } : {}),
    }, (e) => env.out.push(e));
  },
  // tick ID [xN]: ticks then handles the resulting Ready (messages are queued, not delivered).
  tick(args, env) {
    const c = cl(env);
    const id = num(args[0], 'tick id');
    const times = args[1] ? num(args[1].replace(/^x/, ''), 'tick count') : 1;
    for (let i = 0; i < times; i++) c.node(id).raft.tick();
    c.process(id);
  },
  campaign(args, env) {
    const c = cl(env);
    const id = num(args[0], 'campaign id');
    c.node(id).raft.campaign();
    c.process(id);
  },
  propose(args, env) {
    const c = cl(env);
    const id = num(args[0], 'propose id');
    const at = c.node(id).raft.propose(args[1] ?? '');
    env.out.push(`proposed at ${at.index}/${at.term}`);
    c.process(id);
  },
  'read-index'(args, env) {
    const c = cl(env);
    const id = num(args[0], 'read-index id');
    c.node(id).raft.readIndex(args[1] ?? 'r');
    c.process(id);
  },
  // process ID: handle one Ready of a node.
  process(args, env) { cl(env).process(num(args[0], 'process id')); },
  // deliver [FROM->TO]: deliver queued messages (then nothing else: use process/stabilize).
  deliver(args, env) { env.out.push(`delivered ${cl(env).deliver(route(args[0]))}`); },
  drop(args, env) { env.out.push(`dropped ${cl(env).drop(route(args[0]))}`); },
  stabilize(_args, env) { cl(env).stabilize(); },
  // partition 1 | 2 3
  partition(args, env) {
    const groups = args.join(' ').split('|').map((g) => g.trim().split(/\s+/).filter(Boolean).map(Number));
    cl(env).partition(groups);
  },
  heal(_args, env) { cl(env).heal(); },
  compact(args, env) { env.out.push(`compacted ${num(args[0], 'compact id')} at ${cl(env).compact(num(args[0], 'compact id'))}`); },
  crash(args, env) { cl(env).crash(num(args[0], 'crash id')); },
  restart(args, env) { cl(env).restart(num(args[0], 'restart id')); },
  status(_args, env) {
    for (const n of cl(env).nodes.values()) {
      const s = n.raft.status();
      env.out.push(`${s.id}: ${n.crashed ? 'crashed' : s.state} term=${s.term} vote=${s.vote} lead=${s.lead} commit=${s.commit} applied=${s.applied} log=${s.firstIndex}..${s.lastIndex}`);
    }
  },
  log(args, env) {
    const n = cl(env).node(num(args[0], 'log id'));
    const s = n.raft.status();
    const ents = n.raft.entries(s.firstIndex, s.lastIndex + 1);
    env.out.push(ents.length === 0 ? '(empty)' : ents.map(fmtEntry).join(' '));
  },
};

function runner(): (command: string) => string {
  const env: Env = { cluster: undefined, out: [] };
  return (command) => {
    env.out = [];
    const [name, ...args] = command.split(/\s+/);
    const h = handlers[name ?? ''];
    if (!h) throw new Error(`unknown command "${name ?? ''}"`);
    h(args, env);
    return env.out.join('\n');
  };
}

for (const file of readdirSync(testdata).filter((f) => f.endsWith('.txt')).sort()) {
  test(`GIVEN the script ${file} WHEN it runs THEN every output matches exactly`, () => {
    const failures = runScript(join(testdata, file), runner());
    assert.deepEqual(failures, [], failures.join('\n\n'));
  });
}
