import { useState } from 'preact/hooks';
import { ApiError, apiFor } from '../lib/api.js';
import type { Session } from '../lib/session.js';
import type { Me } from '../lib/types.js';

/** Sign in with an API key: the server says whose key it is (GET /me); the key stays in this tab. */
export function SignInPage({
  onSignedIn,
  notice,
}: {
  readonly onSignedIn: (session: Session) => void;
  readonly notice: string | null;
}) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) {
      setError('Paste your API key.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const me = await apiFor({ key: trimmed }).get<Me>('/me');
      onSignedIn({ key: trimmed, name: me.name, role: me.role });
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.status === 401
          ? 'This key is not known to the server.'
          : failure instanceof Error
            ? failure.message
            : String(failure),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="sign-in">
      <h1>Commitments tracker</h1>
      <p>Sign in with your API key. It is kept in this browser tab only, until you sign out or close it.</p>
      {notice ? (
        <p class="notice" role="status">
          You were signed out: {notice}
        </p>
      ) : null}
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="api-key">API key</label>
          <input
            id="api-key"
            name="api-key"
            type="password"
            autocomplete="off"
            spellcheck={false}
            value={key}
            onInput={(event) => setKey(event.currentTarget.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'api-key-error' : undefined}
          />
          {error ? (
            <p id="api-key-error" class="field-error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
