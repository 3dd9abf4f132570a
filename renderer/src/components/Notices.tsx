import type { PaddockApi } from '../../../electron/common/api';
import { useApiValue } from '../hooks';

/** App-level notices, such as a settings file that was moved aside at start. */
export function Notices({ api }: { api: PaddockApi }) {
  const notices = useApiValue(() => api.listNotices(), (listener) => api.onNoticesChanged(listener));
  if (notices.state !== 'ready' || notices.value.length === 0) return null;
  return (
    <div className="notices" role="region" aria-label="Notices">
      {notices.value.map((notice) => (
        <div key={notice.id} className={`notice notice-${notice.level}`} role={notice.level === 'info' ? 'status' : 'alert'}>
          <p>{notice.message}</p>
          <button type="button" onClick={() => void api.dismissNotice({ id: notice.id }).catch(() => undefined)}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
