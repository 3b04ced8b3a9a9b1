import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppTreeView } from '../../../shared/api/app-live';
import { getApi } from '../api/bridge';

/** The app page's live read of one app's tree and events, as its Tree and Events tabs show it. */
export interface AppTreeRead {
  readonly view?: AppTreeView | undefined;
  readonly error?: string | undefined;
  readonly loading: boolean;
  /** Reads the cluster again now. */
  readonly reload: () => void;
}

interface ReadState {
  readonly key: string;
  readonly generation: unknown;
  readonly view?: AppTreeView | undefined;
  readonly error?: string | undefined;
  readonly loading: boolean;
}

/**
 * One live read shared by the Tree and Events tabs: the tab opened second shows the first one's read (with its age and a
 * Reload) instead of reading the cluster again. A new `generation` (the app's detail reloaded after a sync or a refresh)
 * or another app makes the next active tab read again; nothing is read while `active` is false.
 */
export function useAppTreeRead(app: string, cluster: string, generation: unknown, active: boolean): AppTreeRead {
  const key = `${app}\u0000${cluster}`;
  const [state, setState] = useState<ReadState>({ key: '', generation: undefined, loading: false });
  const latest = useRef(0);
  const reload = useCallback(() => {
    const seq = ++latest.current;
    // The previous view of the same app stays on screen while it is read again; another app's never does.
    setState((s) => ({ ...(s.key === key ? { view: s.view } : {}), key, generation, loading: true }));
    getApi()['app:tree']({ app, cluster }).then(
      (view) => seq === latest.current && setState({ key, generation, view, loading: false }),
      (e: unknown) => seq === latest.current && setState((s) => ({ ...(s.key === key ? { view: s.view } : {}), key, generation, error: e instanceof Error ? e.message : String(e), loading: false })),
    );
  }, [app, cluster, key, generation]);
  const current = state.key === key && state.generation === generation;
  useEffect(() => {
    if (active && !current) reload();
  }, [active, current, reload]);
  return state.key === key ? { view: state.view, error: state.error, loading: state.loading || (active && !current), reload } : { loading: active, reload };
}
