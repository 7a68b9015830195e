/**
 * Generates examples/shapes/shapes.csv: 8x8 grayscale images of four stroke shapes
 * (horizontal, vertical, diagonal, antidiagonal) at random positions and lengths with
 * Gaussian noise — a small, seeded image dataset for the CNN example (no download).
 *
 *   npx tsx examples/shapes/generate-shapes.ts [rows=800] [seed=11]
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const rows = Number(process.argv[2] ?? 800);
let state = Number(process.argv[3] ?? 11) >>> 0;
function rand(): number {
  // mulberry32
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

const SHAPES = ['horizontal', 'vertical', 'diagonal', 'antidiagonal'] as const;
const S = 8;
const header = [...Array.from({ length: S * S }, (_, i) => `p${i}`), 'shape'];
const lines = [header.join(',')];
for (let r = 0; r < rows; r++) {
  const shape = SHAPES[r % SHAPES.length]!;
  const img = new Float64Array(S * S);
  const len = int(4, 7);
  const x0 = int(0, S - 1);
  const y0 = int(0, S - 1);
  for (let k = 0; k < len; k++) {
    const [dx, dy] =
      shape === 'horizontal'
        ? [1, 0]
        : shape === 'vertical'
          ? [0, 1]
          : shape === 'diagonal'
            ? [1, 1]
            : [1, -1];
    const x = (x0 + dx * k + S) % S;
    const y = (y0 + dy * k + S) % S;
    img[y * S + x] = 1;
  }
  const pixels = Array.from(img, (v) =>
    Math.min(1, Math.max(0, v * (0.7 + 0.3 * rand()) + 0.12 * gauss())).toFixed(3),
  );
  lines.push([...pixels, shape].join(','));
}
const out = fileURLToPath(new URL('./shapes.csv', import.meta.url));
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`wrote ${rows} images to ${out}`);
