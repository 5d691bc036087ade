import type { Command } from '../command.js';

export const command: Command = {
  summary: 'print the fluid-ts version',
  run(): Promise<number> {
    process.stdout.write('fluid-ts 0.1.0 (data.fluid.io/v1alpha1)\n');
    return Promise.resolve(0);
  },
};
