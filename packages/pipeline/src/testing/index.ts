export { startRedisServer, freePort, type TestRedisServer } from './start-redis-server.js';
export {
  EXECUTOR_CONTRACT,
  type ExecutorContractCase,
  type ExecutorFlavor,
  type OpenedExecutor,
} from './executor-contract.js';
