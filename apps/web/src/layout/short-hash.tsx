/** A long hash or artifact key shortened for tables, whole in its tooltip and for copying. */
export function ShortHash({ value }: { value: string | null | undefined }) {
  if (!value) return <span class="muted">–</span>;
  const bare = value.replace(/^sha256[/:]([0-9a-f]{2}\/)?/, '');
  return (
    <code class="hash" title={value}>
      {bare.slice(0, 12)}
    </code>
  );
}
