import { useState } from 'preact/hooks';
import { api } from '../api/api-client.js';
import { ApiError } from '../api/api-error.js';
import { ErrorNotice } from '../layout/error-notice.js';

/** Points an alias at a version (needs the models:write scope); the reason goes into the history. */
export function MoveAliasForm({
  model,
  versions,
  aliases,
  onMoved,
}: {
  model: string;
  versions: number[];
  aliases: string[];
  onMoved(): void;
}) {
  const [alias, setAlias] = useState(aliases[0] ?? 'production');
  const [version, setVersion] = useState(String(versions.at(-1) ?? ''));
  const [why, setWhy] = useState('');
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [done, setDone] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    setDone('');
    try {
      await api(`/api/models/${encodeURIComponent(model)}/aliases`, {
        method: 'POST',
        body: { alias: alias.trim(), version: Number(version), ...(why.trim() ? { why: why.trim() } : {}) },
      });
      setError(undefined);
      setDone(`${alias} → v${version}`);
      onMoved();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, undefined, String(err)));
    }
  };
  return (
    <form class="inline-form" onSubmit={(e) => void submit(e)} aria-label="Move an alias">
      <label>
        Alias
        <input
          name="alias"
          value={alias}
          list="alias-names"
          required
          onInput={(e) => setAlias((e.target as HTMLInputElement).value)}
        />
        <datalist id="alias-names">
          {aliases.map((a) => (
            <option value={a} key={a} />
          ))}
        </datalist>
      </label>
      <label>
        Version
        <select
          name="version"
          value={version}
          onChange={(e) => setVersion((e.target as HTMLSelectElement).value)}
        >
          {[...versions].reverse().map((v) => (
            <option value={v} key={v}>
              v{v}
            </option>
          ))}
        </select>
      </label>
      <label class="grow">
        Why
        <input
          name="why"
          value={why}
          placeholder="promoted after review"
          onInput={(e) => setWhy((e.target as HTMLInputElement).value)}
        />
      </label>
      <button type="submit" class="button">
        Move alias
      </button>
      {done ? (
        <span class="badge status-succeeded" role="status">
          moved {done}
        </span>
      ) : null}
      {error ? <ErrorNotice error={error} what="move the alias" /> : null}
    </form>
  );
}
