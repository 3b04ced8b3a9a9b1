import { agreement, verdictsBeside } from '../../../shared/controllers/summary';
import type { FlotillaVerdict } from '../../../shared/controllers/summary';
import type { ControllerStatus } from '../../../shared/controllers/types';
import type { HealthStatus, SyncStatus } from '../../../shared/model/status';
import type { CommitSignature, SignatureVerdict } from '../../../shared/repo/signature';
import { describeSignature, signatureVerdict, signatureWords } from '../../../shared/repo/signature';

const HEALTH_ICON: Record<HealthStatus, string> = { Healthy: '♥', Progressing: '◔', Degraded: '✖', Suspended: '❚❚', Missing: '?', Unknown: '?' };
const SYNC_ICON: Record<SyncStatus, string> = { Synced: '✓', OutOfSync: '≠', Unknown: '?' };

/** A sync status as text and symbol (never colour alone). */
export function SyncBadge({ sync, count }: { readonly sync: SyncStatus; readonly count?: number }) {
  return (
    <span className={`badge sync-${sync}`}>
      <span aria-hidden="true">{SYNC_ICON[sync]}</span> {sync}
      {sync === 'OutOfSync' && count ? ` (${count})` : ''}
    </span>
  );
}

/** A health status as text and symbol, with its message as a tooltip. */
export function HealthBadge({ health, message }: { readonly health: HealthStatus; readonly message?: string }) {
  return (
    <span className={`badge health-${health}`} title={message || undefined}>
      <span aria-hidden="true">{HEALTH_ICON[health]}</span> {health}
    </span>
  );
}

/**
 * The controller's own word beside Flotilla's (`Argo CD ✓`, `Flux ≠`): ✓ when both agree on whether the app is in
 * sync, ≠ when they disagree, ? when either cannot say; the full sentence as its title.
 */
export function ControllerTag({ controller, verdict }: { readonly controller: ControllerStatus; readonly verdict: FlotillaVerdict }) {
  const a = agreement(controller, verdict);
  const icon = a === 'agree' ? '✓' : a === 'disagree' ? '≠' : '?';
  return (
    <span className={`controller-tag controller-${a}`} title={verdictsBeside(controller, verdict)}>
      {controller.controller} <span aria-hidden="true">{icon}</span>
    </span>
  );
}

const SIGNATURE_ICON: Record<SignatureVerdict, string> = { signed: '✔', untrusted: '⚠', unsigned: '○', bad: '✖', unknown: '?' };
const SIGNATURE_TEXT: Record<SignatureVerdict, string> = { signed: 'signed', untrusted: 'untrusted', unsigned: 'unsigned', bad: 'bad sig', unknown: 'unknown' };

/**
 * The signature of the commit an app × cluster runs, as a word and symbol (never colour alone), named by the verdict in
 * words (`signed by alice@example.com`) and with git's full verdict (signer, key) as its title.
 */
export function SignatureBadge({ signature }: { readonly signature: CommitSignature }) {
  const v = signatureVerdict(signature);
  return (
    <span className={`sig-badge sig-${v}`} role="img" aria-label={signatureWords(signature)} title={describeSignature(signature)}>
      <span aria-hidden="true">{SIGNATURE_ICON[v]}</span> {SIGNATURE_TEXT[v]}
    </span>
  );
}

/** How long ago an ISO time was, in words ("3 min ago"). */
export function age(iso: string | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}
