// Pod runners, tried in order. Append one line to add a runner (e.g. the ThinRuntime fuse).
import { controllersRunner } from './controllers-runner.js';
import { engineRunner } from './engine-runner.js';
import type { PodRunner } from './pod-runner.js';
import { thinFuseRunner } from '../controllers/thin/thin-fuse-runner.js';

export const podRunners: PodRunner[] = [
  controllersRunner,
  engineRunner,
  thinFuseRunner,
];
