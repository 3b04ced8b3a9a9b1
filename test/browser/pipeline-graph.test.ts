// The pipeline graph on the Promotions page, in Chromium against `flotilla serve` on a clone of the example fleet with
// a real remote and a real store: stages as nodes in promotion order (a fan-out stacked in one column), versions per
// app, each gate's verdict now (a freeze window closing staging, the soak and approval into prod); a failing gate
// disables Confirm with its reason, a frozen stage's promote actions are disabled with the freeze as their reason, Roll
// back opens the revert's plan with its own gates, and both Promotions and Fleet say when the checkout is behind the
// promotion base. Approvals are signed with real SSH keys: the promoter's own "Approve (sign)" is shown and rejected
// (not an approver), alice's, signed in her clone, unblocks Confirm.
import path from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAccessibility, launchChromium, shoot } from '../helpers/browser';
import { git, tempDir } from '../helpers/git-fixtures';
import type { SshKey } from '../helpers/signing-keys';
import { allowedSigners, signWithSsh, sshKey } from '../helpers/signing-keys';
import { PromotionService } from '../../electron/services/promotion/promotion-service';
import type { ServeProcess } from '../helpers/serve';
import { startServe } from '../helpers/serve';
import type { Fleet } from '../electron/services/promotion/fleet-fixture';
import { promotionFleet } from '../electron/services/promotion/fleet-fixture';

describe('the pipeline graph', () => {
  let f: Fleet;
  let serve: ServeProcess;
  let browser: Browser;
  let alice: SshKey;
  let allowed: string;
  let cleanupKeys: () => void;

  beforeAll(async () => {
    const now = Date.now();
    f = promotionFleet(now);
    // alice approves prod; the promoter (pat) is an allowed signer too, but not an approver.
    const keys = tempDir('flotilla-graph-keys-');
    cleanupKeys = keys.cleanup;
    alice = sshKey(keys.dir, 'alice');
    const pat = sshKey(keys.dir, 'pat');
    allowed = allowedSigners(keys.dir, [{ principal: 'alice', key: alice }, { principal: 'pat', key: pat }]);
    signWithSsh(f.work, pat, allowed);
    // Staging frozen for the next hour; prod's freeze window long past (the example's weekly one depends on the day);
    // a canary stage fanned out from staging beside prod.
    const file = path.join(f.work, 'pipeline.yaml');
    const text = readFileSync(file, 'utf8')
      .replace('        soak: 10m\n', `        soak: 10m\n        freezeWindows:\n          - start: "${new Date(now - 3_600_000).toISOString()}"\n            end: "${new Date(now + 3_600_000).toISOString()}"\n            reason: release freeze\n`)
      .replace('          - cron: "0 16 * * 5"\n            duration: 64h\n', '          - start: "2020-01-01T00:00:00Z"\n            end: "2020-01-02T00:00:00Z"\n')
      .replace('approvers: ["platform-leads"]', 'approvers: [alice]')
      .concat('    - name: canary\n      from: staging\n      clusters: [prod]\n');
    writeFileSync(file, text);
    git(f.work, 'commit', '-qam', 'Freeze staging for the release; a canary stage');
    git(f.work, 'push', '-q', 'origin', 'main');
    serve = await startServe(f.work, path.dirname(f.storeFile), { KUBECONFIG: path.join(path.dirname(f.storeFile), 'no-kubeconfig') });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    cleanupKeys?.();
  });

  it('draws the stages with versions and gate verdicts; a failing gate disables Confirm; a freeze disables every promote action with its reason; Roll back opens its plan; the checkout against origin/main is said', async () => {
    const page = await browser.newPage({ viewport: { width: 1500, height: 1300 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${serve.url}#/promotions`);
    const graph = page.getByRole('list', { name: 'Stages of pipeline apps' });
    await graph.waitFor();
    expect(await graph.getByRole('article').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).toEqual(['Stage dev', 'Stage staging', 'Stage prod', 'Stage canary']);
    // The fan-out: prod and canary share the column after staging.
    expect(await graph.locator('.pipeline-column').nth(2).getByRole('article').count()).toBe(2);

    const dev = graph.getByRole('article', { name: 'Stage dev' });
    expect(await dev.getByRole('list', { name: 'Versions in dev' }).getByRole('listitem').allTextContents()).toEqual(['api 2.4.0', 'frontend 1.8.0', 'worker 0.9.3']);

    const staging = graph.getByRole('article', { name: 'Stage staging' });
    expect(await staging.locator('.stage-behind').textContent()).toBe('2 of 3 apps behind dev');
    expect(await staging.getByRole('list', { name: 'Gates into staging' }).textContent()).toMatch(/✗ freeze fails: staging is frozen from .* release freeze/);
    expect(await staging.getByRole('note').textContent()).toMatch(/^No promotion into staging now: staging is frozen from .*: release freeze$/);
    // Every promote action into the frozen stage is disabled, with the freeze as its description: on the graph and in
    // the table, "Promote all" and each app's.
    const described = (name: string) =>
      page.getByRole('button', { name }).evaluateAll((els) => els.map((b) => [(b as HTMLButtonElement).disabled, document.getElementById(b.getAttribute('aria-describedby') ?? '')?.textContent ?? '']));
    const frozenActions = [...(await described('Promote all dev → staging')), ...(await described('Promote frontend dev → staging')), ...(await described('Promote worker dev → staging'))];
    expect(frozenActions).toHaveLength(4);
    for (const [disabled, why] of frozenActions) {
      expect(disabled).toBe(true);
      expect(why).toMatch(/^No promotion into staging now: staging is frozen from .*: release freeze$/);
    }
    // Prod is not frozen: its actions are enabled.
    expect(await described('Promote all staging → prod')).toEqual([[false, ''], [false, '']]);

    const prod = graph.getByRole('article', { name: 'Stage prod' });
    expect(await prod.locator('.stage-behind').textContent()).toBe('1 of 3 apps behind staging');
    const prodGates = prod.getByRole('list', { name: 'Gates into prod' });
    // Times in the user's locale, not ISO strings.
    expect(await prodGates.textContent()).toMatch(/✓ freeze passes: outside the freeze window Jan 1, 2020, [^Z]* to Jan 2, 2020, /);
    expect(await prodGates.textContent()).toContain("✗ approval fails: needs 1 signed approval(s) from alice of the plan's digest");
    expect(await prodGates.textContent()).toContain('✓ soak 1 of 1 soaked');
    const soak = prodGates.getByRole('progressbar', { name: 'Soak of api on staging' });
    expect(await soak.evaluate((p) => [(p as HTMLProgressElement).value, (p as HTMLProgressElement).max])).toEqual([3_600_000, 3_600_000]);
    expect(await graph.getByRole('article', { name: 'Stage canary' }).locator('.stage-behind').textContent()).toBe('no app has an overlay here');
    await shoot(page, 'pipeline-graph');
    await checkAccessibility(page, 'pipeline graph');

    // Promote all into prod: Confirm stays disabled, with the reason, until an approver's signed approval is counted.
    await prod.getByRole('button', { name: 'Promote all staging → prod' }).click();
    const dialog = page.getByRole('dialog', { name: 'Plan: all apps staging → prod' });
    await dialog.getByRole('table', { name: 'Gates' }).waitFor({ timeout: 60_000 });
    const confirm = dialog.getByRole('button', { name: 'Confirm promotion' });
    expect(await confirm.isDisabled()).toBe(true);
    const digest = (await dialog.getByLabel('Plan digest').textContent())!;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await dialog.locator('#confirm-blockers').textContent()).toBe(`Confirm is disabled:approval gate: needs 1 signed approval(s) from alice of plan ${digest.slice(0, 19)}; has 0. An approver signs this plan with flotilla approve`);
    await shoot(page, 'pipeline-graph-confirm-disabled');
    await checkAccessibility(page, 'plan with a failing gate');
    // The promoter signs an approval in the dialog: pushed and verified, but pat is not an approver, and the gate says so.
    await dialog.getByRole('button', { name: 'Approve (sign)' }).click();
    await expect.poll(() => dialog.getByRole('status', { name: 'Approval' }).textContent(), { timeout: 60_000 }).toMatch(/^Approval [0-9a-f]{7} pushed to origin: good signature by pat$/);
    const approvals = dialog.getByRole('list', { name: 'Approvals into prod' });
    await expect.poll(() => approvals.textContent(), { timeout: 60_000 }).toMatch(/^rejected: approval [0-9a-f]{7}: signed by pat \(ssh SHA256:[^)]+\), who is not an approver of prod \(approvers: alice\)$/);
    expect(await confirm.isDisabled()).toBe(true);
    // alice reviews the same plan in her own clone and signs its digest (as `flotilla approve --digest` does).
    const aliceDir = f.other();
    signWithSsh(aliceDir, alice, allowed);
    const signed = await (await PromotionService.open(aliceDir, { storeFile: path.join(path.dirname(f.storeFile), 'alice.db') })).approve({ from: 'staging', to: 'prod', apps: 'all', digest });
    expect(signed.approval.signature).toMatchObject({ status: 'good', signer: 'alice' });
    await dialog.getByRole('button', { name: 'Check approvals again' }).click();
    await expect.poll(() => confirm.isEnabled(), { timeout: 60_000 }).toBe(true);
    expect(await approvals.getByRole('listitem').first().textContent()).toBe(`counted: approval ${signed.approval.commit.slice(0, 7)}: good signature by alice (ssh ${alice.fingerprint})`);
    expect(await dialog.getByRole('table', { name: 'Gates' }).textContent()).toContain(`approved by alice in ${signed.approval.commit.slice(0, 7)} (signed, plan ${digest.slice(0, 19)})`);
    expect(await dialog.locator('#confirm-blockers').count()).toBe(0);
    await shoot(page, 'pipeline-graph-approved');
    await checkAccessibility(page, 'plan with a signed approval');
    await confirm.click();
    await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 60_000 }).toContain('Promotion #1 pushed');
    expect(f.remoteFile('apps/api/overlays/prod/kustomization.yaml')).toContain('newTag: "2.4.0"');
    // The push moved origin/main past the checkout: the header says so (the working tree is left alone), and so does
    // this page, which reads origin/main where the grid reads the checkout.
    await expect.poll(() => page.getByLabel('Checkout against its remote').textContent(), { timeout: 30_000 }).toMatch(/^1 behind origin\/main/);
    const localHead = git(f.work, 'rev-parse', '--short=7', 'HEAD').trim();
    await expect
      .poll(() => page.getByRole('note', { name: 'Checkout against the promotion base' }).textContent(), { timeout: 30_000 })
      .toBe(`Your checkout (main @ ${localHead}) is behind origin/main by 1 commit: the Fleet grid and app pages show your checkout, this page shows origin/main, which promotions build on. Pull to bring your checkout up to it, or fetch origin to see whether origin/main moved since.`);
    expect(await page.getByLabel('Pipelines read at').textContent()).toContain(`at origin/main ${git(f.work, 'rev-parse', '--short=7', 'origin/main').trim()}`);
    await shoot(page, 'pipeline-graph-checkout-behind');

    // The graph follows: prod in step with staging, and its Roll back opens the revert's plan.
    await expect.poll(() => prod.locator('.stage-behind').textContent(), { timeout: 30_000 }).toBe('in step with staging');
    await prod.getByRole('button', { name: 'Roll back #1' }).click();
    const rollback = page.getByRole('dialog', { name: 'Rollback of promotion #1' });
    await expect.poll(() => rollback.getByLabel('Revert of promotion #1').textContent(), { timeout: 30_000 }).toMatch(/-\s+newTag: "2\.4\.0"/);
    expect(await rollback.textContent()).toContain('prod would run: api:ghcr.io/example/api:2.3.1');
    // A rollback out of prod passes prod's gates: the promotion's approval does not approve its rollback.
    expect(await rollback.getByRole('table', { name: 'Gates' }).textContent()).toMatch(/approvalFAILneeds 1 signed approval\(s\) from alice of plan sha256:[0-9a-f]{12}; has 0/);
    expect(await rollback.getByRole('button', { name: 'Confirm rollback of #1' }).isDisabled()).toBe(true);
    await rollback.getByRole('button', { name: 'Cancel' }).click();

    // The Fleet page says where its versions come from, against the same remote.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Fleet' }).click();
    await expect
      .poll(() => page.getByRole('note', { name: 'Versions read at' }).textContent(), { timeout: 30_000 })
      .toBe(`Versions from Git are your checkout's (${localHead}), which is behind origin/main by 1 commit; promotions build on origin/main (the Promotions page shows it).`);
    await checkAccessibility(page, 'fleet page with the checkout behind');
    expect(errors).toEqual([]);
  }, 240_000);
});
