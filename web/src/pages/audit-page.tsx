import { useState, type FormEvent } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useApp } from '../app-context.tsx';
import type { AuditEntry } from '../api/types.ts';
import { follow } from '../router.ts';
import { formatInstant } from '../tasks/format.ts';
import { ApiError } from '../tasks/task-queries.ts';

const ACTIONS = ['created', 'updated', 'completed', 'reopened', 'deleted'] as const;

/** The audit log of one's own tasks, newest first; an admin may look at another user's. */
export function AuditPage() {
  const { api, claims } = useApp();
  const admin = claims.roles.includes('admin');
  const [action, setAction] = useState<'' | (typeof ACTIONS)[number]>('');
  const [userInput, setUserInput] = useState('');
  const [userId, setUserId] = useState('');
  const log = useInfiniteQuery({
    queryKey: ['audit', action, userId],
    initialPageParam: '',
    queryFn: async ({ pageParam }) => {
      const { data, error, response } = await api.GET('/api/audit', {
        params: { query: { limit: 50, ...(action ? { action } : {}), ...(userId ? { user_id: userId } : {}), ...(pageParam ? { cursor: pageParam } : {}) } },
      });
      if (!data) throw new ApiError(error?.detail ?? `GET /api/audit answered ${response.status}`);
      return data;
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const entries = (log.data?.pages ?? []).flatMap((page) => page.items);
  const look = (event: FormEvent) => { event.preventDefault(); setUserId(userInput.trim()); };
  return (
    <>
      <h1>Audit log</h1>
      <div className="filters">
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <select id="audit-action" value={action} onChange={(e) => setAction(e.target.value as typeof action)}>
            <option value="">Any</option>
            {ACTIONS.map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
        </div>
        {admin && (
          <form onSubmit={look} className="row">
            <div className="field"><label htmlFor="audit-user">User (admin)</label>
              <input id="audit-user" value={userInput} onChange={(e) => setUserInput(e.target.value)} placeholder={claims.sub} /></div>
            <button type="submit">Show</button>
          </form>
        )}
      </div>
      {log.isError && <p role="alert" className="error">{log.error.message}</p>}
      {log.isPending ? <p aria-busy="true">Loading…</p> : entries.length === 0 ? <p className="empty">Nothing recorded yet.</p> : (
        <div className="table-wrap">
          <table data-testid="audit">
            <caption className="visually-hidden">Audit entries, newest first</caption>
            <thead><tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">Task</th><th scope="col">Changed</th><th scope="col">By</th></tr></thead>
            <tbody>{entries.map((entry) => <AuditRow key={entry.event_id} entry={entry} />)}</tbody>
          </table>
        </div>
      )}
      {log.hasNextPage && <button type="button" className="more" onClick={() => void log.fetchNextPage()}>Load more</button>}
    </>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const fields = Object.keys(entry.after ?? {});
  const title = typeof entry.after?.title === 'string' ? entry.after.title : entry.task_id.slice(0, 8);
  return (
    <tr>
      <td><time dateTime={entry.occurred_at}>{formatInstant(entry.occurred_at)}</time></td>
      <td data-testid="audit-action">{entry.action}</td>
      <td><a href={`/tasks/${entry.task_id}`} onClick={(e) => follow(e, `/tasks/${entry.task_id}`)}>{title}</a></td>
      <td>{fields.join(', ')}</td>
      <td>{entry.actor_id}</td>
    </tr>
  );
}
