import type { Enforcer } from 'casbin';
import { newEnforcer, newModelFromString } from 'casbin';
import { BUILTIN_POLICY } from '../../../shared/rbac/builtin-policy';
import type { PolicyRule, RbacPolicy } from '../../../shared/rbac/policy';
import { parsePolicyText, policyMatcher } from '../../../shared/rbac/policy';

// Argo CD's RBAC evaluated with Casbin (node-casbin) under Argo CD's own model (assets/model.conf): requests
// (sub, res, act, obj), policies (sub, res, act, obj, eft), one role hierarchy `g`, allow-unless-denied, and its
// `globOrRegexMatch` on resource, action and object. Around Casbin, Argo CD's enforcement (util/rbac `enforce`,
// server/rbacpolicy `EnforceClaims`): the default role (`policy.default`) is tried first and allows on its own; then
// the user's subject; then each of the user's groups that the policy assigns with a `g` line.

/** Argo CD's Casbin model (assets/model.conf). */
export const ARGOCD_MODEL = `
[request_definition]
r = sub, res, act, obj

[policy_definition]
p = sub, res, act, obj, eft

[role_definition]
g = _, _

[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

[matchers]
m = g(r.sub, p.sub) && globOrRegexMatch(r.res, p.res) && globOrRegexMatch(r.act, p.act) && globOrRegexMatch(r.obj, p.obj)
`;

/** A decision, with the subject that decided it and the policy line Casbin matched. */
export interface RbacDecision {
  readonly allowed: boolean;
  /** The subject whose check decided: the user, one of their groups, or the default role. */
  readonly subject?: string;
  /** The rule that allowed (or, for a refusal, denied) it. */
  readonly rule?: PolicyRule;
}

/** A user as Argo CD sees one: the subject of their token and the groups of its scopes' claims. */
export interface RbacUser {
  readonly name: string;
  readonly groups?: readonly string[];
}

const ruleKey = (ptype: string, fields: readonly string[]): string => `${ptype}\x1f${fields.join('\x1f')}`;

/** Argo CD's RBAC over one policy: built-in roles, then the ConfigMap's rules. */
export class ArgoRbac {
  private constructor(
    private readonly enforcer: Enforcer,
    readonly policy: RbacPolicy,
    private readonly rules: readonly PolicyRule[],
    private readonly byKey: ReadonlyMap<string, PolicyRule>,
    private readonly match: (value: string, pattern: string) => boolean,
  ) {}

  /** Builds the enforcer: the built-in policy first (as Argo CD loads it), then the policy's rules. */
  static async create(policy: RbacPolicy): Promise<ArgoRbac> {
    const builtin = parsePolicyText(BUILTIN_POLICY, (line, column) => ({ at: `Argo CD built-in policy line ${line}`, where: { column } }), 'glob', [], true);
    const rules = [...builtin, ...policy.rules];
    const enforcer = await newEnforcer(newModelFromString(ARGOCD_MODEL));
    const match = policyMatcher(policy.matchMode);
    await enforcer.addFunction('globOrRegexMatch', (value: unknown, pattern: unknown) => typeof value === 'string' && typeof pattern === 'string' && match(value, pattern));
    const model = enforcer.getModel();
    const byKey = new Map<string, PolicyRule>();
    for (const r of rules) {
      const key = ruleKey(r.ptype, r.fields);
      if (!byKey.has(key)) byKey.set(key, r);
      model.addPolicy(r.ptype, r.ptype, [...r.fields]);
    }
    await enforcer.buildRoleLinks();
    return new ArgoRbac(enforcer, policy, rules, byKey, match);
  }

  /** One Casbin check for a subject, as Argo CD's `enforce`: the default role first, then the subject. */
  enforce(subject: string, resource: string, action: string, object: string): RbacDecision {
    const { defaultRole } = this.policy;
    if (defaultRole) {
      const d = this.check(defaultRole, resource, action, object);
      if (d.allowed) return d;
    }
    return this.check(subject, resource, action, object);
  }

  private check(subject: string, resource: string, action: string, object: string): RbacDecision {
    const [allowed, explain] = this.enforcer.enforceExSync(subject, resource, action, object);
    const rule = explain.length ? this.byKey.get(ruleKey('p', explain)) : allowed ? undefined : this.denying(subject, resource, action, object);
    return { allowed, subject, ...(rule ? { rule } : {}) };
  }

  /** For a refusal Casbin does not explain: the first deny line that matches the subject or one of its roles. */
  private denying(subject: string, resource: string, action: string, object: string): PolicyRule | undefined {
    const reach = new Set([subject]);
    // Casbin's role manager follows at most 10 levels of g lines; so does this walk.
    for (let level = 0; level < 10; level++) {
      const before = reach.size;
      for (const r of this.rules) if (r.ptype === 'g' && reach.has(r.fields[0]!)) reach.add(r.fields[1]!);
      if (reach.size === before) break;
    }
    return this.rules.find((r) => r.ptype === 'p' && r.fields[4] === 'deny' && reach.has(r.fields[0]!) && this.match(resource, r.fields[1]!) && this.match(action, r.fields[2]!) && this.match(object, r.fields[3]!));
  }

  /**
   * Whether a user may do something, as Argo CD's API server decides for a token: the user's subject (with the
   * default role), then each of their groups that a `g` line assigns (Argo CD checks no other group).
   */
  can(user: RbacUser, resource: string, action: string, object: string): RbacDecision {
    const first = this.enforce(user.name, resource, action, object);
    if (first.allowed) return first;
    let refusal = first;
    const assigned = new Set(this.rules.filter((r) => r.ptype === 'g').map((r) => r.fields[0]!));
    for (const group of user.groups ?? []) {
      if (!assigned.has(group)) continue;
      const d = this.enforce(group, resource, action, object);
      if (d.allowed) return d;
      if (!refusal.rule && d.rule) refusal = d;
    }
    return refusal;
  }

  /**
   * The users and groups the policy names (subjects of `p` lines and members of `g` lines, leaving out roles: the
   * targets of `g` lines and names starting with `role:`), in the order they first appear.
   */
  subjects(): string[] {
    const roles = new Set(this.rules.filter((r) => r.ptype === 'g').map((r) => r.fields[1]!));
    const out: string[] = [];
    for (const r of this.rules) {
      const s = r.fields[0]!;
      if (roles.has(s) || s.startsWith('role:') || s.startsWith('proj:') || out.includes(s)) continue;
      out.push(s);
    }
    return out;
  }

  /** For each subject the policy names, whether it may do something and by which line. */
  whoMay(resource: string, action: string, object: string): { readonly subject: string; readonly decision: RbacDecision }[] {
    return this.subjects().map((subject) => ({ subject, decision: this.enforce(subject, resource, action, object) }));
  }
}
