// Executable entry of the CLI (bin/fluid imports this).
import { main } from './main.js';

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`fluid: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
