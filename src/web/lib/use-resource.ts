import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';

export interface Resource<T> {
  readonly data: T | undefined;
  readonly error: ApiError | undefined;
  readonly loading: boolean;
  /** Loads again; the data on screen stays until the new answer arrives. */
  reload(): Promise<void>;
}

/**
 * Data from the API for as long as `key` stays the same: a new key loads afresh (an answer to an older
 * key that arrives late is dropped). `load` receives an AbortSignal cancelled when the key changes.
 */
export function useResource<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const [state, setState] = useState<{ key: string; data?: T; error?: ApiError; loading: boolean }>({
    key,
    loading: true,
  });
  const current = useRef<{ key: string; controller: AbortController } | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback(async (runKey: string) => {
    current.current?.controller.abort();
    const controller = new AbortController();
    current.current = { key: runKey, controller };
    setState((previous) => ({ ...(previous.key === runKey ? previous : { key: runKey }), loading: true }));
    try {
      const data = await loadRef.current(controller.signal);
      if (current.current?.controller === controller) setState({ key: runKey, data, loading: false });
    } catch (error) {
      if (controller.signal.aborted) return;
      const failure = error instanceof ApiError ? error : new ApiError(unexpected(error));
      if (current.current?.controller === controller)
        setState({ key: runKey, error: failure, loading: false });
    }
  }, []);

  useEffect(() => {
    void run(key);
    return () => current.current?.controller.abort();
  }, [key, run]);

  const reload = useCallback(() => run(key), [key, run]);
  const fresh = state.key === key;
  return {
    data: fresh ? state.data : undefined,
    error: fresh ? state.error : undefined,
    loading: !fresh || state.loading,
    reload,
  };
}

function unexpected(error: unknown) {
  return {
    type: 'about:blank',
    title: 'Unexpected error',
    status: 0,
    detail: error instanceof Error ? error.message : String(error),
  };
}
