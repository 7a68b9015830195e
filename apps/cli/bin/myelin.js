#!/usr/bin/env node
// The `myelin` command. Myelin's packages are TypeScript run directly through tsx's loader
// (no build step), so a fresh clone works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv);
