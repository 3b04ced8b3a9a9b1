import { describe, expect, it } from 'vitest';
import { buildEnv, envsubst, pluginEnv } from '../../../shared/sources/build-env';

describe("Argo CD's build environment", () => {
  const env = buildEnv({ app: 'shop', namespace: 'web', revision: '0123456789abcdef', repoURL: 'https://git.example.com/r.git', path: 'apps/shop', targetRevision: 'main' });

  it('holds the app, namespace, project, revision (short 7 and 8) and source variables', () => {
    expect(env).toMatchObject({
      ARGOCD_APP_NAME: 'shop',
      ARGOCD_APP_NAMESPACE: 'web',
      ARGOCD_APP_PROJECT_NAME: 'default',
      ARGOCD_APP_REVISION: '0123456789abcdef',
      ARGOCD_APP_REVISION_SHORT: '0123456',
      ARGOCD_APP_REVISION_SHORT_8: '01234567',
      ARGOCD_APP_SOURCE_REPO_URL: 'https://git.example.com/r.git',
      ARGOCD_APP_SOURCE_PATH: 'apps/shop',
      ARGOCD_APP_SOURCE_TARGET_REVISION: 'main',
    });
    expect(env).not.toHaveProperty('KUBE_VERSION');
    expect(pluginEnv(env, '1.31.0', ['apps/v1', 'v1'])).toMatchObject({ KUBE_VERSION: '1.31.0', KUBE_API_VERSIONS: 'apps/v1,v1' });
  });

  it('substitutes as Go os.Expand does: $NAME, ${NAME}, $$, unknown names empty, bad syntax eaten', () => {
    expect(envsubst(env, 'app-$ARGOCD_APP_NAME')).toBe('app-shop');
    expect(envsubst(env, '${ARGOCD_APP_NAMESPACE}-x')).toBe('web-x');
    expect(envsubst(env, 'cost: $$5')).toBe('cost: $5');
    expect(envsubst(env, '$UNKNOWN|$KUBE_VERSION|')).toBe('||');
    expect(envsubst(env, 'a${}b')).toBe('ab');
    expect(envsubst(env, 'a${ARGOCD_APP_NAME')).toBe('aARGOCD_APP_NAME');
    expect(envsubst(env, 'trailing $')).toBe('trailing $');
    expect(envsubst(env, '$-x $1y')).toBe('x y');
    expect(envsubst(env, 'no dollars')).toBe('no dollars');
  });
});
