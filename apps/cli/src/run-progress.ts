import cliProgress from 'cli-progress';
import pc from 'picocolors';
import type { RunEvent } from '@myelin/pipeline';

/**
 * Shows a run's progress on stderr: a line per step, and a per-epoch bar while training
 * (on a terminal), or one line every few epochs (in logs and pipes). Silent with `quiet`.
 */
export function createRunProgress(opts: { quiet: boolean }): {
  onEvent: (e: RunEvent) => void;
  stop: () => void;
} {
  const tty = Boolean(process.stderr.isTTY) && process.env.MYELIN_NO_PROGRESS !== '1';
  let bar: cliProgress.SingleBar | undefined;
  const write = (s: string) => {
    if (!opts.quiet) process.stderr.write(s);
  };
  const stopBar = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    onEvent: (e) => {
      if (opts.quiet) return;
      if (e.type === 'step') {
        if (e.status === 'running') {
          write(`${pc.cyan('›')} ${e.step}\n`);
          return;
        }
        stopBar();
        const mark =
          e.status === 'succeeded'
            ? pc.green('✓')
            : e.status === 'cached'
              ? pc.blue('↺')
              : e.status === 'failed'
                ? pc.red('✗')
                : pc.dim('-');
        const took = e.durationMs !== undefined ? pc.dim(` ${(e.durationMs / 1000).toFixed(1)}s`) : '';
        write(`${mark} ${e.step} ${e.status}${took}${e.error ? `\n    ${pc.red(e.error)}` : ''}\n`);
      } else if (e.type === 'engine') {
        const i = e.engine;
        write(
          `  engine: ${i.engine} (${i.version}, ${i.device}${i.engine === 'torch' ? `, ${i.threads} thread${i.threads === 1 ? '' : 's'}` : ''})\n`,
        );
      } else if (e.type === 'epoch') {
        const m = Object.entries(e.metrics)
          .map(([k, v]) => `${k} ${v.toFixed(4)}`)
          .join('  ');
        if (tty) {
          if (!bar) {
            bar = new cliProgress.SingleBar(
              {
                format: `  epoch {value}/{total} [{bar}] {metrics}`,
                stream: process.stderr,
                hideCursor: true,
                clearOnComplete: false,
              },
              cliProgress.Presets.shades_classic,
            );
            bar.start(e.epochs, 0, { metrics: '' });
          }
          bar.update(e.epoch, { metrics: m });
        } else if (e.epoch === 1 || e.epoch % 10 === 0) {
          write(`  epoch ${e.epoch}/${e.epochs}  ${m}  ${Math.round(e.samplesPerSec)} samples/s\n`);
        }
      } else if (e.type === 'log' && e.notice) {
        stopBar();
        write(`  ${pc.yellow('!')} ${e.message}\n`);
      } else if (e.type === 'log' && process.env.MYELIN_VERBOSE === '1') {
        write(pc.dim(`    ${e.message}\n`));
      }
    },
    stop: stopBar,
  };
}
