/** One `fluid` subcommand. `run` returns the process exit code. */
export interface Command {
  /** One line shown by `fluid help`. */
  readonly summary: string;
  run(args: string[]): Promise<number>;
}
