import { describe, expect, it } from 'vitest';
import { approvalMessage, parseApprovalMessage } from '../../../shared/promotion/approval';
import { canonicalJson, isDigest, promotionDigest, rollbackDigest, shortDigest } from '../../../shared/promotion/digest';

const app = {
  app: 'api',
  moves: [{ kind: 'image' as const, name: 'ghcr.io/example/api', file: 'apps/api/overlays/prod/kustomization.yaml', from: 'ghcr.io/example/api:2.3.1', to: 'ghcr.io/example/api:2.4.0' }],
  edits: [{ file: 'apps/api/overlays/prod/kustomization.yaml', before: 'newTag: "2.3.1"\n', after: 'newTag: "2.4.0"\n', diff: '' }],
};
const plan = { pipeline: 'apps', from: 'staging', to: 'prod', revision: 'a'.repeat(40), apps: [app] };

describe('plan digests', () => {
  it('are stable for the same plan and differ when the revision, a move or an edited file differs', () => {
    const d = promotionDigest(plan);
    expect(isDigest(d)).toBe(true);
    expect(promotionDigest({ ...plan, apps: [{ ...app }] })).toBe(d);
    expect(promotionDigest({ ...plan, revision: 'b'.repeat(40) })).not.toBe(d);
    expect(promotionDigest({ ...plan, apps: [{ ...app, moves: [{ ...app.moves[0]!, to: 'ghcr.io/example/api:2.4.1' }] }] })).not.toBe(d);
    expect(promotionDigest({ ...plan, apps: [{ ...app, edits: [{ ...app.edits[0]!, after: 'newTag: "2.4.0" # hi\n' }] }] })).not.toBe(d);
    expect(promotionDigest({ ...plan, to: 'prod-eu' })).not.toBe(d);
    expect(shortDigest(d)).toBe(d.slice(0, 19));
    const r = { pipeline: 'apps', stage: 'prod', commit: 'c'.repeat(40), revision: 'a'.repeat(40), diff: '-x\n+y\n' };
    expect(rollbackDigest(r)).toBe(rollbackDigest({ ...r }));
    expect(rollbackDigest({ ...r, revision: 'b'.repeat(40) })).not.toBe(rollbackDigest(r));
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
  });

  it('round-trip through an approval record message, and a message without the trailers is no record', () => {
    const subject = { kind: 'promotion' as const, pipeline: 'apps', stage: 'prod', digest: promotionDigest(plan), subject: 'staging -> prod: api at aaaaaaa' };
    expect(parseApprovalMessage(approvalMessage(subject))).toEqual(subject);
    expect(parseApprovalMessage('approved by alice\n')).toBeUndefined();
  });
});
