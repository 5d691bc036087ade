// The controllers as a control-plane component.
import type { Logger } from '../../adapters/apiserver/logger.js';
import { defaultNodeName } from '../node-agent/node-agent.js';
import { startControllers } from './start-controllers.js';

// Structurally a controlplane Component (not imported from there, to keep the graph acyclic).
export const controllersComponent: {
  readonly name: string;
  start(ctx: { home: string; kubeconfigPath: string; log: Logger; signal: AbortSignal }): Promise<{ stop(): Promise<void> }>;
} = {
  name: 'controllers',
  async start(ctx) {
    const log = ctx.log.child({ component: 'controllers' });
    return startControllers({ kubeconfigPath: ctx.kubeconfigPath, home: ctx.home, nodeName: defaultNodeName(), log: (m) => log.info(m) });
  },
};
