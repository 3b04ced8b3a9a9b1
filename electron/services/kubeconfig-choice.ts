import os from 'node:os';
import path from 'node:path';
import { defaultDataDir } from './data-dir';
import { sandboxStatus } from './sandbox';

// The one place that decides which kubeconfig reaches the clusters, for every command and the UI: `--kubeconfig`,
// else `$KUBECONFIG`, else the running sandbox's, else `~/.kube/config` — as the README says.

/** Where the chosen kubeconfig came from. */
export type KubeconfigSource = 'flag' | 'sandbox-flag' | 'env' | 'sandbox' | 'default';

/** The kubeconfig files in force and why. */
export interface KubeconfigChoice {
  readonly files: readonly string[];
  readonly source: KubeconfigSource;
}

/** What the choice depends on. */
export interface KubeconfigChoiceInput {
  /** `--kubeconfig` files (or the UI session's configured ones): they always win. */
  readonly flag?: readonly string[];
  /** `--sandbox`: the sandbox's kubeconfig, and an error when it is not running. */
  readonly sandbox?: boolean;
  /** The data folder whose sandbox counts (default: Flotilla's data folder). */
  readonly dataDir?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Chooses the kubeconfig: `--kubeconfig`, `--sandbox`, `$KUBECONFIG`, the running sandbox's, else `~/.kube/config`. */
export function chooseKubeconfig(input: KubeconfigChoiceInput = {}): KubeconfigChoice {
  const env = input.env ?? process.env;
  if (input.flag && input.flag.length > 0) return { files: [...input.flag], source: 'flag' };
  const dataDir = input.dataDir ?? defaultDataDir();
  if (input.sandbox) {
    const s = sandboxStatus(dataDir);
    if (!s.running || !s.kubeconfig) throw new Error(`the sandbox is not running (in ${s.dir}): start it with \`flotilla sandbox up\``);
    return { files: [s.kubeconfig], source: 'sandbox-flag' };
  }
  const fromEnv = (env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  if (fromEnv.length > 0) return { files: fromEnv, source: 'env' };
  // A sandbox with one API server dead is still the fleet the user started: its kubeconfig stays the default, so the
  // dead cluster reads as unreachable rather than as a context missing from ~/.kube/config.
  const s = sandboxStatus(dataDir);
  if (s.kubeconfig && s.clusters.some((c) => c.apiserver || c.etcd)) return { files: [s.kubeconfig], source: 'sandbox' };
  return { files: [path.join(os.homedir(), '.kube', 'config')], source: 'default' };
}

/** "kubeconfig: /path (the running sandbox's)" — what a command says about the kubeconfig it used. */
export function describeKubeconfig(c: KubeconfigChoice): string {
  const why: Record<KubeconfigSource, string> = {
    'flag': '--kubeconfig',
    'sandbox-flag': '--sandbox',
    'env': '$KUBECONFIG',
    'sandbox': "the running sandbox's; --kubeconfig or $KUBECONFIG override it",
    'default': 'the default; no $KUBECONFIG and no running sandbox',
  };
  return `kubeconfig: ${c.files.join(path.delimiter)} (${why[c.source]})`;
}
