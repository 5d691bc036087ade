// The node agent as a control-plane component (started before the controllers).
import type { Logger } from '../../adapters/apiserver/logger.js';
import { NodeAgent } from './node-agent.js';

// Structurally a controlplane Component (not imported from there, to keep the graph acyclic).
export const nodeAgentComponent: {
  readonly name: string;
  start(ctx: { home: string; kubeconfigPath: string; log: Logger; signal: AbortSignal }): Promise<{ stop(): Promise<void> }>;
} = {
  name: 'node-agent',
  async start(ctx) {
    const log = ctx.log.child({ component: 'node-agent' });
    const agent = new NodeAgent({ kubeconfigPath: ctx.kubeconfigPath, home: ctx.home, log: (m) => log.info(m) });
    await agent.start();
    return { stop: () => agent.stop() };
  },
};
