// Pod runners, tried in order. Add one line to add a runner (before appRunner, which takes any remaining pod whose volumes are PVCs).
import { appRunner } from './app-runner.js';
import { controllersRunner } from './controllers-runner.js';
import { engineRunner } from './engine-runner.js';
import type { PodRunner } from './pod-runner.js';
import { thinFuseRunner } from '../controllers/thin/thin-fuse-runner.js';

export const podRunners: PodRunner[] = [
  controllersRunner,
  engineRunner,
  thinFuseRunner,
  // Last: any other pod whose volumes are all dataset PVCs.
  appRunner,
];
