import { useEffect } from 'react';
import type { NotificationDelivery } from '../../../shared/api/notifications';
import { ProblemList } from '../components/problem-list';
import { When } from '../components/when';
import { useStore } from '../store';
import { LoadError } from '../components/load-error';

/**
 * The Notifications page: what argocd-notifications-cm is read from and what is wrong with it (each problem at its
 * file:line:col), then the latest deliveries — sent or failed, with their attempts and the receiver's error (secrets
 * masked). It re-reads after every evaluation, which follows each refresh, sync and promotion.
 */
export function NotificationsPage() {
  const view = useStore((s) => s.notifications);
  const error = useStore((s) => s.notificationsError);
  const load = useStore((s) => s.loadNotifications);
  useEffect(() => void load(), [load]);
  const failed = view?.deliveries.filter((d) => d.outcome === 'failed').length ?? 0;
  return (
    <div className="page notifications-page">
      <div className="page-head">
        <h1>Notifications</h1>
        {view && (
          <span className="muted" aria-label="Configuration">
            {view.source ? <>argocd-notifications-cm from <code>{view.source}</code></> : 'no argocd-notifications-cm found'}
            {view.evaluatedAt ? <> · last evaluated <When iso={view.evaluatedAt} /></> : null}
          </span>
        )}
      </div>
      {error && (
        <LoadError message={error} />
      )}
      {view && !view.source && (
        <div className="empty-state">
          <p>Flotilla sends Argo CD–format notifications once it finds an argocd-notifications-cm ConfigMap. It looks, in order, in:</p>
          <ul>
            {view.places.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      {view && <ProblemList problems={view.problems} title="Configuration problems" />}
      {view && (
        <section aria-labelledby="deliveries-h">
          <h2 id="deliveries-h">
            Deliveries <span className="muted">{view.deliveries.length === 0 ? 'none yet' : `latest ${view.deliveries.length}${failed ? `, ${failed} failed` : ''}`}</span>
          </h2>
          {view.deliveries.length > 0 && <Deliveries deliveries={view.deliveries} />}
        </section>
      )}
    </div>
  );
}

function Deliveries({ deliveries }: { readonly deliveries: readonly NotificationDelivery[] }) {
  return (
    <table className="grid deliveries" aria-label="Notification deliveries">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Outcome</th>
          <th scope="col">Trigger</th>
          <th scope="col">App</th>
          <th scope="col">Service</th>
          <th scope="col">Attempts</th>
          <th scope="col">Error</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((d) => (
          <tr key={d.id} className={`delivery-${d.outcome}`}>
            <td>
              <When iso={d.at} full />
            </td>
            <td>
              <span className={`badge outcome-${d.outcome}`}>
                <span aria-hidden="true">{d.outcome === 'sent' ? '✓' : '✖'}</span> {d.outcome}
              </span>
            </td>
            <td>
              {d.trigger} <span className="muted">({d.template})</span>
            </td>
            <td>{d.appKey}</td>
            <td>
              <code>{d.recipient ? `${d.service}:${d.recipient}` : d.service}</code>
            </td>
            <td className="n">{d.attempts}</td>
            <td className="delivery-error">{d.error ? <code>{d.error}</code> : null}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
