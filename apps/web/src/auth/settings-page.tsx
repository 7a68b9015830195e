import { useState } from 'preact/hooks';
import { useAuth } from './auth-context.js';

/** The API token field: stored in this browser's localStorage and sent as a bearer token. */
export function SettingsPage() {
  const { token, setToken } = useAuth();
  const [text, setText] = useState(token);
  const [shown, setShown] = useState(false);
  const [saved, setSaved] = useState('');
  return (
    <section aria-labelledby="settings-title">
      <div class="page-head">
        <h1 id="settings-title">API token</h1>
      </div>
      <p>
        When the API is started with tokens (<code>MYELIN_API_TOKENS</code> or the stack file), the page needs
        one: the <code>read</code> scope to view runs and models, <code>runs:write</code> to start and cancel
        runs, <code>models:write</code> to move aliases. An API on a loopback address without tokens needs
        none.
      </p>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setToken(text.trim());
          setSaved(text.trim() ? 'Saved in this browser.' : 'Token forgotten.');
        }}
      >
        <label class="grow">
          Token
          <input
            name="token"
            type={shown ? 'text' : 'password'}
            autoComplete="off"
            value={text}
            onInput={(e) => setText((e.target as HTMLInputElement).value)}
          />
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={shown}
            onChange={(e) => setShown((e.target as HTMLInputElement).checked)}
          />{' '}
          show
        </label>
        <button type="submit" class="button primary">
          Save
        </button>
        <button
          type="button"
          class="button"
          onClick={() => {
            setText('');
            setToken('');
            setSaved('Token forgotten.');
          }}
        >
          Forget
        </button>
        <span role="status">{saved}</span>
      </form>
    </section>
  );
}
