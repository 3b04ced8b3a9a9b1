// Argo CD's built-in policy (assets/builtin-policy.csv of Argo CD 2.x/3.x): the roles role:readonly and role:admin,
// and the local `admin` user in role:admin. Argo CD loads it before argocd-rbac-cm's policy; so does Flotilla.

/** The built-in roles as Argo CD ships them. */
export const BUILTIN_POLICY = [
  ...['applications', 'logs'].map((r) => `p, role:readonly, ${r}, get, */*, allow`),
  ...['certificates', 'clusters', 'repositories', 'projects', 'accounts', 'gpgkeys'].map((r) => `p, role:readonly, ${r}, get, *, allow`),
  ...['create', 'update', 'delete', 'sync', 'override', 'action/*'].map((a) => `p, role:admin, applications, ${a}, */*, allow`),
  ...['get', 'create', 'update', 'delete'].map((a) => `p, role:admin, applicationsets, ${a}, */*, allow`),
  ...['certificates', 'clusters', 'repositories'].flatMap((r) => ['create', 'update', 'delete'].map((a) => `p, role:admin, ${r}, ${a}, *, allow`)),
  ...['create', 'update', 'delete'].map((a) => `p, role:admin, projects, ${a}, *, allow`),
  'p, role:admin, accounts, update, *, allow',
  'p, role:admin, gpgkeys, create, *, allow',
  'p, role:admin, gpgkeys, delete, *, allow',
  'p, role:admin, exec, create, */*, allow',
  'g, role:admin, role:readonly',
  'g, admin, role:admin',
].join('\n');
