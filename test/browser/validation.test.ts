import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAccessibility, screenshotDir, shoot } from '../helpers/browser';
import { openUi, useServedUi } from '../helpers/served-ui';
import type { Fleet } from '../electron/services/promotion/fleet-fixture';
import { fleetWith } from '../electron/services/promotion/validation-fixture';
import { git } from '../helpers/git-fixtures';

// Validation in the UI, served by flotilla serve: the findings count in the fleet grid, the app page's Validation tab
// (per cluster, each finding linked to its file and line in the repository), and the findings of a promotion plan
// whose prod gate fails on a privileged container.

describe('validation in the UI (Chromium, flotilla serve)', () => {
  let f: Fleet;
  let head: string;
  const ui = useServedUi({
    repo: () => {
      f = fleetWith({ staging: true, prod: false });
      head = git(f.work, 'rev-parse', 'HEAD').trim();
      return { dir: f.work, data: path.dirname(f.storeFile) };
    },
    prepare: ({ data }) => ({ KUBECONFIG: path.join(data, 'no-kubeconfig') }),
  });

  // One test: the promotion fleet's folders are removed after each test.
  it('counts findings per app × cluster in the grid, lists them on the Validation tab and in the promotion plan', async () => {
    const { page, errors } = await openUi(ui, { viewport: { width: 1400, height: 1000 } });
    const staging = page.getByRole('button', { name: /^api-staging on staging: .*, \d+ findings(, [^,]+)?$/ });
    await staging.waitFor({ timeout: 60_000 });
    const count = staging.locator('.findings-count');
    expect(await count.getAttribute('class')).toBe('findings-count error');
    expect(Number(await count.textContent())).toBeGreaterThan(1);
    expect(await page.getByRole('button', { name: /^api-prod on prod: .*, \d+ findings(, [^,]+)?$/ }).locator('.findings-count').getAttribute('class')).toBe('findings-count warning');
    // The count sits beside the version, a badge of its own width, and leaves the cell's badges in view (as a flex
    // item of the cell it was a bar as wide as the cell, pushing the badges out of the row's height).
    const cellBox = (await staging.boundingBox())!;
    const countBox = (await count.boundingBox())!;
    const badges = (await staging.locator('.cell-status').boundingBox())!;
    const version = (await staging.locator('.cell-version').boundingBox())!;
    expect(countBox.width).toBeLessThan(40);
    expect(countBox.x).toBeGreaterThanOrEqual(version.x + version.width);
    expect(badges.y).toBeGreaterThanOrEqual(cellBox.y);
    expect(countBox.y + countBox.height).toBeLessThanOrEqual(cellBox.y + cellBox.height);
    expect(countBox.y).toBeGreaterThanOrEqual(badges.y + badges.height - 1);
    await shoot(page, 'validation-grid');

    // The app page's Validation tab: every finding with its file:line linked to the repository.
    await page.goto(`${ui.serve.url}#/apps/api-staging/staging/Validation`);
    const tab = page.getByRole('table', { name: 'Validation of api-staging on staging: findings' });
    await tab.waitFor({ timeout: 60_000 });
    expect(await page.getByLabel('Validation summary').textContent()).toMatch(/^\d+ objects against Kubernetes 1\.3\d\.\d+ \(k8s\.io\/kubernetes@v1\.3\d\.\d+ api\/openapi-spec\/v3\) at [0-9a-f]{7}: \d+ errors, \d+ warnings$/);
    const finding = tab.getByRole('row').filter({ hasText: 'lint/privileged-container' });
    expect(await finding.textContent()).toContain('Deployment api: container "api" is privileged');
    const link = finding.getByRole('link', { name: 'apps/api/overlays/staging/resources-patch.yaml:12:13' });
    expect(await link.getAttribute('href')).toBe(`https://git.example.com/platform/fleet/blob/${head}/apps/api/overlays/staging/resources-patch.yaml#L12`);
    expect(await page.getByRole('table', { name: 'Validation of api-staging on staging: security scores' }).textContent()).toContain('failed');
    await shoot(page, 'validation-tab');
    await checkAccessibility(page, 'validation tab');

    // The promotion plan: the promoted state's findings on prod, and the failed validation gate.
    await page.getByRole('button', { name: 'Promotions' }).click();
    // The pipeline graph: prod requires validation; promoting staging's privileged api container there would fail it,
    // which the prod node says (the promoted state rendered and validated per target cluster, as the plan does).
    const prodGates = page.getByRole('article', { name: 'Stage prod' }).getByRole('list', { name: 'Gates into prod' });
    await expect.poll(() => prodGates.textContent(), { timeout: 60_000 }).toMatch(/✗ validation fails: \d+ of \d+ app × clusters? pass \(schema, lint errors, score ≥ 0\)/);
    expect(await prodGates.textContent()).toMatch(/api on prod: \d+ findings block \(.*\): .*privileged/);
    expect(await page.getByRole('article', { name: 'Stage prod' }).getAttribute('class')).toContain('gated');
    // Staging requires none: no validation line there.
    expect(await page.getByRole('article', { name: 'Stage staging' }).textContent()).not.toContain('validation');
    await shoot(page, 'validation-pipeline-graph');
    await checkAccessibility(page, 'pipeline graph with a validation gate');
    const table = page.getByRole('table', { name: 'Versions of pipeline apps' });
    await table.getByRole('button', { name: 'Promote api staging → prod' }).click();
    const dialog = page.getByRole('dialog', { name: 'Plan: api staging → prod' });
    const findings = dialog.getByRole('table', { name: 'Validation of api on prod: findings' });
    await findings.waitFor({ timeout: 60_000 });
    const row = findings.getByRole('row').filter({ hasText: 'lint/privileged-container' });
    expect(await row.getByRole('link').textContent()).toBe('apps/api/overlays/prod/resources-patch.yaml:12:13');
    expect(await dialog.getByRole('table', { name: 'Gates' }).textContent()).toMatch(/validationFAILapi on prod: \d+ findings block/);
    await findings.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshotDir, 'validation-plan.png') });
    expect(errors).toEqual([]);
  }, 240_000);
});
