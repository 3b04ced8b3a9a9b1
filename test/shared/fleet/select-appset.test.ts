import { describe, expect, it } from 'vitest';
import { selectAppSets } from '../../../shared/fleet/select-appset';

const all = [
  { name: 'web', file: 'teams/a/appsets.yaml', line: 1 },
  { name: 'web', namespace: 'team-b', file: 'teams/b/appsets.yaml', line: 4 },
  { name: 'api', file: 'teams/a/appsets.yaml', line: 20 },
  { name: 'jobs', namespace: 'argocd', file: 'jobs.yaml', line: 1 },
];

describe('generate --appset: by file, namespace/name or name, never two by one name', () => {
  it('selects every ApplicationSet of a file', () => {
    expect(selectAppSets(all, 'teams/a/appsets.yaml')).toEqual({ appsets: [all[0], all[2]], by: 'file' });
  });

  it('selects one by a name only it has, or by namespace/name (no namespace is argocd)', () => {
    expect(selectAppSets(all, 'api')).toEqual({ appsets: [all[2]], by: 'name' });
    expect(selectAppSets(all, 'team-b/web')).toEqual({ appsets: [all[1]], by: 'name' });
    expect(selectAppSets(all, 'argocd/web')).toEqual({ appsets: [all[0]], by: 'name' });
    expect(selectAppSets(all, 'argocd/jobs')).toEqual({ appsets: [all[3]], by: 'name' });
  });

  it('refuses a name two ApplicationSets share, saying where each is and how to name one', () => {
    expect(selectAppSets(all, 'web')).toEqual({
      error: '--appset web is ambiguous: 2 ApplicationSets are named web (teams/a/appsets.yaml:1 in namespace argocd; teams/b/appsets.yaml:4 in namespace team-b); name one by its file (--appset teams/a/appsets.yaml) or by namespace/name (--appset argocd/web)',
    });
  });

  it('says what there is when nothing matches', () => {
    expect(selectAppSets(all, 'team-c/web')).toEqual({ error: 'no ApplicationSet in file or named team-c/web (ApplicationSets: web, team-b/web, api, jobs; in files: teams/a/appsets.yaml, teams/b/appsets.yaml, jobs.yaml)' });
  });
});
