import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { commitAll, git } from '../../../helpers/git-fixtures';
import type { Fleet } from './fleet-fixture';
import { promotionFleet } from './fleet-fixture';

// The promotion fleet with a prod stage that requires validation and a pipeline that also promotes the api
// container's `privileged` flag, so a promotion can introduce a privileged container into prod.

/** The tests' clock: a Wednesday, outside the example's prod freeze. */
export const NOW = Date.parse('2026-11-18T12:00:00Z');
/** The pipeline: prod requires schema, lint errors and a kubesec score of at least 0. */
export const PIPELINE = `apiVersion: flotilla.dev/v1alpha1
kind: Pipeline
metadata:
  name: apps
spec:
  applicationSet: apps
  overlayPath: apps/{{app}}/overlays/{{stage}}
  promote:
    images: true
    paths:
      - file: resources-patch.yaml
        path: spec.template.spec.containers[0].securityContext.privileged
  stages:
    - name: dev
    - name: staging
      from: dev
    - name: prod
      from: staging
      validation:
        schema: true
        lint: error
        minScore: 0
`;

/** The fleet with the pipeline above and each api overlay's container privileged or not, pushed to the remote. */
export function fleetWith(privileged: { staging: boolean; prod: boolean }): Fleet {
  const f = promotionFleet(NOW);
  writeFileSync(path.join(f.work, 'pipeline.yaml'), PIPELINE);
  for (const stage of ['staging', 'prod'] as const) {
    const file = path.join(f.work, `apps/api/overlays/${stage}/resources-patch.yaml`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('        - name: api\n', `        - name: api\n          securityContext:\n            privileged: ${privileged[stage]}\n`));
  }
  commitAll(f.work, 'Validation on prod; api privileged per stage');
  git(f.work, 'push', '-q', 'origin', 'HEAD:main');
  return f;
}

