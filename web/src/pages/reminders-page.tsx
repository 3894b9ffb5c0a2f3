import { useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useApp } from '../app-context.tsx';
import { follow } from '../router.ts';
import { formatInstant } from '../tasks/format.ts';
import { ApiError } from '../tasks/task-queries.ts';

const STATUSES = ['pending', 'sent', 'failed', 'missed', 'cancelled'] as const;

/** The person's reminders: pending, and sent, failed or missed with what happened per channel. */
export function RemindersPage() {
  const { api } = useApp();
  const [status, setStatus] = useState<'' | (typeof STATUSES)[number]>('');
  const list = useInfiniteQuery({
    queryKey: ['notifications', status],
    initialPageParam: '',
    queryFn: async ({ pageParam }) => {
      const { data, response } = await api.GET('/api/notifications', { params: { query: { limit: 50, ...(status ? { status } : {}), ...(pageParam ? { cursor: pageParam } : {}) } } });
      if (!data) throw new ApiError(`GET /api/notifications answered ${response.status}`);
      return data;
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items = (list.data?.pages ?? []).flatMap((page) => page.items);
  return (
    <>
      <h1>Reminders</h1>
      <div className="filters">
        <div className="field">
          <label htmlFor="reminder-status">Status</label>
          <select id="reminder-status" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
            <option value="">Any</option>
            {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
      </div>
      {list.isError && <p role="alert" className="error">{list.error.message}</p>}
      {list.isPending ? <p aria-busy="true">Loading…</p> : items.length === 0 ? <p className="empty">No reminders.</p> : (
        <ul className="tasks">
          {items.map((n) => (
            <li key={`${n.task_id}-${n.reminder_index}-${n.fire_at}`}>
              <div className="task-main">
                <a className="title" href={`/tasks/${n.task_id}`} onClick={(e) => follow(e, `/tasks/${n.task_id}`)}>{n.title}</a>
                <div className="meta">
                  <span className={`badge ${n.status}`}>{n.status}</span>
                  <span><time dateTime={n.fire_at}>{formatInstant(n.fire_at)}</time></span>
                  {n.deliveries.map((d) => (
                    <span key={d.channel}>
                      {d.channel}: {d.status}{d.delivered_via && d.delivered_via !== d.channel ? ` (via ${d.delivered_via})` : ''}{d.late ? ', late' : ''}{d.last_error ? ` — ${d.last_error}` : ''}
                    </span>
                  ))}
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
      {list.hasNextPage && <button type="button" className="more" onClick={() => void list.fetchNextPage()}>Load more</button>}
    </>
  );
}
