/**
 * The MLflow tracking URI the mirror should use, or null when mirroring is off:
 * `MYELIN_MLFLOW_URI` when set (non-empty), else the stack file's `mlflow.uri`.
 *
 * @example
 * const uri = mlflowMirrorUri(stackConfig.mlflow?.uri);
 * if (uri) mirror = createMlflowMirror({ uri, meta, store });
 */
export function mlflowMirrorUri(
  stackFileUri?: string | null,
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  const fromEnv = env.MYELIN_MLFLOW_URI?.trim();
  if (fromEnv) return fromEnv;
  const fromFile = stackFileUri?.trim();
  return fromFile ? fromFile : null;
}
