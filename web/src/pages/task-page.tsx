import { useEffect, useMemo, useState, useSyncExternalStore, type FormEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useApp } from '../app-context.tsx';
import { PRIORITIES, type Task } from '../api/types.ts';
import { taskOfCreation, withPending, type ShownTask } from '../offline/commands.ts';
import { uuid } from '../offline/uuid.ts';
import { follow, navigate } from '../router.ts';
import { formatDue, formatInstant } from '../tasks/format.ts';
import { changes, formOf, NEW_REMINDER, scheduleOf, type ReminderForm, type ScheduleQuery, type TaskForm } from '../tasks/task-form.ts';
import { WEEKDAYS, weekdayName, type RepeatForm } from '../tasks/recurrence.ts';
import { ApiError, useOwnTags } from '../tasks/task-queries.ts';
import { TaskCard } from '../ui/task-card.tsx';
import { useShortcut } from '../ui/shortcuts.ts';

const TIME_ZONES: readonly string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];

export function TaskPage({ id }: { id: string }) {
  const { api, queue, send } = useApp();
  const queued = useSyncExternalStore(queue.subscribe, queue.getState);
  const served = useQuery({
    queryKey: ['task', id],
    queryFn: async () => {
      const { data, response } = await api.GET('/api/tasks/{id}', { params: { path: { id } } });
      if (response.status === 404) return null;
      if (!data) throw new ApiError(`GET /api/tasks/${id} answered ${response.status}`);
      return data;
    },
  });
  const task: ShownTask | null = useMemo(() => {
    const creation = queued.commands.find((command) => command.kind === 'create' && command.taskId === id);
    const base = served.data ?? (creation?.kind === 'create' ? taskOfCreation(creation) : null);
    return base ? withPending(base, queued.commands) : null;
  }, [served.data, queued.commands, id]);

  // The schedule being edited, for the live preview of the next occurrences.
  const [schedule, setSchedule] = useState<ScheduleQuery | null>(null);
  useShortcut('x', () => { if (task) toggle(task); });
  const toggle = (current: ShownTask) => {
    const completing = current.status === 'open';
    send({ kind: completing ? 'complete' : 'reopen', key: uuid(), taskId: id }, {
      message: `${completing ? 'Completed' : 'Reopened'} “${current.title}”`, undo: { kind: completing ? 'reopen' : 'complete', key: '', taskId: id },
    });
  };

  if (served.isPending && !task) return <p aria-busy="true">Loading…</p>;
  if (!task) {
    return (
      <>
        <h1>Task not found</h1>
        <p>It may have been deleted, or it belongs to someone else. <a href="/" onClick={(e) => follow(e, '/')}>Back to the list</a></p>
      </>
    );
  }
  return (
    <>
      <p><a href="/" onClick={(e) => follow(e, '/')}>← All tasks</a></p>
      <h1 data-testid="task-title">{task.title}</h1>
      <p className="meta">
        <span data-testid="task-status">{task.deleted ? 'deleted' : task.status}</span>
        {task.version > 0 && <> · version <span data-testid="task-version">{task.version}</span></>}
        {task.pending && <> · <span className="badge" data-testid="pending">Pending</span></>}
        {task.series_id && <> · part of a series</>}
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => toggle(task)} aria-keyshortcuts="x">{task.status === 'open' ? 'Complete' : 'Reopen'}</button>
        <button type="button" onClick={() => {
          send({ kind: 'delete', key: uuid(), taskId: id }, { message: `Deleted “${task.title}”`, undo: { kind: 'reopen', key: '', taskId: id } });
          navigate('/');
        }}>Delete</button>
      </div>
      <div className="columns">
        <EditForm task={task} onSchedule={setSchedule} />
        <aside>
          <Occurrences task={task} schedule={schedule} />
          <History task={task} />
        </aside>
      </div>
    </>
  );
}

function EditForm({ task, onSchedule }: { task: ShownTask; onSchedule: (schedule: ScheduleQuery | null) => void }) {
  const { api, send } = useApp();
  const tags = useOwnTags(api);
  const [form, setForm] = useState<TaskForm>(() => formOf(task));
  // The version the form was loaded from: what the person's edit is based on, sent as If-Match. null
  // right after a save: the next version of the task (theirs) is adopted.
  const [base, setBase] = useState<Task | null>(task);
  // A change from elsewhere (another tab, the live feed) shows in the form unless the person is editing it;
  // an edit in progress keeps its base, so saving it against a newer version is a 412 the person resolves.
  useEffect(() => {
    if (base === null || Object.keys(changes(base, form)).length === 0) {
      setForm(formOf(task));
      setBase(task);
    }
  }, [task.version, task.pending]);
  const schedule = scheduleOf(form);
  const scheduleKey = JSON.stringify(schedule);
  useEffect(() => { onSchedule(schedule); }, [scheduleKey]);
  const body = changes(base ?? task, form);
  const dirty = Object.keys(body).length > 0;
  const set = (patch: Partial<TaskForm>) => setForm({ ...form, ...patch });
  const setRepeat = (patch: Partial<RepeatForm>) => set({ repeat: { ...form.repeat, ...patch } });
  const setReminder = (index: number, patch: Partial<ReminderForm>) => set({ reminders: form.reminders.map((r, i) => (i === index ? { ...r, ...patch } : r)) });
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!dirty || !form.title.trim()) return;
    const ifMatch = (base ?? task).version;
    send({ kind: 'update', key: uuid(), taskId: task.id, body, ...(ifMatch > 0 && !task.pending ? { ifMatch } : {}) }, { message: 'Saved' });
    setBase(null);
  };
  return (
    <form className="edit" onSubmit={save} aria-label="Edit task">
      <div className="field">
        <label htmlFor="title">Title</label>
        <input id="title" required maxLength={200} value={form.title} onChange={(e) => set({ title: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="description">Description</label>
        <textarea id="description" rows={4} maxLength={10000} value={form.description} onChange={(e) => set({ description: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="estimate">Estimate (minutes)</label>
        <input id="estimate" type="number" min={1} max={100000} step={1} value={form.estimate} onChange={(e) => set({ estimate: e.target.value })} />
      </div>
      <div className="row">
        <div className="field">
          <label htmlFor="priority">Priority</label>
          <select id="priority" value={form.priority} onChange={(e) => set({ priority: e.target.value as TaskForm['priority'] })}>
            {PRIORITIES.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </div>
        <div className="field grow">
          <label htmlFor="tags">Tags (comma-separated)</label>
          <input id="tags" list="tag-suggestions" value={form.tags} onChange={(e) => set({ tags: e.target.value })} autoComplete="off" />
          <datalist id="tag-suggestions">
            {(tags.data ?? []).map((tag) => <option key={tag} value={`${form.tags.replace(/[^,]*$/, '').trim()}${form.tags.includes(',') ? ' ' : ''}${tag}`} />)}
          </datalist>
        </div>
      </div>
      <fieldset>
        <legend>Due</legend>
        <div className="row">
          <div className="field">
            <label htmlFor="due-kind">Kind</label>
            <select id="due-kind" value={form.dueKind} onChange={(e) => set({ dueKind: e.target.value as TaskForm['dueKind'] })}>
              <option value="none">No due date</option><option value="date">A date</option><option value="datetime">A date and time</option>
            </select>
          </div>
          {form.dueKind === 'date' && (
            <div className="field"><label htmlFor="due-date">Date</label>
              <input id="due-date" type="date" value={form.dueDate} onChange={(e) => set({ dueDate: e.target.value })} /></div>
          )}
          {form.dueKind === 'datetime' && (
            <>
              <div className="field"><label htmlFor="due-datetime">Date and time</label>
                <input id="due-datetime" type="datetime-local" value={form.dueDateTime} onChange={(e) => set({ dueDateTime: e.target.value })} /></div>
              <div className="field"><label htmlFor="timezone">Time zone</label>
                <select id="timezone" value={form.timezone} onChange={(e) => set({ timezone: e.target.value })}>
                  {(TIME_ZONES.includes(form.timezone) ? TIME_ZONES : [form.timezone, ...TIME_ZONES]).map((zone) => <option key={zone} value={zone}>{zone}</option>)}
                </select></div>
            </>
          )}
        </div>
      </fieldset>
      <fieldset>
        <legend>Reminders</legend>
        {form.reminders.map((reminder, index) => (
          <div className="row reminder" key={index} role="group" aria-label={`Reminder ${index + 1}`}>
            <div className="field">
              <label htmlFor={`reminder-kind-${index}`}>When</label>
              <select id={`reminder-kind-${index}`} value={reminder.kind} onChange={(e) => setReminder(index, { kind: e.target.value as ReminderForm['kind'] })}>
                <option value="before">Before the due</option><option value="at">At a time</option>
              </select>
            </div>
            {reminder.kind === 'before'
              ? <div className="field"><label htmlFor={`reminder-minutes-${index}`}>Minutes before</label>
                <input id={`reminder-minutes-${index}`} type="number" min={0} max={525600} value={reminder.minutes} onChange={(e) => setReminder(index, { minutes: Number(e.target.value) })} /></div>
              : <div className="field"><label htmlFor={`reminder-at-${index}`}>At</label>
                <input id={`reminder-at-${index}`} type="datetime-local" value={reminder.at} onChange={(e) => setReminder(index, { at: e.target.value })} /></div>}
            <label className="chip"><input type="checkbox" checked={reminder.email} onChange={(e) => setReminder(index, { email: e.target.checked })} />Email</label>
            <label className="chip"><input type="checkbox" checked={reminder.push} onChange={(e) => setReminder(index, { push: e.target.checked })} />Push</label>
            <button type="button" className="quiet" onClick={() => set({ reminders: form.reminders.filter((_, i) => i !== index) })}>Remove reminder {index + 1}</button>
          </div>
        ))}
        {form.reminders.length < 10 && <button type="button" onClick={() => set({ reminders: [...form.reminders, NEW_REMINDER] })}>Add a reminder</button>}
      </fieldset>
      <RepeatFields repeat={form.repeat} setRepeat={setRepeat} />
      <div className="actions">
        <button type="submit" className="primary" disabled={!dirty}>Save</button>
        <button type="button" disabled={!dirty} onClick={() => { setForm(formOf(task)); setBase(task); }}>Discard changes</button>
        {dirty && <span className="hint">Unsaved changes</span>}
        {dirty && base && base.version < task.version && <span className="hint" role="status">Changed elsewhere since you began editing</span>}
      </div>
    </form>
  );
}

function RepeatFields({ repeat, setRepeat }: { repeat: RepeatForm; setRepeat: (patch: Partial<RepeatForm>) => void }) {
  return (
    <fieldset>
      <legend>Repeat</legend>
      <div className="row">
        <div className="field">
          <label htmlFor="repeat-freq">Repeats</label>
          <select id="repeat-freq" value={repeat.freq} onChange={(e) => setRepeat({ freq: e.target.value as RepeatForm['freq'] })}>
            <option value="none">Never</option><option value="DAILY">Daily</option><option value="WEEKLY">Weekly</option>
            <option value="MONTHLY">Monthly</option><option value="YEARLY">Yearly</option>
          </select>
        </div>
        {repeat.freq !== 'none' && (
          <div className="field"><label htmlFor="repeat-interval">Every</label>
            <input id="repeat-interval" type="number" min={1} max={999} value={repeat.interval} onChange={(e) => setRepeat({ interval: Math.max(1, Number(e.target.value)) })} /></div>
        )}
        {repeat.freq !== 'none' && (
          <div className="field"><label htmlFor="repeat-anchor">Counted from</label>
            <select id="repeat-anchor" value={repeat.anchor} onChange={(e) => setRepeat({ anchor: e.target.value as RepeatForm['anchor'] })}>
              <option value="due">The due date</option><option value="completion">The completion</option>
            </select></div>
        )}
      </div>
      {repeat.freq === 'WEEKLY' && (
        <fieldset className="days"><legend>On</legend>
          {WEEKDAYS.map((day) => (
            <label key={day} className="chip"><input type="checkbox" checked={repeat.days.includes(day)} aria-label={weekdayName(day, 'long')}
              onChange={(e) => setRepeat({ days: e.target.checked ? [...repeat.days, day] : repeat.days.filter((d) => d !== day) })} />
            {weekdayName(day)}</label>
          ))}
        </fieldset>
      )}
      {repeat.freq === 'MONTHLY' && (
        <div className="row">
          <div className="field"><label htmlFor="repeat-monthday">On the day</label>
            <select id="repeat-monthday" value={String(repeat.monthDay)} onChange={(e) => setRepeat({ monthDay: e.target.value === 'last' ? 'last' : Number(e.target.value) })}>
              {Array.from({ length: 31 }, (_, i) => <option key={i + 1} value={i + 1}>{i + 1}</option>)}
              <option value="last">Last day of the month</option>
            </select></div>
        </div>
      )}
      {repeat.freq !== 'none' && (
        <div className="row">
          <div className="field"><label htmlFor="repeat-end">Ends</label>
            <select id="repeat-end" value={repeat.end} onChange={(e) => setRepeat({ end: e.target.value as RepeatForm['end'] })}>
              <option value="never">Never</option><option value="until">On a date</option><option value="count">After a number of times</option>
            </select></div>
          {repeat.end === 'until' && <div className="field"><label htmlFor="repeat-until">Until</label>
            <input id="repeat-until" type="date" value={repeat.until} onChange={(e) => setRepeat({ until: e.target.value })} /></div>}
          {repeat.end === 'count' && <div className="field"><label htmlFor="repeat-count">Times</label>
            <input id="repeat-count" type="number" min={1} max={1000} value={repeat.count} onChange={(e) => setRepeat({ count: Math.max(1, Number(e.target.value)) })} /></div>}
        </div>
      )}
    </fieldset>
  );
}

/** How long the person pauses their edit before the preview asks the server. */
const PREVIEW_DELAY_MS = 300;

function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  const key = JSON.stringify(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [key, delayMs]);
  return settled;
}

/**
 * The next dues from GET /occurrences for the schedule in the form, saved or not: asked again as the
 * person edits the recurrence or the due (once they pause), and with each new version of the task.
 */
function Occurrences({ task, schedule }: { task: ShownTask; schedule: ScheduleQuery | null }) {
  const { api } = useApp();
  const edited = useDebounced(schedule, PREVIEW_DELAY_MS);
  const occurrences = useQuery({
    queryKey: ['occurrences', task.id, task.version, edited],
    enabled: edited !== null && task.version > 0,
    placeholderData: keepPreviousData,
    queryFn: async () => {
      const { data, error } = await api.GET('/api/tasks/{id}/occurrences', { params: { path: { id: task.id }, query: { count: 5, ...edited } } });
      return data ? { found: data.occurrences, problem: null } : { found: [], problem: error?.detail ?? 'The schedule cannot be previewed' };
    },
  });
  if (!schedule) return null;
  const answer = occurrences.data;
  return (
    <section aria-labelledby="next-title">
      <h2 id="next-title">Next occurrences</h2>
      {task.version === 0 && <p className="hint">Shown once the task is saved on the server.</p>}
      {answer?.problem && <p className="hint" role="status">{answer.problem}</p>}
      {answer && !answer.problem && answer.found.length === 0 && <p>The series has ended.</p>}
      <ol className="occurrences" data-testid="occurrences" aria-busy={occurrences.isFetching}>
        {(answer?.found ?? []).map((o) => <li key={o.occurrence}>{formatDue(o.due)}</li>)}
      </ol>
    </section>
  );
}

/** The task's versions and the task as it was at each (time travel). */
function History({ task }: { task: ShownTask }) {
  const { api } = useApp();
  const history = useQuery({
    queryKey: ['history', task.id, task.version],
    enabled: task.version > 0,
    queryFn: async () => (await api.GET('/api/tasks/{id}/history', { params: { path: { id: task.id }, query: { limit: 200 } } })).data ?? null,
  });
  const [version, setVersion] = useState<number | null>(null);
  const shown = version ?? task.version;
  const state = useQuery({
    queryKey: ['state', task.id, shown],
    enabled: version !== null,
    queryFn: async () => (await api.GET('/api/tasks/{id}/state', { params: { path: { id: task.id }, query: { version: String(shown) } } })).data ?? null,
  });
  if (task.version === 0) return null;
  const events = history.data?.items ?? [];
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <ol className="history">
        {events.map((event) => (
          <li key={event.event_id}>
            <button type="button" className="link" aria-pressed={shown === event.version} onClick={() => setVersion(event.version)}>
              v{event.version} {event.type.replace(/^Task/, '').toLowerCase()}
            </button>{' '}
            <time dateTime={event.created_at}>{formatInstant(event.created_at)}</time>
          </li>
        ))}
      </ol>
      <div className="actions" role="group" aria-label="Time travel">
        <button type="button" disabled={shown <= 1} onClick={() => setVersion(Math.max(1, shown - 1))}>Previous version</button>
        <span aria-live="polite" data-testid="travel-version">Version {shown} of {task.version}</span>
        <button type="button" disabled={shown >= task.version} onClick={() => setVersion(shown + 1 >= task.version ? null : shown + 1)}>Next version</button>
      </div>
      {version !== null && state.data && (
        <div data-testid="time-travel">
          <p>As it was at version {state.data.version}{state.data.deleted ? ' (deleted)' : ''}:</p>
          <TaskCard task={state.data.task} label={`Version ${state.data.version}`} />
        </div>
      )}
    </section>
  );
}
