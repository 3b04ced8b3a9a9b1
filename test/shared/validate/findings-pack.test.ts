import { describe, expect, it } from 'vitest';
import type { FleetValidationView } from '../../../shared/api/contract';
import { packFindings, unpackFindings } from '../../../shared/validate/findings-pack';

describe('the packed fleet findings', () => {
  const view: FleetValidationView = {
    revision: 'a'.repeat(40),
    cells: [
      { app: 'web-dev', cluster: 'dev', errors: 0, warnings: 2 },
      { app: 'web-prod', cluster: 'prod', errors: 1, warnings: 0 },
      { app: 'api', cluster: 'dev', errors: 0, warnings: 0 },
      { app: 'api', cluster: 'prod', errors: 3, warnings: 4 },
    ],
    problems: [{ severity: 'error', message: 'web-prod does not render', app: 'web-prod', cluster: 'prod' }],
  };

  it('unpacks to the very cells it packed, in order, after a trip through JSON', () => {
    expect(unpackFindings(JSON.parse(JSON.stringify(packFindings(view))))).toEqual(view);
  });

  it('carries each app and cluster name once, each cell as four numbers', () => {
    const p = packFindings(view);
    expect(p.apps).toEqual(['web-dev', 'web-prod', 'api']);
    expect(p.clusters).toEqual(['dev', 'prod']);
    expect(p.counts).toEqual([0, 0, 0, 2, 1, 1, 1, 0, 2, 0, 0, 0, 2, 1, 3, 4]);
  });

  it('refuses a cell whose index is outside the tables, naming the cell', () => {
    const p = packFindings(view);
    expect(() => unpackFindings({ ...p, counts: [...p.counts, 7, 0, 1, 0] })).toThrow(/cell 4 names app 7 and cluster 0, outside the tables \(3 apps, 2 clusters\)/);
    expect(() => unpackFindings({ ...p, counts: [0, 1, 2] })).toThrow(/3 numbers is not four per cell/);
  });
});
