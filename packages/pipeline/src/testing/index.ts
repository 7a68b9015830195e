export { startRedisServer, freePort, type TestRedisServer } from './start-redis-server.js';
