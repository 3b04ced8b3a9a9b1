// Verifying commit signatures with git itself (`git log --format=%G?…`, which runs gpg or `ssh-keygen -Y verify`)
// against the repository's trust: the GnuPG keyring (GNUPGHOME) or `gpg.ssh.allowedSignersFile`. Many revisions are
// verified in one git process, and each verdict is cached by commit sha and the trust it was judged against: a
// commit never changes, so only a changed keyring or allowed-signers file makes git look again.

import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CommitSignature } from '../../shared/repo/signature';
import { signatureStatus } from '../../shared/repo/signature';
import type { Problem } from '../../shared/problem';
import { toProblem } from '../../shared/problem';

const FIELD = '\u001f';
const RECORD = '\u001e';
/** sha, %G? code, signer, key, fingerprint, git's words: one record per commit. */
const FORMAT = ['%H', '%G?', '%GS', '%GK', '%GF', '%GG'].join('%x1f') + '%x1e';
const SHA = /^[0-9a-f]{40}$/;
/** The fewest commits worth a git process of their own. */
const MIN_CHUNK = 20;

/** Verifies commit signatures of one repository, caching each verdict. */
export class CommitSignatureVerifier {
  private readonly cache = new Map<string, CommitSignature>();
  private stamp = '';
  /** The git configuration files read (with their includes), and the allowed-signers setting read while they were as stamped. */
  private config: { readonly files: readonly string[]; readonly stamp: string; readonly allowed: string } | undefined;

  constructor(
    /** The repository's work tree (or git folder). */
    readonly root: string,
    /** The environment git (and through it gpg) runs with; default the process's. */
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** The signature of one commit (a full sha, or a revision git resolves). */
  async verifyOne(revision: string): Promise<CommitSignature> {
    const sha = SHA.test(revision) ? revision : await this.resolve(revision);
    if (!sha) return { commit: revision, status: 'missing' };
    return (await this.verify([sha])).get(sha)!;
  }

  /**
   * The signatures of commits given by full sha, keyed by sha. Cached commits cost nothing; the rest are verified by
   * one git process. A sha the repository does not have is `missing`, never an error for the others.
   */
  async verify(shas: readonly string[]): Promise<Map<string, CommitSignature>> {
    const stamp = await this.trustStamp();
    if (stamp !== this.stamp) {
      this.cache.clear();
      this.stamp = stamp;
    }
    const out = new Map<string, CommitSignature>();
    const todo = [...new Set(shas.filter((s) => !this.cache.has(s)))];
    if (todo.length > 0) {
      // git runs gpg or ssh-keygen once or twice per signed commit: spread large batches over the machine's cores.
      const valid = todo.filter((s) => SHA.test(s));
      const parts = Math.max(1, Math.min(os.availableParallelism(), Math.floor(valid.length / MIN_CHUNK)));
      const size = Math.ceil(valid.length / parts);
      const chunks = Array.from({ length: parts }, (_, i) => valid.slice(i * size, (i + 1) * size)).filter((c) => c.length > 0);
      const texts = await Promise.all(chunks.map((c) => this.git(['log', '--no-walk=unsorted', '--ignore-missing', '--stdin', `--format=${FORMAT}`], `${c.join('\n')}\n`)));
      const sigs = texts.flatMap(parseSignatureLog);
      // git says N (no signature) when it cannot check a signature at all (an SSH signature without
      // gpg.ssh.allowedSignersFile): such a commit is signed by a key the repository cannot check, never "unsigned".
      const uncheckable = await this.signatureHeaders(sigs.filter((s) => s.status === 'unsigned').map((s) => s.commit));
      for (const sig of sigs) {
        const header = uncheckable.get(sig.commit);
        if (header) this.cache.set(sig.commit, { commit: sig.commit, status: 'unknown-key', format: header, detail: `git could not check this ${header} signature${header === 'ssh' ? ': gpg.ssh.allowedSignersFile is not configured' : ''}` });
        else this.cache.set(sig.commit, sig.format || sig.status === 'unsigned' ? sig : { ...sig, format: await this.formatOf(sig.commit) });
      }
      for (const s of todo) if (!this.cache.has(s)) this.cache.set(s, { commit: s, status: 'missing' });
    }
    for (const s of shas) out.set(s, this.cache.get(s)!);
    return out;
  }

  /** Which of these commits carry a signature header (`gpgsig`), and its format: one `git cat-file --batch`. */
  private async signatureHeaders(shas: readonly string[]): Promise<Map<string, 'openpgp' | 'ssh'>> {
    const out = new Map<string, 'openpgp' | 'ssh'>();
    if (shas.length === 0) return out;
    const buf = await new Promise<Buffer>((resolve, reject) => {
      const child = execFile('git', ['cat-file', '--batch'], { cwd: this.root, env: this.env, maxBuffer: 256 * 1024 * 1024, encoding: 'buffer' }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
      child.stdin?.end(`${shas.join('\n')}\n`);
    });
    // Each object: `<sha> <type> <size>\n<size bytes>\n` (or `<sha> missing\n`).
    for (let i = 0; i < buf.length; ) {
      const nl = buf.indexOf(0x0a, i);
      if (nl < 0) break;
      const m = /^([0-9a-f]+) commit (\d+)$/.exec(buf.subarray(i, nl).toString('latin1'));
      if (!m) {
        i = nl + 1;
        continue;
      }
      const body = buf.subarray(nl + 1, nl + 1 + Number(m[2])).toString('utf8');
      const headers = body.slice(0, Math.max(0, body.indexOf('\n\n')));
      if (/^gpgsig(-sha256)? /m.test(headers)) out.set(m[1]!, headers.includes('-----BEGIN SSH SIGNATURE-----') ? 'ssh' : 'openpgp');
      i = nl + 1 + Number(m[2]) + 1;
    }
    return out;
  }

  /** The signature's format read from the commit's `gpgsig` header (git names no key for a signature that fails to verify). */
  private async formatOf(sha: string): Promise<'openpgp' | 'ssh'> {
    return (await this.git(['cat-file', 'commit', sha])).includes('-----BEGIN SSH SIGNATURE-----') ? 'ssh' : 'openpgp';
  }

  private async resolve(revision: string): Promise<string | undefined> {
    try {
      return (await this.git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`])).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  /** What the verdicts depend on besides the commit: the allowed-signers file and the GnuPG keyring, by path and mtime. */
  private async trustStamp(): Promise<string> {
    const allowed = await this.allowedSignersFile();
    const gnupg = this.env.GNUPGHOME ?? path.join(os.homedir(), '.gnupg');
    const files = [allowed ? path.resolve(this.root, allowed) : '', ...['pubring.kbx', 'pubring.gpg', 'trustdb.gpg'].map((f) => path.join(gnupg, f))];
    return files.map((f) => `${f}:${mtime(f)}`).join('|');
  }

  /**
   * `gpg.ssh.allowedSignersFile` as git reads it. git is asked again only when one of the configuration files it
   * read (system, global, the repository's, and every file they include), or one it would read if it appeared, has
   * changed since: a grid, app page or report reading verdicts costs a few stats, not a git process, per call.
   */
  private async allowedSignersFile(): Promise<string> {
    if (this.config && stampOf(this.config.files) === this.config.stamp) return this.config.allowed;
    const files = [...new Set([...(await this.standardConfigFiles()), ...(await this.configOrigins())])].sort();
    // Stamped before git reads them: a file changed while git runs is read again next time.
    const stamp = stampOf(files);
    let allowed = '';
    try {
      allowed = (await this.git(['config', '--path', '--get', 'gpg.ssh.allowedSignersFile'])).trim();
    } catch {
      // not configured
    }
    this.config = { files, stamp, allowed };
    return allowed;
  }

  /** Where git looks for configuration, whether or not each file exists yet (a new file changes the stamp). */
  private async standardConfigFiles(): Promise<string[]> {
    const dirs = (await this.git(['rev-parse', '--absolute-git-dir', '--git-common-dir'])).split('\n').map((l) => l.trim()).filter(Boolean);
    const gitDir = dirs[0] ?? path.join(this.root, '.git');
    const common = path.resolve(this.root, dirs[1] ?? gitDir);
    const home = os.homedir();
    const xdg = this.env.XDG_CONFIG_HOME || path.join(home, '.config');
    return [
      path.join(common, 'config'),
      path.join(gitDir, 'config.worktree'),
      ...(this.env.GIT_CONFIG_GLOBAL !== undefined ? [this.env.GIT_CONFIG_GLOBAL] : [path.join(xdg, 'git', 'config'), path.join(home, '.gitconfig')]),
      ...(this.env.GIT_CONFIG_NOSYSTEM ? [] : [this.env.GIT_CONFIG_SYSTEM ?? '/etc/gitconfig']),
    ].filter(Boolean).map((f) => path.resolve(this.root, f));
  }

  /** Every file git read configuration from, includes among them (`git config --list --show-origin`). */
  private async configOrigins(): Promise<string[]> {
    let fields: string[];
    try {
      fields = (await this.git(['config', '--list', '--show-origin', '--name-only', '-z'])).split('\0');
    } catch {
      return [];
    }
    const out: string[] = [];
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const origin = fields[i]!;
      if (origin.startsWith('file:')) out.push(path.resolve(this.root, origin.slice('file:'.length)));
    }
    return out;
  }

  private git(args: readonly string[], input?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = execFile('git', [...args], { cwd: this.root, env: this.env, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
      if (input !== undefined) child.stdin?.end(input);
    });
  }
}

/** Parses `git log --format=FORMAT` records into signatures (without a format when git named no key). */
export function parseSignatureLog(text: string): CommitSignature[] {
  const out: CommitSignature[] = [];
  for (const record of text.split(RECORD)) {
    const [sha = '', code = 'N', signer = '', key = '', fingerprint = '', words = ''] = record.replace(/^\n/, '').split(FIELD);
    if (!SHA.test(sha)) continue;
    const detail = words.split('\n').map((l) => l.trim()).filter(Boolean).join('; ').slice(0, 300);
    const status = signatureStatus(code);
    if (status === 'unsigned') {
      out.push({ commit: sha, status });
      continue;
    }
    const id = fingerprint || key;
    // git names the key of every signature it could check: an SSH fingerprint, or an OpenPGP key id or fingerprint.
    const format = id.startsWith('SHA256:') ? 'ssh' as const : id ? 'openpgp' as const : undefined;
    out.push({
      commit: sha,
      status,
      ...(format ? { format } : {}),
      ...(signer ? { signer } : {}),
      ...(id ? { key: id } : {}),
      ...(status !== 'good' && detail ? { detail } : {}),
    });
  }
  return out;
}

/** The files' paths with their mtimes and sizes, in one string. */
function stampOf(files: readonly string[]): string {
  return files.map((f) => `${f}:${mtime(f)}`).join('|');
}

function mtime(file: string): string {
  if (!file) return '';
  try {
    const s = statSync(file);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return 'none';
  }
}

const verifiers = new Map<string, CommitSignatureVerifier>();

/** The process's one verifier of a repository: its verdicts are cached for the grid, app pages, reports and promotions alike. */
export function verifierFor(root: string): CommitSignatureVerifier {
  const key = path.resolve(root);
  let v = verifiers.get(key);
  if (!v) verifiers.set(key, (v = new CommitSignatureVerifier(key)));
  return v;
}

/** What verifying a set of revisions gave: verdicts by commit, or why git could not verify (the revisions stay unknown). */
export interface RevisionVerdicts {
  readonly verdicts: ReadonlyMap<string, CommitSignature>;
  readonly problem?: Problem;
}

/** Verifies the signatures of commits in a repository (cached per commit); a failure of git is a warning, never thrown. */
export async function verifyRevisions(root: string, revisions: readonly string[]): Promise<RevisionVerdicts> {
  if (revisions.length === 0) return { verdicts: new Map() };
  try {
    return { verdicts: await verifierFor(root).verify(revisions) };
  } catch (err) {
    return { verdicts: new Map(), problem: { ...toProblem(err, { file: root }), severity: 'warning', message: `could not verify commit signatures: ${toProblem(err).message}` } };
  }
}
