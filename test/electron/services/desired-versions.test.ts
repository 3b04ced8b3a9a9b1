// Versions from Git for the grid: every app rendered once per commit, or the apps asked for first (the rows in view),
// answered alone — on a git copy of the example fleet, through the API handlers the UIs call.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandlers } from '../../../electron/services/api-handlers';
import { Session } from '../../../electron/services/session';
import { DESIRED_VERSIONS_ASK_MAX } from '../../../shared/api/contract';
import { exampleRepo, tempDir } from '../../helpers/git-fixtures';

const cleanups: (() => void)[] = [];
let session: Session;

beforeAll(() => {
  const r = exampleRepo();
  const t = tempDir('flotilla-desired-');
  cleanups.push(r.cleanup, t.cleanup);
  session = new Session({ repoPath: r.dir, dataDir: path.join(t.dir, 'data'), kubeconfig: [path.join(t.dir, 'no-kubeconfig')] });
  cleanups.push(() => session.close());
});
afterAll(() => {
  while (cleanups.length) cleanups.pop()!();
});

describe('versions from Git', () => {
  it('answers the apps asked for first alone, as the full answer has them; an unknown name is left out', async () => {
    const api = createApiHandlers(session);
    const first = await api['fleet:versions']({ apps: ['frontend-dev', 'api-prod', 'no-such-app'] });
    expect(first).toEqual({ revision: expect.stringMatching(/^[0-9a-f]{40}$/), versions: { 'frontend-dev': expect.stringContaining('1.8.0'), 'api-prod': expect.stringContaining('2.3.1') }, partial: true });
    const all = await api['fleet:versions']({});
    expect(all.partial).toBeUndefined();
    expect(all.revision).toBe(first.revision);
    expect(Object.keys(all.versions).length).toBeGreaterThan(2);
    expect(all.versions['frontend-dev']).toBe(first.versions['frontend-dev']);
    expect(all.versions['api-prod']).toBe(first.versions['api-prod']);
  });

  it('refuses more names than one call may ask for first, saying the limit', async () => {
    const api = createApiHandlers(session);
    const many = Array.from({ length: DESIRED_VERSIONS_ASK_MAX + 1 }, (_, i) => `app-${i}`);
    await expect(api['fleet:versions']({ apps: many })).rejects.toThrow(`fleet:versions asks for at most ${DESIRED_VERSIONS_ASK_MAX} app names (got ${DESIRED_VERSIONS_ASK_MAX + 1})`);
  });
});
