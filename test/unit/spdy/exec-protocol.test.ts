// Protocol negotiation of the kubelet's SPDY exec (adapters/kubelet/spdy-exec.ts): the client lists
// X-Stream-Protocol-Version headers (possibly comma-joined), best first; this end speaks v4 only, as
// the kubelet does (v5's stdin close signal exists only over WebSocket).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { negotiateProtocol } from '../../../src/adapters/kubelet/spdy-exec.js';

const cases: { offered: string[]; want: string | undefined }[] = [
  // What kube-apiserver 1.32's stream translator offers.
  { offered: ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'], want: 'v4.channel.k8s.io' },
  { offered: ['v5.channel.k8s.io, v4.channel.k8s.io'], want: 'v4.channel.k8s.io' },
  { offered: ['v3.channel.k8s.io', 'channel.k8s.io'], want: undefined },
  { offered: [], want: undefined },
];

for (const c of cases) {
  test(`GIVEN a client offering [${c.offered.join(' | ')}] WHEN negotiating THEN the protocol is ${String(c.want)}`, () => {
    assert.equal(negotiateProtocol(c.offered), c.want);
  });
}
