import cliProgress from 'cli-progress';

/**
 * A byte-based progress bar on stderr for reading large files. Shown only when stderr is a
 * terminal (so pipes, CI logs and --json consumers see nothing) and the file is big enough.
 */
export function createReadProgress(label: string): {
  onProgress: (p: { rows: number; bytes: number; totalBytes: number }) => void;
  stop: () => void;
} {
  const enabled = Boolean(process.stderr.isTTY) && process.env.MYELIN_NO_PROGRESS !== '1';
  let bar: cliProgress.SingleBar | undefined;
  return {
    onProgress: ({ rows, bytes, totalBytes }) => {
      if (!enabled || totalBytes < 5_000_000) return;
      if (!bar) {
        bar = new cliProgress.SingleBar(
          {
            format: `${label} [{bar}] {percentage}% | {rows} rows | {eta_formatted} left`,
            stream: process.stderr,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(totalBytes, 0, { rows: 0 });
      }
      bar.update(bytes, { rows });
    },
    stop: () => bar?.stop(),
  };
}
