import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PromotionService } from '../../../../electron/services/promotion/promotion-service';
import { REQUIRE_TEAM_LABEL } from '../../../helpers/admission-policies';
import { commitAll, git } from '../../../helpers/git-fixtures';
import { cli } from '../../../helpers/run-cli';
import { fleetWith, NOW, PIPELINE } from './validation-fixture';

// A prod stage that requires validation (schema, lint errors, a minimum kubesec score) blocks a promotion whose
// promoted state runs a privileged container, and lets an image-only promotion through; the plan carries the
// findings of each target cluster located in the edited overlay.

const apiToProd = { from: 'staging', to: 'prod', apps: ['api'] } as const;

describe('the validation gate of a pipeline stage', () => {
  it('blocks a promotion that introduces a privileged container into prod, naming the finding and its line', async () => {
    const f = fleetWith({ staging: true, prod: false });
    const svc = await PromotionService.open(f.work, { storeFile: f.storeFile, now: () => NOW });
    const { plan } = await svc.plan(apiToProd);
    expect(plan.apps[0]!.moves.map((m) => `${m.kind} ${m.from}→${m.to}`)).toEqual(['image ghcr.io/example/api:2.3.1→ghcr.io/example/api:2.4.0', 'path false→true']);
    const gate = plan.gates.find((g) => g.gate === 'validation')!;
    expect(gate).toMatchObject({ stage: 'prod', app: 'api', cluster: 'prod', passed: false });
    expect(gate.reason).toMatch(/^api on prod: \d+ findings block \(schema, lint error, score ≥ 0\): lint\/privileged-container: Deployment api: container "api" is privileged at apps\/api\/overlays\/prod\/resources-patch\.yaml:12$/);
    const prod = plan.apps[0]!.clusters[0]!;
    expect(prod.checks).toEqual(['schema', 'lint', 'score']);
    expect(prod.findings!.filter((x) => x.severity === 'error').map((x) => `${x.check}/${x.id} ${x.source?.file}:${x.source?.line}`)).toEqual([
      'lint/privileged-container apps/api/overlays/prod/resources-patch.yaml:12',
      'lint/privilege-escalation-container apps/api/overlays/prod/resources-patch.yaml:11',
      'score/Privileged apps/api/overlays/prod/resources-patch.yaml:12',
      // The score is the workload's: at the Deployment where it is written.
      'score/kubesec-score apps/api/base/deployment.yaml:1',
    ]);
    expect(plan.ready).toBe(false);
    const before = f.remoteHead();
    const out = await svc.execute(apiToProd);
    expect(out.record.result).toBe('blocked');
    expect(out.blockers.some((b) => b.startsWith('gate validation (api): api on prod:'))).toBe(true);
    expect(f.remoteHead()).toBe(before);
  });

  it('lets an image-only promotion through when the promoted state passes', async () => {
    const f = fleetWith({ staging: false, prod: false });
    const svc = await PromotionService.open(f.work, { storeFile: f.storeFile, now: () => NOW });
    const { plan } = await svc.plan(apiToProd);
    const gate = plan.gates.find((g) => g.gate === 'validation')!;
    expect(gate).toMatchObject({ passed: true, reason: 'api on prod: validation passed (schema, lint error, score ≥ 0)' });
    expect(plan.apps[0]!.clusters[0]!.findings!.some((x) => x.id === 'unset-cpu-requirements')).toBe(true);
    expect(plan.ready).toBe(true);
    expect((await svc.execute(apiToProd)).record.result).toBe('pushed');
  });

  it('checks prod\'s admission policies, as the repository renders them for prod, when the stage requires admission', async () => {
    const f = fleetWith({ staging: false, prod: false });
    writeFileSync(path.join(f.work, 'pipeline.yaml'), PIPELINE.replace('        minScore: 0\n', '        minScore: 0\n        admission: true\n'));
    commitAll(f.work, 'Admission required');
    git(f.work, 'push', '-q', 'origin', 'HEAD:main');
    // No policy anywhere: the check runs (it is listed) and finds nothing.
    let svc = await PromotionService.open(f.work, { storeFile: f.storeFile, now: () => NOW });
    let plan = (await svc.plan(apiToProd)).plan;
    expect(plan.apps[0]!.clusters[0]!.checks).toEqual(['schema', 'lint', 'score', 'admission']);
    expect(plan.gates.find((g) => g.gate === 'validation')).toMatchObject({ passed: true });

    // The platform app renders a policy and its binding for prod only: every Deployment needs a team label.
    writeFileSync(path.join(f.work, 'platform/overlays/prod/admission.yaml'), REQUIRE_TEAM_LABEL);
    const k = path.join(f.work, 'platform/overlays/prod/kustomization.yaml');
    writeFileSync(k, readFileSync(k, 'utf8').replace('  - ../../base\n', '  - ../../base\n  - admission.yaml\n'));
    commitAll(f.work, 'prod requires a team label');
    git(f.work, 'push', '-q', 'origin', 'HEAD:main');
    svc = await PromotionService.open(f.work, { storeFile: f.storeFile, now: () => NOW });
    plan = (await svc.plan(apiToProd)).plan;
    const denied = plan.apps[0]!.clusters[0]!.findings!.filter((x) => x.check === 'admission');
    expect(denied.map((x) => `${x.severity} ${x.id}: ${x.message}`)).toEqual([
      expect.stringMatching(/^error require-team-label: prod's policy `require-team-label` .*would deny Deployment api: every Deployment needs a team label$/),
    ]);
    const gate = plan.gates.find((g) => g.gate === 'validation')!;
    expect(gate.passed).toBe(false);
    expect(gate.reason).toContain('require-team-label');
    expect(plan.ready).toBe(false);
  });
});

describe('flotilla promote shows the validation of the promoted state', () => {
  it('lists each target cluster\'s findings with file:line and the failed gate, exit 1', async () => {
    const f = fleetWith({ staging: true, prod: false });
    const r = await cli(['promote', 'api', '--from', 'staging', '--to', 'prod', '--dry-run', '--repo', f.work, '--data-dir', path.dirname(f.storeFile)]);
    expect(r.out).toContain('-- validation of the promoted state on prod (schema, lint, score): ');
    expect(r.out).toContain('   error lint/privileged-container: Deployment api: container "api" is privileged (apps/api/overlays/prod/resources-patch.yaml:12)');
    expect(r.out).toMatch(/\[FAIL\] validation api on prod: api on prod: \d+ findings block/);
    expect(r.code).toBe(1);
  });
});
