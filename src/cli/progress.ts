import { SingleBar } from "cli-progress";

/**
 * A progress bar on stderr for long bulk runs: only when stderr is a terminal and the user
 * did not ask for `--quiet`, so pipes, CI logs and tests stay clean.
 */
export function progressBar(label: string, quiet: boolean | undefined): { onProgress?: (done: number, total: number) => void; stop(): void } {
  if (quiet || !process.stderr.isTTY) return { stop: () => {} };
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} data sources`, stream: process.stderr, hideCursor: true, clearOnComplete: true });
  let started = false;
  return {
    onProgress(done, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop: () => started && bar.stop(),
  };
}
