import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderedApp } from '../../../shared/fleet/render-apps';
import { FleetService } from '../../../electron/services/fleet-service';
import { renderApps } from '../../../electron/services/render-service';
import { exampleRepo } from '../../helpers/git-fixtures';

describe('renderApps', () => {
  let repo: { dir: string; cleanup: () => void };
  beforeAll(() => {
    repo = exampleRepo();
  });
  afterAll(() => repo.cleanup());

  it("renders a cluster's apps except those excluded, and excluding every one is no error", async () => {
    const fleet = await FleetService.open(repo.dir);
    const all: RenderedApp[] = [];
    await renderApps(fleet, { cluster: 'prod' }, (r) => all.push(r));
    expect(all.map((r) => r.app)).toContain('api-prod');
    const rest: RenderedApp[] = [];
    const summary = await renderApps(fleet, { cluster: 'prod', exclude: ['api-prod'], order: 'source' }, (r) => rest.push(r));
    expect(rest.map((r) => r.app).sort()).toEqual(all.map((r) => r.app).filter((a) => a !== 'api-prod').sort());
    expect(summary.rendered).toBe(rest.length);
    const none: RenderedApp[] = [];
    expect(await renderApps(fleet, { cluster: 'prod', exclude: all.map((r) => r.app) }, (r) => none.push(r))).toEqual({ rendered: 0, failed: 0 });
    expect(none).toEqual([]);
  });
});
