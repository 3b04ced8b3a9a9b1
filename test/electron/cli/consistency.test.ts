// One CLI: the same duration unit for every --timeout, the same kubeconfig choice for every command, and the exit codes
// (0 ok, 1 findings or partial, 2 could not run) for an invalid fleet file and an unreadable kubeconfig.
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDurationOption } from '../../../electron/cli/durations';
import { chooseKubeconfig, describeKubeconfig } from '../../../electron/services/kubeconfig-choice';
import { commitAll, git, tempDir, writeFiles } from '../../helpers/git-fixtures';
import { cli } from '../../helpers/run-cli';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function dir(prefix: string): string {
  const t = tempDir(prefix);
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('--timeout: one unit on every command', () => {
  it('reads 500ms, 30s, 2m and 1h30m, and a plain number as seconds', () => {
    expect(parseDurationOption('500ms', '--timeout')).toBe(500);
    expect(parseDurationOption('30s', '--timeout')).toBe(30_000);
    expect(parseDurationOption('2m', '--timeout')).toBe(120_000);
    expect(parseDurationOption('1h30m', '--timeout')).toBe(5_400_000);
    expect(parseDurationOption('3', '--timeout')).toBe(3000);
    expect(parseDurationOption('0.5', '--timeout')).toBe(500);
  });

  it('notes that a large plain number is seconds, and refuses what is not a duration', () => {
    const notes: string[] = [];
    expect(parseDurationOption('2000', '--timeout', (n) => notes.push(n))).toBe(2_000_000);
    expect(notes).toEqual(['--timeout 2000 is read as 2000 seconds (plain numbers are seconds on every command); write 2000ms if you meant milliseconds']);
    expect(() => parseDurationOption('soon', '--timeout')).toThrow('--timeout expects a duration such as 30s, 2m or 500ms (a plain number is seconds), got "soon"');
    expect(() => parseDurationOption('0', '--timeout')).toThrow(/expects a duration/);
    expect(() => parseDurationOption('-5s', '--timeout')).toThrow(/expects a duration/);
  });

  it('is accepted as a duration by clusters, status, diff, refresh, drift-report and sync', async () => {
    for (const command of ['clusters', 'status', 'diff', 'refresh', 'drift-report', 'sync']) {
      const r = await cli([command, '--help']);
      expect(r.out, command).toMatch(/--timeout <duration>\s+deadline of (each|every) API call: 30s, 2m, 500ms \(a plain\s+number\s+is\s+seconds/);
    }
  });
});

describe('the kubeconfig choice', () => {
  it('--kubeconfig wins, then $KUBECONFIG, then the running sandbox, then ~/.kube/config', () => {
    const data = dir('flotilla-kc-choice-');
    expect(chooseKubeconfig({ flag: ['/a', '/b'], env: { KUBECONFIG: '/env' }, dataDir: data })).toEqual({ files: ['/a', '/b'], source: 'flag' });
    expect(chooseKubeconfig({ env: { KUBECONFIG: `/env1${path.delimiter}/env2` }, dataDir: data })).toEqual({ files: ['/env1', '/env2'], source: 'env' });
    // No sandbox is running in this data folder.
    const fallback = chooseKubeconfig({ env: {}, dataDir: data });
    expect(fallback).toEqual({ files: [path.join(os.homedir(), '.kube', 'config')], source: 'default' });
    expect(describeKubeconfig(fallback)).toBe(`kubeconfig: ${path.join(os.homedir(), '.kube', 'config')} (the default; no $KUBECONFIG and no running sandbox)`);
    expect(() => chooseKubeconfig({ sandbox: true, env: {}, dataDir: data })).toThrow(`the sandbox is not running (in ${path.join(data, 'sandbox')}): start it with \`flotilla sandbox up\``);
  });
});

describe('exit codes', () => {
  it('clusters with an invalid fleet file exits 2 naming the fault, and never falls back to every kubeconfig context', async () => {
    const repo = dir('flotilla-bad-fleet-');
    git(repo, 'init', '-q', '-b', 'main');
    writeFiles(repo, {
      'flotilla.yaml': 'apiVersion: flotilla.dev/v1alpha1\nkind: Fleet\nmetadata:\n  name: t\nspec:\n  clusters:\n    - name: dev\n      context: 42\n      server: [not, a, url]\n',
      kubeconfig: 'apiVersion: v1\nkind: Config\nclusters:\n- name: other\n  cluster: {server: "https://127.0.0.1:1"}\ncontexts:\n- name: other\n  context: {cluster: other, user: u}\nusers:\n- name: u\n  user: {token: t}\n',
    });
    commitAll(repo, 'broken fleet file');
    const r = await cli(['clusters', '--repo', repo, '--kubeconfig', path.join(repo, 'kubeconfig'), '--timeout', '1s']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: flotilla\.yaml:\d+(:\d+)?: invalid fleet file: /);
    expect(r.out).not.toContain('other');
  });

  it('an unreadable kubeconfig exits 2 on clusters, naming the file', async () => {
    const t = dir('flotilla-bad-kc-');
    writeFiles(t, { config: 'apiVersion: v1\nkind: Config\nclusters: {this is: [not a list\n' });
    const r = await cli(['clusters', '--kubeconfig', path.join(t, 'config'), '--timeout', '1s'], t);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`error: ${path.join(t, 'config')}: kubeconfig could not be read`);
  });

  it('a kubeconfig that is not one (not YAML, empty, a scalar) or does not exist exits 2 naming the file, also with a fleet file', async () => {
    const t = dir('flotilla-not-kc-');
    git(t, 'init', '-q', '-b', 'main');
    writeFiles(t, {
      'flotilla.yaml': 'apiVersion: flotilla.dev/v1alpha1\nkind: Fleet\nmetadata:\n  name: t\nspec:\n  clusters:\n    - name: dev\n      context: dev\n',
      scalar: ':::: not yaml [\n',
      empty: '',
    });
    commitAll(t, 'fleet');
    const cases: [string, RegExp][] = [
      ['scalar', /kubeconfig could not be read: not a kubeconfig: expected a YAML mapping with clusters, users and contexts/],
      ['empty', /kubeconfig could not be read: not a kubeconfig/],
      ['missing', /kubeconfig could not be read: no such file/],
    ];
    for (const [name, why] of cases) {
      const file = path.join(t, name);
      const r = await cli(['clusters', '--repo', t, '--kubeconfig', file, '--timeout', '1s']);
      expect(r.code, name).toBe(2);
      expect(r.err.split('\n')[0], name).toMatch(new RegExp(`^error: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${why.source}`));
    }
  });
});

describe('repeated problems', () => {
  it('apps prints the first 20 of a kind and counts the rest', async () => {
    const repo = dir('flotilla-many-problems-');
    git(repo, 'init', '-q', '-b', 'main');
    const files: Record<string, string> = {};
    for (let i = 0; i < 35; i++) files[`appsets/a${i}.yaml`] = `apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: a${i}\nspec:\n  generators: []\n  template: {}\n`;
    writeFiles(repo, files);
    commitAll(repo, 'many broken ApplicationSets');
    const r = await cli(['apps', '--repo', repo]);
    const lines = r.err.trim().split('\n');
    expect(lines.filter((l) => l.includes('spec.generators must be a non-empty list of generators'))).toHaveLength(21);
    expect(lines).toContain('… and 15 more error(s) like: spec.generators must be a non-empty list of generators');
  });
});
