import { describe, expect, it } from 'vitest';
import { gridRowKey } from '../../../shared/fleet/grid';

describe('gridRowKey: one row per app across clusters', () => {
  it('drops the cluster from ApplicationSet-style names', () => {
    expect(gridRowKey('frontend-dev', 'dev')).toBe('frontend');
    expect(gridRowKey('dev-frontend', 'dev')).toBe('frontend');
  });

  it('drops the @cluster of a Flux object declared for several clusters, so its instances share a row', () => {
    expect(gridRowKey('flux-system/apps@staging', 'staging')).toBe('flux-system/apps');
    expect(gridRowKey('flux-system/apps@production', 'production')).toBe('flux-system/apps');
    // Only its own cluster's suffix, and never to an empty name.
    expect(gridRowKey('flux-system/apps@staging', 'production')).toBe('flux-system/apps@staging');
    expect(gridRowKey('@dev', 'dev')).toBe('@dev');
  });
});
