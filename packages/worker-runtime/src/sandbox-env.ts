/** Environment variable through which a worker hands its resolved stack to its sandbox children. */
export const WORKER_STACK_ENV = 'MYELIN_WORKER_STACK';
/** Environment variable naming the device a sandbox child was given (`gpu:0`). */
export const WORKER_DEVICE_ENV = 'MYELIN_WORKER_DEVICE';
