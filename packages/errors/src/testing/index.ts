export { errorOf } from './error-of.js';
