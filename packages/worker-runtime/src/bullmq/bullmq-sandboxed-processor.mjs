// Entry of the sandboxed processor: BullMQ forks a plain Node child that imports this file, so it
// registers tsx (Myelin runs TypeScript directly, no build step) before loading the processor.
import { register } from 'tsx/esm/api';

register();
const mod = await import('./bullmq-sandboxed-processor.ts');
export default mod.default;
