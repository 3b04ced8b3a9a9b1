import { describe, expect, it } from 'vitest';
import type { Route } from '../../../shared/nav/routes';
import { deepLinkFromArgv, deepLinkToHash, HOME_ROUTE, parseRoute, routeToHash } from '../../../shared/nav/routes';

describe('routes: every place in the UI has a URL', () => {
  const places: readonly [Route, string][] = [
    [{ page: 'fleet' }, '#/fleet'],
    [{ page: 'applications' }, '#/applications'],
    [{ page: 'reports' }, '#/reports'],
    [{ page: 'applicationsets' }, '#/applicationsets'],
    [{ page: 'applicationsets', file: 'appsets/apps.yaml' }, '#/applicationsets/appsets/apps.yaml'],
    [{ page: 'promotions' }, '#/promotions'],
    [{ page: 'promotions', id: 12 }, '#/promotions/12'],
    [{ page: 'clusters' }, '#/clusters'],
    [{ page: 'clusters', cluster: 'prod-eu' }, '#/clusters/prod-eu'],
    [{ page: 'app', app: 'frontend-dev', cluster: 'dev' }, '#/apps/frontend-dev/dev'],
    [{ page: 'app', app: 'frontend-dev', cluster: 'dev', tab: 'Diff' }, '#/apps/frontend-dev/dev/Diff'],
  ];
  it.each(places)('%j ⇄ %s', (route, hash) => {
    expect(routeToHash(route)).toBe(hash);
    expect(parseRoute(hash)).toEqual(route);
  });

  it('escapes names that hold slashes, spaces or # so they come back whole', () => {
    const route: Route = { page: 'app', app: 'a b#c', cluster: 'x/y', tab: 'History' };
    const hash = routeToHash(route);
    expect(hash).toBe('#/apps/a%20b%23c/x%2Fy/History');
    expect(parseRoute(hash)).toEqual(route);
  });

  it('reads the empty URL as the Fleet page and tolerates a trailing slash or a query', () => {
    expect(parseRoute('')).toEqual(HOME_ROUTE);
    expect(parseRoute('#/')).toEqual(HOME_ROUTE);
    expect(parseRoute('#/clusters/dev/')).toEqual({ page: 'clusters', cluster: 'dev' });
    expect(parseRoute('#/promotions?x=1')).toEqual({ page: 'promotions' });
  });

  it('names nothing for unknown pages, malformed ids or escapes, and extra segments', () => {
    for (const bad of ['#/nope', '#/promotions/12a', '#/promotions/-1', '#/apps/only-app', '#/apps/a/b/c/d', '#/fleet/x', '#/clusters/%E0%A4%A', '#/apps//dev']) {
      expect(parseRoute(bad), bad).toBeUndefined();
    }
  });
});

describe('flotilla:// deep links map to the same routes', () => {
  it('accepts host-style, path-style and hash-style links', () => {
    expect(deepLinkToHash('flotilla://apps/frontend-dev/dev/Diff')).toBe('#/apps/frontend-dev/dev/Diff');
    expect(deepLinkToHash('flotilla:///clusters/prod')).toBe('#/clusters/prod');
    expect(deepLinkToHash('FLOTILLA://promotions/3')).toBe('#/promotions/3');
    expect(deepLinkToHash('flotilla://open#/apps/api/staging')).toBe('#/apps/api/staging');
  });

  it('refuses other schemes and places that do not exist', () => {
    expect(deepLinkToHash('https://apps/frontend/dev')).toBeUndefined();
    expect(deepLinkToHash('flotilla://evil/../x')).toBeUndefined();
    expect(deepLinkToHash('flotilla://promotions/abc')).toBeUndefined();
  });

  it('finds the link among the arguments a second instance is started with', () => {
    expect(deepLinkFromArgv(['/usr/bin/flotilla', '--no-sandbox', 'flotilla://reports'])).toBe('#/reports');
    expect(deepLinkFromArgv(['/usr/bin/flotilla', '--repo=/x'])).toBeUndefined();
  });
});
