import { describe, expect, it } from 'vitest';
import type { GridCell } from '../../../shared/fleet/grid';
import { buildGrid } from '../../../shared/fleet/grid';
import { packGrid, unpackGrid, withPackedSignatures } from '../../../shared/fleet/grid-pack';
import { withSignatures } from '../../../shared/fleet/revision-signature';
import type { CommitSignature } from '../../../shared/repo/signature';

const cell = (app: string, cluster: string, extra: Partial<GridCell> = {}): GridCell => ({
  app, cluster, sync: 'Synced', health: 'Healthy', healthMessage: '', version: '1.0.0', revision: 'a'.repeat(40), outOfSync: 0, observedAt: '2026-01-01T00:00:00.000Z', ...extra,
});

describe('the packed grid', () => {
  it('unpacks to the very grid it packed: optional fields absent stay absent, present ones (controller and signature included) come back', () => {
    const good = { commit: 'b'.repeat(40), status: 'good', format: 'ssh', signer: 'alice@example.com', key: 'SHA256:abc' } as const;
    const bad = { commit: 'c'.repeat(40), status: 'bad', detail: 'does not verify' } as const;
    const grid = buildGrid(
      [
        cell('web-dev', 'dev', { signature: good }),
        cell('web-prod', 'prod', { sync: 'OutOfSync', outOfSync: 3, desiredVersion: '1.1.0', runningVersion: '1.0.0', error: 'boom', signature: good }),
        cell('api-prod', 'prod', { unreachable: 'cluster prod unreachable', controller: { controller: 'Argo CD', kind: 'Application', name: 'api-prod', namespace: 'argocd', sync: 'Synced' } as unknown as GridCell['controller'], signature: bad }),
        cell('api-dev', 'dev', { controller: { controller: 'Argo CD', kind: 'Application', name: 'api-dev', namespace: 'argocd', sync: 'Synced' } as unknown as GridCell['controller'] }),
      ],
      [{ name: 'dev', environment: 'dev' }, { name: 'prod', environment: 'prod' }],
      (app) => (app.startsWith('web') ? { appset: 'apps', origin: 'ApplicationSet apps', labels: { team: 'a' } } : {}),
    );
    const back = unpackGrid(JSON.parse(JSON.stringify(packGrid(grid))));
    expect(back).toEqual(grid);
    expect('desiredVersion' in back.rows.find((r) => r.key === 'web')!.cells.dev!).toBe(false);
    expect(back.rows.find((r) => r.key === 'api')!.appset).toBeUndefined();
    expect('signature' in back.rows.find((r) => r.key === 'api')!.cells.dev!).toBe(false);
    // Two cells run the signed commit: its verdict travels once.
    expect(packGrid(grid).signatures).toHaveLength(2);
  });

  it('sends each repeated string once: 1,000 apps × 10 clusters pack to under a third of the plain JSON', () => {
    const clusters = Array.from({ length: 10 }, (_, i) => ({ name: `c${i}`, environment: `e${i % 5}` }));
    const cells = clusters.flatMap((c) => Array.from({ length: 1000 }, (_, a) => cell(`app-${a}-${c.name}`, c.name, { healthMessage: 'not refreshed yet: press Refresh to read the clusters' })));
    const grid = buildGrid(cells, clusters);
    const plain = JSON.stringify(grid).length;
    const packed = JSON.stringify(packGrid(grid)).length;
    expect(packed).toBeLessThan(plain / 3);
    expect(unpackGrid(packGrid(grid))).toEqual(grid);
  });

  it('signs a packed grid as packing the signed grid does: the same cells, signatures numbered in the same order, kept ones kept', () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    const c = 'c'.repeat(40);
    const old: CommitSignature = { commit: c, status: 'unsigned' };
    const argo = { controller: 'Argo CD', kind: 'Application', name: 'x', namespace: 'argocd', sync: 'Synced', revision: b } as unknown as GridCell['controller'];
    const grid = buildGrid(
      [
        cell('web-dev', 'dev'),
        cell('web-prod', 'prod', { revision: 'not-a-commit' }),
        // Argo CD applied b: the cell runs b, whatever Flotilla recorded.
        cell('api-dev', 'dev', { controller: argo }),
        cell('api-prod', 'prod', { revision: c, signature: old }),
        cell('db-dev', 'dev', { revision: b }),
      ],
      [{ name: 'dev', environment: 'dev' }, { name: 'prod', environment: 'prod' }],
    );
    const verdicts = new Map<string, CommitSignature>([[b, { commit: b, status: 'good', format: 'ssh', signer: 'alice@example.com', key: 'SHA256:k' }], [a, { commit: a, status: 'bad', detail: 'no' }]]);
    const expected = packGrid(withSignatures(grid, verdicts));
    expect(JSON.stringify(withPackedSignatures(packGrid(grid), verdicts))).toBe(JSON.stringify(expected));
    // Rows by key (api, db, web), cells in order: b (Argo CD's), c (kept), b, a.
    expect(expected.signatures.map((s) => s.commit)).toEqual([b, c, a]);
    expect(JSON.stringify(withPackedSignatures(packGrid(grid), new Map()))).toBe(JSON.stringify(packGrid(grid)));
  });
});
