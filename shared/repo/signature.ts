// A commit's signature as git verifies it against the repository's trust (GnuPG keyring or gpg.ssh.allowedSignersFile):
// read by the `signedCommits` promotion gate and shown for the revision each app × cluster runs. Pure: the Node side runs
// git and passes the verdicts.

/**
 * What git said of a commit's signature: `good` (valid, from a trusted key or an allowed signer), `bad` (does not
 * verify, or an expired or revoked key), `unknown-key` (a key the repository does not trust or does not have),
 * `unsigned`, or `missing` (the commit is not in the repository).
 */
export type SignatureStatus = 'good' | 'bad' | 'unknown-key' | 'unsigned' | 'missing';

/** One commit's verified signature. */
export interface CommitSignature {
  readonly commit: string;
  readonly status: SignatureStatus;
  /** `openpgp` or `ssh`, when signed. */
  readonly format?: 'openpgp' | 'ssh';
  /** Who signed: the GnuPG user id or the allowed-signers principal (empty for an unknown key). */
  readonly signer?: string;
  /** The signing key: the OpenPGP key id or the SSH key's SHA256 fingerprint. */
  readonly key?: string;
  /** git's own words when the signature is not good (first line of `%GG`). */
  readonly detail?: string;
}

/** How a signature reads to a person: `good signature by alice@example.com (ssh SHA256:…)`. */
export function describeSignature(sig: CommitSignature): string {
  const key = sig.key ? ` (${sig.format ?? 'key'} ${sig.key})` : '';
  const c = sig.commit.slice(0, 7);
  switch (sig.status) {
    case 'good':
      return `${c} has a good signature by ${sig.signer || 'an unnamed signer'}${key}`;
    case 'bad':
      return `${c} has a bad signature${sig.signer ? ` claiming ${sig.signer}` : ''}${key}${sig.detail ? `: ${sig.detail}` : ''}`;
    case 'unknown-key':
      return `${c} is signed by a key the repository does not trust${key}${sig.detail ? `: ${sig.detail}` : ''}`;
    case 'unsigned':
      return `${c} is not signed`;
    case 'missing':
      return `${c} is not in the repository`;
  }
}

/** Maps git's `%G?` code and key to a status (ssh: `U` means no principal in the allowed signers matched). */
export function signatureStatus(code: string): SignatureStatus {
  switch (code) {
    case 'G':
      return 'good';
    case 'N':
      return 'unsigned';
    // U: valid but untrusted (GnuPG) or no allowed signer (ssh); E: the key is missing, so it cannot be checked.
    case 'U':
    case 'E':
      return 'unknown-key';
    // B bad, X expired signature, Y expired key, R revoked key.
    default:
      return 'bad';
  }
}

/**
 * A signature in a word, as the grid's badge, the app page and reports say it: `signed` (good, from a trusted key or
 * allowed signer), `untrusted` (a valid signature by a key the repository does not trust), `unsigned`, `bad` (does not
 * verify, expired or revoked key) or `unknown` (the commit is not in the repository: nothing could be checked).
 */
export type SignatureVerdict = 'signed' | 'untrusted' | 'unsigned' | 'bad' | 'unknown';

/** The verdict of a verified signature. */
export function signatureVerdict(sig: CommitSignature): SignatureVerdict {
  switch (sig.status) {
    case 'good':
      return 'signed';
    case 'unknown-key':
      return 'untrusted';
    case 'unsigned':
      return 'unsigned';
    case 'bad':
      return 'bad';
    case 'missing':
      return 'unknown';
  }
}

/** The verdict in a few words for people (`signed by alice@example.com`, `untrusted key SHA256:…`, `unsigned`). */
export function signatureWords(sig: CommitSignature): string {
  switch (signatureVerdict(sig)) {
    case 'signed':
      return `signed by ${sig.signer || sig.key || 'an unnamed signer'}`;
    case 'untrusted':
      return `signed by an untrusted key${sig.key ? ` ${sig.key}` : ''}`;
    case 'unsigned':
      return 'unsigned';
    case 'bad':
      return `bad signature${sig.signer ? ` claiming ${sig.signer}` : ''}`;
    case 'unknown':
      return 'signature unknown: commit not in the repository';
  }
}
