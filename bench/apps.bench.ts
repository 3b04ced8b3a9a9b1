// App discovery at scale: a repository of 1,000 plain Applications (no ApplicationSet), each with its own manifest
// folder, scanned and listed as `flotilla apps` does, from the git objects of a real repository; then the same repository
// with an app of apps (one root Application whose folder holds the 1,000 Applications), which discovery renders once.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../electron/cli/main';
import { forgetDiscoveries } from '../electron/services/fleet-service';
import { GitRepository } from '../electron/services/git-repo';
import { generateAll } from '../shared/fleet/overview';
import { scanRepository } from '../shared/repo/scan';
import type { BenchResult } from './types';
import { median, sample } from './types';

const APPS = Number(process.env.APPS_BENCH_APPS ?? 1000);
const REPO = 'https://git.example.com/plain/fleet.git';
const pad = (n: number): string => String(n).padStart(4, '0');

/** Writes the repository: fleet file, one Application file per app under argocd/apps/, one manifest folder per app; optionally a root app of apps. */
function writeRepo(dir: string, withRoot: boolean): void {
  const files: Record<string, string> = {
    'flotilla.yaml': `apiVersion: flotilla.dev/v1alpha1\nkind: Fleet\nmetadata: {name: plain}\nspec:\n  repoURL: ${REPO}\n  clusters:\n${['dev', 'staging', 'prod'].map((e, i) => `    - {name: ${e}, server: https://10.0.0.${i + 1}:6443, environment: ${e}}\n`).join('')}`,
  };
  if (withRoot) files['argocd/root.yaml'] = application('root', 'argocd/apps', 'https://10.0.0.1:6443', 'argocd');
  for (let a = 1; a <= APPS; a++) {
    const name = `app-${pad(a)}`;
    files[`argocd/apps/${name}.yaml`] = application(name, `manifests/${name}`, `https://10.0.0.${(a % 3) + 1}:6443`, name);
    files[`manifests/${name}/deployment.yaml`] = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n        - name: main\n          image: registry.example.com/${name}:1.0.${a}\n`;
  }
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), text);
  }
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  execFileSync('git', ['add', '-A'], { cwd: dir });
  execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', 'plain apps'], { cwd: dir });
}

function application(name: string, source: string, server: string, namespace: string): string {
  return `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: ${REPO}\n    targetRevision: HEAD\n    path: ${source}\n  destination:\n    server: ${server}\n    namespace: ${namespace}\n`;
}

async function measure(label: string, withRoot: boolean): Promise<BenchResult[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-apps-bench-'));
  try {
    writeRepo(dir, withRoot);
    let listed = 0;
    let code = 0;
    // CPU time beside wall time: on a shared, loaded machine the wall time includes waiting for a core.
    const cliCpu: number[] = [];
    const engineCpu: number[] = [];
    const cpuMs = (c: NodeJS.CpuUsage): number => (c.user + c.system) / 1000;
    // `flotilla apps` in process, cold each time: open the repository, read HEAD's git objects, scan, discover, print.
    const cli = await sample(7, async () => {
      forgetDiscoveries(); // as a new `flotilla apps` process: nothing discovered yet
      const c0 = process.cpuUsage();
      let out = '';
      code = await runCli(['apps', '--repo', dir], { out: (t) => void (out += t), err: () => undefined });
      listed = out.split('\n').filter((l) => l.startsWith('app-') || l.startsWith('root ')).length;
      cliCpu.push(cpuMs(process.cpuUsage(c0)));
    });
    if (code !== 0 || listed !== APPS + (withRoot ? 1 : 0)) throw new Error(`flotilla apps listed ${listed} apps (exit ${code}), expected ${APPS + (withRoot ? 1 : 0)}`);
    // The same command again at the same commit in one process (the UI's overview, a refresh): discovery is cached.
    const warm = await sample(7, async () => {
      await runCli(['apps', '--repo', dir], { out: () => undefined, err: () => undefined });
    });
    // Scan and discovery alone, on a tree already read from git (what a UI refresh pays when HEAD moved).
    const repo = await GitRepository.open(dir);
    const tree = repo.treeAt('HEAD');
    let apps = 0;
    const engine = await sample(7, () => {
      const c0 = process.cpuUsage();
      const scan = scanRepository(tree);
      apps = generateAll(scan, { treeAt: () => tree }).apps.length;
      engineCpu.push(cpuMs(process.cpuUsage(c0)));
    });
    repo.close();
    return [
      { name: `apps — flotilla apps, ${APPS} plain Applications${label}`, median_ms: median(cli), extra: { cpu_ms: median(cliCpu).toFixed(0), min_ms: Math.min(...cli).toFixed(0), max_ms: Math.max(...cli).toFixed(0), listed } },
      { name: `apps — flotilla apps again at the same commit, in process${label}`, median_ms: median(warm) },
      { name: `apps — scan + discovery of the git tree${label}`, median_ms: median(engine), extra: { cpu_ms: median(engineCpu).toFixed(0), apps } },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the app discovery benchmark. */
export async function run(): Promise<BenchResult[]> {
  return [...(await measure('', false)), ...(await measure(' + an app of apps over them', true))];
}
