import type { BuildEnv } from './types';

// Argo CD's build environment (`reposerver/repository.newEnv`) and its substitution (`v1alpha1.Env.Envsubst`, which is
// Go's `os.Expand` over those variables only: an unknown `$NAME` becomes "", `$$` is a literal `$`).

/** What the build environment is made of: the Application, its source and the revision being rendered. */
export interface BuildEnvInput {
  /** The Application's instance name (the plain name when it lives in the control-plane namespace). */
  readonly app: string;
  /** `spec.destination.namespace`. */
  readonly namespace?: string;
  /** `spec.project` ('default' when empty). */
  readonly project?: string;
  /** The commit the source is read at. */
  readonly revision?: string;
  readonly repoURL?: string;
  /** The source's `path` as written in the Application. */
  readonly path?: string;
  readonly targetRevision?: string;
}

/** The variables Argo CD sets for a source render: `ARGOCD_APP_NAME`, `ARGOCD_APP_NAMESPACE`, `ARGOCD_APP_REVISION(_SHORT(_8))`, … */
export function buildEnv(input: BuildEnvInput): BuildEnv {
  const revision = input.revision ?? '';
  return {
    ARGOCD_APP_NAME: input.app,
    ARGOCD_APP_NAMESPACE: input.namespace ?? '',
    ARGOCD_APP_PROJECT_NAME: input.project || 'default',
    ARGOCD_APP_REVISION: revision,
    ARGOCD_APP_REVISION_SHORT: revision.slice(0, 7),
    ARGOCD_APP_REVISION_SHORT_8: revision.slice(0, 8),
    ARGOCD_APP_SOURCE_REPO_URL: input.repoURL ?? '',
    ARGOCD_APP_SOURCE_PATH: input.path ?? '',
    ARGOCD_APP_SOURCE_TARGET_REVISION: input.targetRevision ?? '',
  };
}

/**
 * The environment a config-management plugin sees besides the build environment: `KUBE_VERSION` and
 * `KUBE_API_VERSIONS` (Argo CD's `getPluginEnvs`). Helm, Kustomize and directory sources never substitute these.
 */
export function pluginEnv(env: BuildEnv, kubeVersion: string | undefined, apiVersions: readonly string[] | undefined): BuildEnv {
  return { ...env, KUBE_VERSION: kubeVersion ?? '', KUBE_API_VERSIONS: (apiVersions ?? []).join(',') };
}

/** Substitutes `$NAME` and `${NAME}` from the build environment exactly as Argo CD's `Env.Envsubst` (Go `os.Expand`). */
export function envsubst(env: BuildEnv, s: string): string {
  if (!s.includes('$')) return s;
  let out = '';
  let i = 0;
  for (let j = 0; j < s.length; j++) {
    if (s[j] !== '$' || j + 1 >= s.length) continue;
    out += s.slice(i, j);
    const [name, width] = shellName(s.slice(j + 1));
    if (name === '' && width > 0) {
      // invalid syntax (`${}`, an unclosed `${`): the characters are eaten
    } else if (name === '') out += '$';
    else out += name === '$' ? '$' : (env[name] ?? '');
    j += width;
    i = j + 1;
  }
  return out + s.slice(i);
}

function isSpecial(c: string | undefined): boolean {
  return c !== undefined && '*#$@!?-0123456789'.includes(c);
}

function isAlphaNum(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_]/.test(c);
}

/** Go's `getShellName`: the variable name after a `$` and how many characters it spans. */
function shellName(s: string): [string, number] {
  if (s[0] === '{') {
    if (s.length > 2 && isSpecial(s[1]) && s[2] === '}') return [s[1]!, 3];
    for (let i = 1; i < s.length; i++) {
      if (s[i] === '}') return i === 1 ? ['', 2] : [s.slice(1, i), i + 1];
    }
    return ['', 1];
  }
  if (isSpecial(s[0])) return [s[0]!, 1];
  let i = 0;
  while (i < s.length && isAlphaNum(s[i])) i++;
  return [s.slice(0, i), i];
}
