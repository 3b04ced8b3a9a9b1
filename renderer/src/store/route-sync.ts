import { useEffect } from 'react';
import { parseRoute } from '../../../shared/nav/routes';
import { useStore } from './index';

/** Keeps the store on the place the URL names: Back/Forward, links and deep links move the UI; a route's subject is loaded. */
export function useRouteSync(): void {
  const applyRoute = useStore((s) => s.applyRoute);
  const route = useStore((s) => s.route);
  const openAppSet = useStore((s) => s.openAppSet);
  useEffect(() => {
    const onHash = (): void => {
      const r = parseRoute(window.location.hash);
      if (r) applyRoute(r);
    };
    window.addEventListener('hashchange', onHash);
    window.addEventListener('popstate', onHash);
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('popstate', onHash);
    };
  }, [applyRoute]);
  const appSetFile = route.page === 'applicationsets' ? route.file : undefined;
  useEffect(() => {
    if (appSetFile && useStore.getState().editorFile !== appSetFile) void openAppSet(appSetFile);
  }, [appSetFile, openAppSet]);
}
