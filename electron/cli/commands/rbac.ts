import type { Command } from 'commander';
import { defaultDataDir } from '../../services/data-dir';
import { FleetService } from '../../services/fleet-service';
import type { RbacReport } from '../../services/rbac/rbac-service';
import { rbacReport } from '../../services/rbac/rbac-service';
import type { CliContext } from '../context';
import { action, EXIT, outputOption, repoOption } from '../context';
import type { OutputFormat } from '../output';
import { formatTable, printData, printProblems } from '../output';
import { dataDirOption } from './refresh';

interface RbacCliOptions {
  readonly repo?: string;
  readonly dataDir?: string;
  readonly output: OutputFormat;
  readonly app?: string;
  readonly user?: string;
  readonly group?: string[];
  readonly action?: string;
}

/** Problems on stderr; no policy found is an error (exit 2), an error in it a finding (exit 1). */
function judge(ctx: CliContext, r: RbacReport): number | undefined {
  printProblems(ctx.io, r.problems);
  if (!r.source) throw new Error('no argocd-rbac-cm found: put argocd-rbac-cm.yaml in the data folder, or the ConfigMap in a YAML file with "rbac" in its path in the repository');
  if (r.problems.some((p) => p.severity === 'error')) {
    ctx.io.err('the policy has errors: Argo CD refuses it as a whole (and keeps the policy it had); the answers leave the bad lines out\n');
    return EXIT.findings;
  }
  return undefined;
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

/** `flotilla rbac`: who may sync which app by Argo CD's RBAC (argocd-rbac-cm), and `rbac can USER ACTION APP`. */
export function registerRbac(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('rbac')
    .description("who may sync which app by Argo CD's RBAC (argocd-rbac-cm's policy.csv, policy.default, scopes; Argo CD's built-in roles), evaluated with Casbin as Argo CD does; each answer names the policy line that decided it. Exit 1 when the policy has errors, 2 when none is found")
    .option('--app <name>', 'only this Application')
    .option('--user <name>', 'only this user (with --group: the groups of their token)')
    .option('--group <name>', "a group of --user (repeatable), checked when a g line assigns it, as Argo CD's API server does", collect)
    .option('--action <verb>', 'the action asked about (default sync)', 'sync');
  dataDirOption(repoOption(outputOption(cmd))).action(
    action(ctx, async (opts: RbacCliOptions) => {
      const fleet = await FleetService.open(opts.repo ?? ctx.cwd);
      const r = await rbacReport(fleet, {
        dataDir: opts.dataDir ?? defaultDataDir(),
        ...(opts.app ? { app: opts.app } : {}),
        ...(opts.user ? { user: { name: opts.user, ...(opts.group ? { groups: opts.group } : {}) } } : {}),
        ...(opts.action ? { action: opts.action } : {}),
      });
      const verdict = judge(ctx, r);
      printData(ctx.io, opts.output, r, () => formatTable(['app', 'object', 'subject', `may ${opts.action ?? 'sync'}`, 'by', 'line'], r.apps.flatMap((a) => {
        const allowed = a.subjects.filter((s) => s.allowed || opts.user);
        return allowed.length
          ? allowed.map((s) => [a.app, a.object, s.subject, s.allowed ? 'yes' : 'no', s.byDefaultRole ? `policy.default ${r.defaultRole ?? ''}` : s.via ?? 'no line matches', s.rule ?? ''])
          : [[a.app, a.object, '(nobody the policy names)', 'no', '', '']];
      })));
      return verdict ?? EXIT.ok;
    }),
  );
  const can = cmd
    .command('can')
    .argument('<user>', 'the user (the subject of their Argo CD token)')
    .argument('<action>', 'sync, get, update, delete, override, action/…')
    .argument('<app>', 'the Application')
    .option('--group <name>', 'a group of the user (repeatable)', collect)
    .description('whether USER may do ACTION to APP by the policy, and the line that decides; exit 0 yes, 1 no (or the policy has errors), 2 no policy or no such app');
  dataDirOption(repoOption(outputOption(can))).action(
    action(ctx, async (user: string, act: string, app: string, own: RbacCliOptions) => {
      // Options written after `can` may be parsed by `rbac` itself: both count.
      const opts: RbacCliOptions = { ...(cmd.opts() as Partial<RbacCliOptions>), ...Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined)) } as RbacCliOptions;
      const fleet = await FleetService.open(opts.repo ?? ctx.cwd);
      const r = await rbacReport(fleet, { dataDir: opts.dataDir ?? defaultDataDir(), app, user: { name: user, ...(opts.group ? { groups: opts.group } : {}) }, action: act });
      const verdict = judge(ctx, r);
      const a = r.apps[0]!;
      const s = a.subjects[0]!;
      printData(ctx.io, opts.output, { ...a, allowed: s.allowed }, () =>
        `${s.allowed ? 'yes' : 'no'}: ${user}${opts.group ? ` (groups ${opts.group.join(', ')})` : ''} ${s.allowed ? 'may' : 'may not'} ${act} ${a.object}` +
        (s.byDefaultRole ? ` — by the default role ${r.defaultRole ?? ''}` : '') +
        (s.via ? ` — ${s.allowed ? '' : 'denied at '}${s.via}: ${s.rule ?? ''}` : s.allowed ? '' : ' — no line of the policy allows it') + '\n');
      return verdict ?? (s.allowed ? EXIT.ok : EXIT.findings);
    }),
  );
}
