import { existsSync, realpathSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isMyelinError, MyelinError, MyelinErrorList } from '@myelin/errors';
import { locateField, parseSpec, type LoadedSpec } from '@myelin/spec';
import type { MetadataStore } from '@myelin/registry';
import { checkDataPaths } from '@myelin/pipeline';
import { applyOverrides, mapLineBack, type OverrideEdit } from './apply-overrides.js';

/** The pipeline part of `POST /api/runs`. */
export interface PipelineRequest {
  /** Pipeline YAML text. */
  spec?: string;
  /** Name of a pipeline that ran before: its latest recorded spec text runs again. */
  pipeline?: string;
  /** File name shown in messages. @defaultValue 'pipeline.yaml' (or `<name>.yaml` for `pipeline`) */
  file?: string;
  /** Field path → value, applied to the YAML document before it is checked. */
  overrides?: Record<string, unknown>;
  /**
   * Absolute folder of the client's pipeline file: relative data paths resolve against it when it
   * lies inside the server's pipelines folder (a narrower folder, never a wider one); else 400.
   */
  baseDir?: string;
}

/** Where a request's pipeline came from and the folder its relative data paths resolve against. */
export interface LoadedPipelineRequest {
  loaded: LoadedSpec;
  source: 'spec' | 'pipeline';
  dataDir: string;
}

/** What {@link loadPipelineRequest} needs from the server. */
export interface PipelineRequestContext {
  meta: MetadataStore;
  /** The one folder runs submitted through the API may read files from. */
  pipelinesDir: string;
}

/** The path with symlinks resolved where it exists. */
function real(p: string): string {
  try {
    return existsSync(p) ? realpathSync(p) : p;
  } catch {
    return p;
  }
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(real(dir), real(path));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** The folder a request's relative data paths resolve against: the pipelines folder or a folder inside it. */
function dataDirOf(req: PipelineRequest, pipelinesDir: string): string {
  const root = resolve(pipelinesDir);
  if (req.baseDir === undefined) return root;
  if (!isAbsolute(req.baseDir)) {
    throw new MyelinError('MYELIN_ERR_API_REQUEST', 'baseDir must be an absolute folder path', {
      path: 'body.baseDir',
    });
  }
  const dir = resolve(req.baseDir);
  if (!isInside(dir, root)) {
    throw new MyelinError(
      'MYELIN_ERR_DATA_PATH_OUTSIDE',
      `baseDir ${req.baseDir} is outside the server's pipelines folder; runs submitted through the API read files only inside it (start the API with --pipelines-dir, or leave baseDir out)`,
      { path: 'body.baseDir' },
    );
  }
  return dir;
}

/** A data-path error of a checked spec, located in the pipeline text at its field. */
function locatedAt(e: MyelinError, text: string, file: string): MyelinError {
  const field = e.location?.path;
  if (!field) return new MyelinError(e.code, e.detail, { file, path: 'data.source' });
  const { line, column } = locateField(text, field.split('.'));
  return new MyelinError(e.code, e.detail, { file, line, column, path: field });
}

function matchesPath(errorPath: string | undefined, edit: OverrideEdit): boolean {
  if (!errorPath) return false;
  if (errorPath === edit.path) return true;
  const next = errorPath.charAt(edit.path.length);
  return errorPath.startsWith(edit.path) && (next === '.' || next === '[');
}

/** Points messages of the overridden text back at the client's text (or at the override that caused them). */
function relocate(e: MyelinError, edits: readonly OverrideEdit[]): MyelinError {
  const loc = e.location;
  if (!loc || edits.length === 0) return e;
  const by = edits.find((edit) => matchesPath(loc.path, edit));
  if (by) {
    return new MyelinError(e.code, `${e.detail} (set by the override "${by.key}")`, {
      ...(loc.file !== undefined ? { file: loc.file } : {}),
      path: loc.path!,
    });
  }
  if (loc.line === undefined) return e;
  return new MyelinError(e.code, e.detail, { ...loc, line: mapLineBack(loc.line, edits) });
}

/**
 * Turns the pipeline part of a run request into a checked spec: the YAML text sent, or the latest
 * spec text recorded for a pipeline name; overrides applied to the document before it is checked;
 * data paths resolving against the server's pipelines folder (or a `baseDir` inside it), and every
 * path the pipeline names (`data.source`, `validate.schema`) checked against that folder before the
 * run is accepted. Throws the spec parser's located errors (pointing at the client's text), a
 * located `MYELIN_ERR_DATA_PATH_OUTSIDE` / `MYELIN_ERR_DATA_READ` / `MYELIN_ERR_DATA_FORMAT`, or
 * `MYELIN_ERR_API_OVERRIDE` / `MYELIN_ERR_API_REQUEST` / `MYELIN_ERR_REGISTRY_NOT_FOUND`.
 */
export async function loadPipelineRequest(
  req: PipelineRequest,
  ctx: PipelineRequestContext,
): Promise<LoadedPipelineRequest> {
  if ((req.spec === undefined) === (req.pipeline === undefined)) {
    throw new MyelinError(
      'MYELIN_ERR_API_REQUEST',
      'send exactly one of "spec" (pipeline YAML text) and "pipeline" (the name of a pipeline that ran before)',
      { path: 'body' },
    );
  }
  let text: string;
  let file: string;
  if (req.pipeline !== undefined) {
    const { runs } = await ctx.meta.listRuns({ pipeline: req.pipeline, limit: 1 });
    const latest = runs[0];
    if (!latest) {
      throw new MyelinError(
        'MYELIN_ERR_REGISTRY_NOT_FOUND',
        `no pipeline named "${req.pipeline}" has run yet; send its YAML text as "spec"`,
        { path: 'body.pipeline' },
      );
    }
    text = latest.specText;
    file = req.file ?? `${req.pipeline}.yaml`;
  } else {
    text = req.spec!;
    file = req.file ?? 'pipeline.yaml';
  }
  const dataDir = dataDirOf(req, ctx.pipelinesDir);
  const { text: finalText, edits } = applyOverrides(text, req.overrides ?? {});
  let parsed: LoadedSpec;
  try {
    parsed = parseSpec(finalText, file);
  } catch (e) {
    if (e instanceof MyelinErrorList) throw new MyelinErrorList(e.errors.map((x) => relocate(x, edits)));
    if (e instanceof MyelinError) throw relocate(e, edits);
    throw e;
  }
  const loaded: LoadedSpec = { ...parsed, file: join(dataDir, basename(file)), dir: dataDir };
  try {
    checkDataPaths(
      loaded,
      false,
      "runs submitted through the API read files only inside the server's pipelines folder",
    );
  } catch (e) {
    if (isMyelinError(e)) throw relocate(locatedAt(e, finalText, file), edits);
    throw e;
  }
  return {
    loaded,
    source: req.pipeline !== undefined ? 'pipeline' : 'spec',
    dataDir,
  };
}
