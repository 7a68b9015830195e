import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.nx/**', '**/.myelin/**', 'apps/web/dist/**'] },
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Libraries never import apps; apps may import libraries. Tags live in each package.json.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          // Myelin imports libraries lazily on purpose (the CLI's commands, benchmark children) so
          // that a process loads only what it runs; the same library (or one of its subpath entries,
          // hence the **) may be imported statically elsewhere.
          checkDynamicDependenciesExceptions: ['@myelin/**'],
          depConstraints: [
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib', 'type:app', 'type:tool'] },
          ],
        },
      ],
      // zod's `z` re-export object keeps all of zod in a bundle (every locale: 757 kB against
      // 170 kB for the namespace import), and the compiled CLI loads it at start
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "ImportDeclaration[source.value='zod'][importKind!='type'] > ImportSpecifier[imported.name='z']",
          message: "import * as z from 'zod' (the named z keeps all of zod in the CLI's bundle)",
        },
      ],
    },
  },
  {
    // The queue library stays behind its adapters (issue 15): the executor's submit side in
    // pipeline/src/bullmq, the worker side in worker-runtime/src/bullmq; the raw-BullMQ baseline of
    // the benchmarks is the one other user.
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['packages/pipeline/src/bullmq/**', 'packages/worker-runtime/src/bullmq/**', 'tools/bench/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'bullmq',
              message:
                'BullMQ is imported only by its adapters (packages/pipeline/src/bullmq, packages/worker-runtime/src/bullmq); use the ports they implement',
            },
          ],
        },
      ],
    },
  },
);
