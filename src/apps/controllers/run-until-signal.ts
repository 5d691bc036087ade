// Keeps a long-running command alive until SIGTERM/SIGINT, then runs `stop` once.
export function runUntilSignal(stop: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (): void => {
      if (stopping) return;
      stopping = true;
      stop().then(() => resolve(0), () => resolve(1));
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
}
