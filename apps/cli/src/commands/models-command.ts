import type { Command } from 'commander';
import pc from 'picocolors';
import { MyelinError } from '@myelin/errors';
import { verifyModelVersion } from '@myelin/pipeline/stack';
import { printJson } from '../output.js';
import { withStack } from './with-stack.js';
import { cliActor } from '../cli-actor.js';

const fmt = (m: Record<string, number>) =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${Number.isFinite(v) ? v.toFixed(4) : v}`)
    .join('  ');

export function registerModelsCommands(program: Command): void {
  program
    .command('models')
    .description('List registered models, or one model with its versions, metrics and aliases.')
    .argument('[name]')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, flags: { json?: boolean }) => {
      await withStack(async ({ meta }) => {
        if (!name) {
          const models = await meta.listModels();
          const detail = await Promise.all(models.map((m) => meta.getModel(m.name)));
          if (flags.json) return printJson(detail);
          if (!models.length) return void process.stdout.write('no registered models yet\n');
          for (const m of detail) {
            if (!m) continue;
            const aliases = Object.entries(m.aliases)
              .map(([a, v]) => `${a}→${v}`)
              .join(' ');
            process.stdout.write(`${pc.bold(m.name)}  latest @${m.latestVersion}  ${aliases}\n`);
          }
          return;
        }
        const m = await meta.getModel(name);
        if (!m) throw new MyelinError('MYELIN_ERR_REGISTRY_NOT_FOUND', `no registered model named "${name}"`);
        const history = await meta.aliasHistory(name);
        if (flags.json) return printJson({ ...m, aliasHistory: history });
        process.stdout.write(`${pc.bold(m.name)}\n`);
        for (const v of [...m.versions].reverse()) {
          process.stdout.write(
            `  @${String(v.version).padEnd(3)} ${new Date(v.createdAt).toISOString().slice(0, 19)}  ${fmt(v.metrics)}  ${v.aliases.length ? pc.cyan(v.aliases.join(',')) : ''}\n`,
          );
          process.stdout.write(
            pc.dim(
              `        run ${v.runId}  data ${v.dataHash.slice(0, 12)}  spec ${v.specHash.slice(0, 12)}  code ${v.codeVersion}\n`,
            ),
          );
        }
        if (history.length) {
          process.stdout.write('alias history:\n');
          for (const h of history)
            process.stdout.write(
              `  ${new Date(h.at).toISOString().slice(0, 19)}  ${h.alias}: ${h.fromVersion ?? '-'} → ${h.toVersion ?? '-'}  by ${h.who}${h.why ? ` (${h.why})` : ''}\n`,
            );
        }
      });
    });

  const alias = program.command('alias').description('Manage model aliases.');
  alias
    .command('set')
    .description('Point an alias at a version (recorded with who, when and why).')
    .argument('<name>')
    .argument('<alias>')
    .argument('<version>')
    .option('--why <reason>', 'why the alias moves', 'set from the CLI')
    .action(async (name: string, a: string, version: string, flags: { why: string }) => {
      const v = Number(version);
      if (!Number.isInteger(v) || v < 1)
        throw new MyelinError('MYELIN_ERR_USAGE', `version must be a positive integer, got "${version}"`);
      await withStack(async ({ meta, mlflow }) => {
        await meta.setAlias(name, a, v, { who: cliActor(), why: flags.why });
        await mlflow?.onAliasMoved(name, a, v);
        process.stdout.write(`${name}:${a} → @${v}\n`);
      });
    });

  program
    .command('verify')
    .description('Re-hash every file of a registered version; exit 1 naming the file on any mismatch.')
    .argument('<ref>', 'name, name@version or name:alias')
    .option('--json', 'print JSON')
    .action(async (ref: string, flags: { json?: boolean }) => {
      await withStack(async ({ meta, store }) => {
        const r = await verifyModelVersion(meta, store, ref);
        if (flags.json)
          printJson({
            ok: r.ok,
            model: r.version.model,
            version: r.version.version,
            manifest: r.version.manifestKey,
            problems: r.problems,
          });
        else if (r.ok)
          process.stdout.write(
            `${pc.green('ok')} ${r.version.model}@${r.version.version}: ${r.manifest!.files.length} files match their sha256\n`,
          );
        else {
          process.stdout.write(`${pc.red('FAILED')} ${r.version.model}@${r.version.version}:\n`);
          for (const p of r.problems) process.stdout.write(`  ${p.file}: ${p.problem} (${p.key})\n`);
        }
        process.exitCode = r.ok ? 0 : 1;
      });
    });
}
