import { useStore } from '../store';
import { When } from './when';

/** The checkout against its upstream in the header: behind and ahead (as of the last fetch), and a Fetch that never pulls. */
export function RemoteStanding() {
  const remote = useStore((s) => s.remote);
  const fetching = useStore((s) => s.fetching);
  const error = useStore((s) => s.fetchError);
  const fetchRemote = useStore((s) => s.fetchRemote);
  if (!remote?.upstream) return null;
  const { ahead, behind, upstream } = remote;
  const words = behind === 0 && ahead === 0 ? `up to date with ${upstream}` : `${[behind ? `${behind} behind` : '', ahead ? `${ahead} ahead of` : ''].filter(Boolean).join(', ')} ${upstream}`;
  return (
    <span className="remote-standing" aria-label="Checkout against its remote">
      <span className={behind || ahead ? 'remote-off' : 'muted'}>{words}</span>
      {remote.fetchedAt && (
        <span className="muted small">
          {' '}
          · fetched <When iso={remote.fetchedAt} />
        </span>
      )}{' '}
      <button type="button" className="fetch" onClick={() => void fetchRemote()} disabled={fetching} title={`git fetch ${remote.remote ?? ''}: updates ${upstream}; your branch and working tree are not changed`}>
        {fetching ? 'Fetching…' : 'Fetch'}
      </button>
      {error && (
        <span role="alert" className="error-text small">
          {' '}
          {error}
        </span>
      )}
    </span>
  );
}
