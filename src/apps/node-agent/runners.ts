// Pod runners, tried in order (the first that claims a pod runs it: the engine runner claims every
// single-container pod of the engine image, so runners of more specific `fluid` commands come first;
// appRunner, last, takes any remaining pod whose volumes are all dataset PVCs).
import { appRunner } from './app-runner.js';
import { controllersRunner } from './controllers-runner.js';
import { engineRunner } from './engine-runner.js';
import type { PodRunner } from './pod-runner.js';
import { webhookRunner } from './webhook-runner.js';
import { thinFuseRunner } from '../controllers/thin/thin-fuse-runner.js';

export const podRunners: PodRunner[] = [
  controllersRunner,
  webhookRunner,
  engineRunner,
  thinFuseRunner,
  // Last: any other pod whose volumes are all dataset PVCs.
  appRunner,
];
