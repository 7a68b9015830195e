import { execFileSync } from 'node:child_process';

/**
 * The number of NVIDIA GPUs `nvidia-smi -L` lists; 0 when there is no driver or tool.
 *
 * @example detectGpus() // 1 on a one-GPU machine
 */
export function detectGpus(): number {
  try {
    const out = execFileSync('nvidia-smi', ['-L'], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
    return out
      .toString()
      .split('\n')
      .filter((l) => /^GPU \d+/.test(l)).length;
  } catch {
    return 0;
  }
}
