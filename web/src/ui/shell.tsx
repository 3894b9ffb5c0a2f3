import { useSyncExternalStore } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useApp, type Toast } from '../app-context.tsx';
import type { Conflict } from '../offline/command-queue.ts';
import { uuid } from '../offline/uuid.ts';
import { follow, useRoute } from '../router.ts';
import { TaskListPage } from '../pages/task-list.tsx';
import { TaskPage } from '../pages/task-page.tsx';
import { AuditPage } from '../pages/audit-page.tsx';
import { RemindersPage } from '../pages/reminders-page.tsx';
import { TaskCard } from './task-card.tsx';

const CONNECTION_TEXT = { live: 'Live', connecting: 'Connecting…', offline: 'Offline' } as const;

export function Shell({ toasts, dismissToast }: { toasts: readonly Toast[]; dismissToast: (id: number) => void }) {
  const { claims, auth, connection, queue, send } = useApp();
  const route = useRoute();
  const queued = useSyncExternalStore(queue.subscribe, queue.getState);
  const nav = [
    { path: '/', label: 'Tasks', current: route.page === 'tasks' || route.page === 'task' },
    { path: '/audit', label: 'Audit log', current: route.page === 'audit' },
    { path: '/reminders', label: 'Reminders', current: route.page === 'reminders' },
  ];
  return (
    <>
      <a className="skip" href="#main">Skip to content</a>
      <header className="top">
        <a className="brand" href="/" onClick={(e) => follow(e, '/')}>Todo</a>
        <nav aria-label="Main">
          {nav.map((item) => (
            <a key={item.path} href={item.path} aria-current={item.current ? 'page' : undefined} onClick={(e) => follow(e, item.path)}>{item.label}</a>
          ))}
        </nav>
        <div className="status">
          <span className={`connection ${connection}`} role="status" data-testid="connection" data-state={connection}>
            <span aria-hidden="true" className="dot" />{CONNECTION_TEXT[connection]}
          </span>
          {queued.commands.length > 0 && (
            <span className="pending-count" data-testid="pending-count">{queued.commands.length} pending</span>
          )}
          <span className="who" data-testid="who" title={claims.sub}>
            {claims.name ?? claims.email ?? claims.sub}{claims.roles.includes('admin') ? ' (admin)' : ''}
          </span>
          <button type="button" onClick={() => { void auth.signOut(); }}>Sign out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === 'task' ? <TaskPage id={route.id} key={route.id} />
          : route.page === 'audit' ? <AuditPage />
            : route.page === 'reminders' ? <RemindersPage />
              : <TaskListPage />}
      </main>
      <div className="toasts" aria-live="polite">
        {toasts.map((toast) => (
          <div className="toast" key={toast.id} role="status">
            <span>{toast.message}</span>
            {toast.undo && (
              <button type="button" onClick={() => { if (toast.undo) send({ ...toast.undo, key: uuid() }); dismissToast(toast.id); }}>Undo</button>
            )}
            <button type="button" aria-label="Dismiss" onClick={() => dismissToast(toast.id)}>×</button>
          </div>
        ))}
        {queued.refusals.map((refusal, index) => (
          <div className="toast error" key={`r${index}`} role="alert">
            <span>The server refused a change: {refusal.message}</span>
            <button type="button" aria-label="Dismiss" onClick={() => queue.dismissRefusal(refusal)}>×</button>
          </div>
        ))}
      </div>
      {queued.conflicts[0] && <ConflictDialog conflict={queued.conflicts[0]} />}
    </>
  );
}

/** A 412: the task changed since the person loaded it. Show what it is now; let them choose. */
function ConflictDialog({ conflict }: { conflict: Conflict }) {
  const { api, queue, send } = useApp();
  const { command } = conflict;
  const current = useQuery({
    queryKey: ['task', command.taskId],
    queryFn: async () => (await api.GET('/api/tasks/{id}', { params: { path: { id: command.taskId } } })).data ?? null,
  });
  const task = current.data;
  return (
    <div className="backdrop">
      <div role="alertdialog" aria-modal="true" aria-labelledby="conflict-title" aria-describedby="conflict-text" className="dialog" data-testid="conflict">
        <h2 id="conflict-title">This task was changed elsewhere</h2>
        <p id="conflict-text">
          Your change was made to an older version. The task is now at version {task?.version ?? conflict.problem.current_version ?? '…'}:
        </p>
        {task && <TaskCard task={task} />}
        {command.kind === 'update' && <p>Your change: {Object.keys(command.body).join(', ')}.</p>}
        <div className="actions">
          <button type="button" className="primary" autoFocus onClick={() => {
            queue.dismissConflict(conflict);
            if (command.kind === 'update') send({ ...command, key: uuid(), ...(task ? { ifMatch: task.version } : {}) });
            else send({ ...command, key: uuid() });
          }}>Apply my change to the current version</button>
          <button type="button" onClick={() => queue.dismissConflict(conflict)}>Keep the current version</button>
        </div>
      </div>
    </div>
  );
}
