import { describe, expect, it } from 'vitest';
import { compileDoublestar, compileGitPathspec, compileGoPathMatch, GlobError } from '../../../shared/appset/glob';

describe('compileGoPathMatch (Go path.Match, git directories)', () => {
  it('keeps * and ? within one path segment', () => {
    const re = compileGoPathMatch('apps/*');
    expect(re.test('apps/web')).toBe(true);
    expect(re.test('apps/web/base')).toBe(false);
    expect(re.test('apps')).toBe(false);
    expect(compileGoPathMatch('p?/x').test('p1/x')).toBe(true);
    expect(compileGoPathMatch('p?/x').test('p/1x')).toBe(false);
  });

  it('matches character classes, negation and escapes', () => {
    expect(compileGoPathMatch('env-[a-c]').test('env-b')).toBe(true);
    expect(compileGoPathMatch('env-[^a-c]').test('env-b')).toBe(false);
    expect(compileGoPathMatch('env-[^a-c]').test('env-d')).toBe(true);
    expect(compileGoPathMatch('a\\*b').test('a*b')).toBe(true);
    expect(compileGoPathMatch('a\\*b').test('axb')).toBe(false);
    expect(compileGoPathMatch('a.b').test('axb')).toBe(false);
  });

  it('refuses malformed patterns as Go does (ErrBadPattern)', () => {
    expect(() => compileGoPathMatch('apps/[a-')).toThrow(GlobError);
    expect(() => compileGoPathMatch('apps\\')).toThrow(GlobError);
  });
});

describe('compileDoublestar (new git file globbing)', () => {
  it('lets ** span any number of folders, zero included, while * stays in one', () => {
    const re = compileDoublestar('cluster-config/**/config.json');
    expect(re.test('cluster-config/config.json')).toBe(true);
    expect(re.test('cluster-config/prod/config.json')).toBe(true);
    expect(re.test('cluster-config/prod/eu/config.json')).toBe(true);
    expect(compileDoublestar('some-path/*.yaml').test('some-path/a.yaml')).toBe(true);
    expect(compileDoublestar('some-path/*.yaml').test('some-path/x/a.yaml')).toBe(false);
    expect(compileDoublestar('**/config.json').test('config.json')).toBe(true);
    expect(compileDoublestar('apps/{web,api}/config.json').test('apps/api/config.json')).toBe(true);
  });
});

describe('compileGitPathspec (git ls-files, Argo CD default globbing)', () => {
  it('lets * cross folders and treats a literal path as a folder prefix', () => {
    const m = compileGitPathspec('some-path/*.yaml');
    expect(m('some-path/a.yaml')).toBe(true);
    expect(m('some-path/x/a.yaml')).toBe(true);
    expect(compileGitPathspec('**/config.json')('a/b/config.json')).toBe(true);
    expect(compileGitPathspec('**/config.json')('config.json')).toBe(true);
    expect(compileGitPathspec('p1/**/config.json')('p1/config.json')).toBe(true);
    expect(compileGitPathspec('p1/**/config.json')('p10/config.json')).toBe(false);
    expect(compileGitPathspec('clusters')('clusters/dev.yaml')).toBe(true);
    expect(compileGitPathspec('clusters')('clusters-old/dev.yaml')).toBe(false);
  });
});
