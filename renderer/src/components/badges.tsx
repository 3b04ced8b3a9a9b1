import type { HealthStatus, SyncStatus } from '../../../shared/model/status';

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

/** How long ago an ISO time was, in words ("3 min ago"). */
export function age(iso: string | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}
