import { describe, expect, it } from 'vitest';
import { sortInGridOrder } from '../../../electron/store/grid-order';
import { seededRandom } from '../../helpers/seeded-random';

interface Row {
  readonly environment: string;
  readonly cluster: string;
  readonly app: string;
  readonly n: number;
}

const names = { environment: (r: Row) => r.environment, cluster: (r: Row) => r.cluster, app: (r: Row) => r.app, id: (r: Row) => r.n };

/** The order the store used to sort with: three localeCompares per comparison, stable (rows listed in id order). */
function byLocaleCompare(rows: readonly Row[]): Row[] {
  return [...rows].sort((a, b) => a.environment.localeCompare(b.environment) || a.cluster.localeCompare(b.cluster) || a.app.localeCompare(b.app));
}

describe('sortInGridOrder', () => {
  it('orders as three localeCompares do: case, digits, accents, names that compare equal, and ties kept in their order', () => {
    // 'é' composed and decomposed compare equal under localeCompare but are different strings.
    const pool = ['', 'web', 'Web', 'web-admin', 'Web-admin', 'app-10', 'app-9', 'app-09', 'élan', 'e\u0301lan', 'elan', 'zeta', 'Zeta', 'prod-eu', 'prod-us', 'dev', 'staging', 'a b', 'a-b', 'a_b'];
    const next = seededRandom(15);
    const pick = (): string => pool[Math.floor(next() * pool.length)]!;
    for (let round = 0; round < 20; round++) {
      const rows: Row[] = Array.from({ length: 300 }, (_, n) => ({ environment: pick(), cluster: pick(), app: pick(), n }));
      expect(sortInGridOrder([...rows], names).map((r) => r.n)).toEqual(byLocaleCompare(rows).map((r) => r.n));
    }
  });

  it('orders a fleet of 10,000 apps × 3 clusters as localeCompare does, whether its rows come in app order or not', () => {
    const rows: Row[] = [];
    for (let a = 1; a <= 10_000; a++) for (const cluster of ['prod-01', 'dev-01', 'staging-01']) rows.push({ environment: cluster.split('-')[0]!, cluster, app: `app-${a}-${cluster}`, n: rows.length });
    expect(sortInGridOrder([...rows], names).map((r) => r.n)).toEqual(byLocaleCompare(rows).map((r) => r.n));
    const shuffled = [...rows].sort((a, b) => ((a.n * 7919) % 30_011) - ((b.n * 7919) % 30_011)).map((r, n) => ({ ...r, n }));
    expect(sortInGridOrder([...shuffled], names).map((r) => r.n)).toEqual(byLocaleCompare(shuffled).map((r) => r.n));
  });
});
