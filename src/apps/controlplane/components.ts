// Ordered registry of the control plane's components (controllers, node agent, ...). Each is
// started after the API server is up and the kubeconfig is written, in this order; on SIGTERM
// they are stopped in reverse order, then the API server. Keep this file tiny and stable:
// components register themselves by adding an entry to `components`.
import type { Logger } from '../../adapters/apiserver/logger.js';
import { nodeAgentComponent } from '../node-agent/component.js';
import { controllersComponent } from '../controllers/component.js';

export type { Logger };

export interface ComponentContext {
  /** The control plane's home directory. */
  readonly home: string;
  /** HOME/kubeconfig: API server address and bearer token (mode 0600). */
  readonly kubeconfigPath: string;
  readonly log: Logger;
  /** Aborted when the control plane begins shutting down. */
  readonly signal: AbortSignal;
}

export interface Component {
  readonly name: string;
  start(ctx: ComponentContext): Promise<{ stop(): Promise<void> }>;
}

export const components: Component[] = [
  nodeAgentComponent,
  controllersComponent,
];
