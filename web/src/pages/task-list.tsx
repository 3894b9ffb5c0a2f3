import { useEffect, useMemo, useRef, useState, useSyncExternalStore, type FormEvent, type KeyboardEvent } from 'react';
import { useApp } from '../app-context.tsx';
import { PRIORITIES, type Priority } from '../api/types.ts';
import { taskOfCreation, withPending, type ShownTask } from '../offline/commands.ts';
import { uuid } from '../offline/uuid.ts';
import { follow, navigate } from '../router.ts';
import { formatDue, isOverdue } from '../tasks/format.ts';
import { DEFAULT_FILTERS, useOwnTags, useTaskCount, useTaskList, type ListFilters } from '../tasks/task-queries.ts';
import { useShortcut } from '../ui/shortcuts.ts';

export function TaskListPage() {
  const { api, queue } = useApp();
  const [filters, setFilters] = useState<ListFilters>(DEFAULT_FILTERS);
  const [search, setSearch] = useState('');
  const list = useTaskList(api, filters);
  const queued = useSyncExternalStore(queue.subscribe, queue.getState);
  const searchRef = useRef<HTMLInputElement>(null);
  const addRef = useRef<HTMLInputElement>(null);
  useShortcut('n', () => addRef.current?.focus());
  useShortcut('/', () => searchRef.current?.focus());

  // The search box filters as one types, once typing pauses.
  useEffect(() => {
    const timer = setTimeout(() => setFilters((current) => (current.q === search ? current : { ...current, q: search })), 250);
    return () => clearTimeout(timer);
  }, [search]);

  const tasks: ShownTask[] = useMemo(() => {
    const served = (list.data?.pages ?? []).flatMap((page) => page.items);
    const known = new Set(served.map((task) => task.id));
    // Created here and not yet on the server (or not yet in this list): shown first, as pending.
    const unsent = filters.status === 'completed' ? [] : queued.commands.flatMap((command) =>
      command.kind === 'create' && !known.has(command.taskId) ? [taskOfCreation(command)] : []).reverse();
    return [...unsent, ...served].map((task) => withPending(task, queued.commands)).filter((task) => !task.deleted);
  }, [list.data, queued.commands, filters.status]);

  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  useEffect(() => {
    const node = sentinel.current;
    if (!node || !hasNextPage) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
    }, { rootMargin: '400px' });
    observer.observe(node);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  return (
    <>
      <h1 className="visually-hidden">Tasks</h1>
      <QuickAdd inputRef={addRef} />
      {/* Counts and tag suggestions wait for the first page: the list comes first. */}
      <Filters filters={filters} setFilters={setFilters} search={search} setSearch={setSearch} searchRef={searchRef} listed={list.isSuccess} />
      <Counts filters={filters} setFilters={setFilters} listed={list.isSuccess} />
      {list.isError && (
        <p role="alert" className="error">The tasks could not be loaded. <button type="button" onClick={() => void list.refetch()}>Try again</button></p>
      )}
      {list.isPending && !list.isError ? <p aria-busy="true">Loading tasks…</p> : <TaskRows tasks={tasks} />}
      <div ref={sentinel} />
      {hasNextPage && (
        <button type="button" className="more" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
          {isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </>
  );
}

function QuickAdd({ inputRef }: { inputRef: React.RefObject<HTMLInputElement | null> }) {
  const { send } = useApp();
  const [title, setTitle] = useState('');
  const add = (details: boolean) => {
    const trimmed = title.trim();
    if (!trimmed) return;
    const taskId = uuid();
    send({ kind: 'create', key: uuid(), taskId, body: { title: trimmed } });
    setTitle('');
    if (details) navigate(`/tasks/${taskId}`);
  };
  const submit = (event: FormEvent) => { event.preventDefault(); add(false); };
  return (
    <form className="quick-add" onSubmit={submit} aria-label="Quick add">
      <label htmlFor="quick-add">New task</label>
      <input id="quick-add" ref={inputRef} value={title} onChange={(e) => setTitle(e.target.value)} placeholder="What needs doing? (press n)"
        maxLength={200} aria-keyshortcuts="n" autoComplete="off" />
      <button type="submit" className="primary">Add</button>
      <button type="button" onClick={() => add(true)}>Add with details</button>
    </form>
  );
}

/** On a phone the filters start folded, so the list is on the first screen. */
const wide = () => matchMedia('(min-width: 760px)').matches;

function Filters({ filters, setFilters, search, setSearch, searchRef, listed }: {
  filters: ListFilters; setFilters: (f: ListFilters) => void; search: string; setSearch: (q: string) => void; searchRef: React.RefObject<HTMLInputElement | null>; listed: boolean;
}) {
  const { api } = useApp();
  const tags = useOwnTags(api, listed);
  const set = (patch: Partial<ListFilters>) => setFilters({ ...filters, ...patch });
  const togglePriority = (priority: Priority) => set({ priority: filters.priority.includes(priority) ? filters.priority.filter((p) => p !== priority) : [...filters.priority, priority] });
  return (
    <section className="filters" aria-label="Filters">
      <div className="field grow">
        <label htmlFor="search">Search</label>
        <input id="search" type="search" ref={searchRef} value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Search titles and descriptions (press /)" aria-keyshortcuts="/" />
      </div>
      <details className="more-filters" open={wide()}>
      <summary>Filters and order</summary>
      <div className="filters">
      <div className="field">
        <label htmlFor="status">Status</label>
        <select id="status" value={filters.status} onChange={(e) => set({ status: e.target.value as ListFilters['status'] })}>
          <option value="open">Open</option><option value="completed">Completed</option><option value="all">All</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="tag-filter">Tag</label>
        <input id="tag-filter" list="own-tags" value={filters.tag} onChange={(e) => set({ tag: e.target.value })} placeholder="any" />
        <datalist id="own-tags">{(tags.data ?? []).map((tag) => <option key={tag} value={tag} />)}</datalist>
      </div>
      <div className="field">
        <label htmlFor="due-after">Due from</label>
        <input id="due-after" type="date" value={filters.dueAfter} onChange={(e) => set({ dueAfter: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="due-before">Due before</label>
        <input id="due-before" type="date" value={filters.dueBefore} onChange={(e) => set({ dueBefore: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="sort">Sort by</label>
        <select id="sort" value={filters.sort} onChange={(e) => set({ sort: e.target.value as ListFilters['sort'] })}>
          <option value="created">Created</option><option value="updated">Updated</option><option value="due">Due</option>
          <option value="priority">Priority</option><option value="title">Title</option><option value="estimate">Estimate</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="estimate-max">Estimate at most (min)</label>
        <input id="estimate-max" type="number" min={1} max={100000} value={filters.estimateMax} onChange={(e) => set({ estimateMax: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="order">Order</label>
        <select id="order" value={filters.order} onChange={(e) => set({ order: e.target.value as ListFilters['order'] })}>
          <option value="default">Default</option><option value="asc">Ascending</option><option value="desc">Descending</option>
        </select>
      </div>
      <fieldset className="priorities">
        <legend>Priority</legend>
        {PRIORITIES.map((priority) => (
          <label key={priority} className="chip">
            <input type="checkbox" checked={filters.priority.includes(priority)} onChange={() => togglePriority(priority)} />{priority}
          </label>
        ))}
      </fieldset>
      <label className="chip">
        <input type="checkbox" checked={filters.overdue} onChange={(e) => set({ overdue: e.target.checked })} />Overdue only
      </label>
      </div>
      </details>
    </section>
  );
}

function Counts({ filters, setFilters, listed }: { filters: ListFilters; setFilters: (f: ListFilters) => void; listed: boolean }) {
  const { api } = useApp();
  const views: Array<{ label: string; filters: ListFilters }> = [
    { label: 'Open', filters: { ...DEFAULT_FILTERS, status: 'open' } },
    { label: 'Overdue', filters: { ...DEFAULT_FILTERS, status: 'open', overdue: true } },
    { label: 'Completed', filters: { ...DEFAULT_FILTERS, status: 'completed' } },
    { label: 'This filter', filters },
  ];
  return (
    <ul className="counts" aria-label="Counts">
      {views.map((view) => <Count key={view.label} label={view.label} filters={view.filters} onSelect={view.label === 'This filter' ? null : () => setFilters(view.filters)} api={api} enabled={listed} />)}
    </ul>
  );
}

function Count({ label, filters, onSelect, api, enabled }: { label: string; filters: ListFilters; onSelect: (() => void) | null; api: ReturnType<typeof useApp>['api']; enabled: boolean }) {
  const count = useTaskCount(api, filters, enabled);
  const text = <>{label}: <strong data-testid={`count-${label.toLowerCase().replace(/ /g, '-')}`}>{count.data ?? '…'}</strong></>;
  return <li>{onSelect ? <button type="button" className="link" onClick={onSelect}>{text}</button> : text}</li>;
}

function TaskRows({ tasks }: { tasks: readonly ShownTask[] }) {
  const { send } = useApp();
  const toggle = (task: ShownTask) => {
    const completing = task.status === 'open';
    send({ kind: completing ? 'complete' : 'reopen', key: uuid(), taskId: task.id }, {
      message: `${completing ? 'Completed' : 'Reopened'} “${task.title}”`,
      undo: { kind: completing ? 'reopen' : 'complete', key: '', taskId: task.id },
    });
  };
  // x completes (or reopens) the task whose row has the focus.
  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.key !== 'x' || event.target instanceof HTMLInputElement && event.target.type !== 'checkbox') return;
    const row = (event.target as HTMLElement).closest<HTMLElement>('[data-task-id]');
    const task = tasks.find((t) => t.id === row?.dataset['taskId']);
    if (task) { event.preventDefault(); toggle(task); }
  };
  if (tasks.length === 0) return <p className="empty">No tasks here.</p>;
  return (
    <ul className="tasks" aria-label="Task list" onKeyDown={onKeyDown} aria-keyshortcuts="x">
      {tasks.map((task) => (
        <li key={task.id} data-task-id={task.id} className={`${task.status} ${task.pending ? 'pending' : ''}`} data-testid="task-row">
          <input type="checkbox" checked={task.status === 'completed'} onChange={() => toggle(task)}
            aria-label={`${task.status === 'completed' ? 'Reopen' : 'Complete'} ${task.title}`} />
          <div className="task-main">
            <a href={`/tasks/${task.id}`} onClick={(e) => follow(e, `/tasks/${task.id}`)} className="title">{task.title}</a>
            <div className="meta">
              {task.priority !== 'none' && <span className={`priority ${task.priority}`}>{task.priority}</span>}
              {task.due && <span className={isOverdue(task.due) && task.status === 'open' ? 'due overdue' : 'due'}>Due {formatDue(task.due)}</span>}
              {task.recurrence && <span title={task.recurrence.rrule}>Repeats</span>}
              {task.estimate_minutes !== null && <span>~{task.estimate_minutes} min</span>}
              {task.tags.map((tag) => <span key={tag} className="tag">#{tag}</span>)}
              {task.pending && <span className="badge" data-testid="pending">Pending</span>}
            </div>
          </div>
          <button type="button" className="quiet" aria-label={`Delete ${task.title}`} onClick={() => send({ kind: 'delete', key: uuid(), taskId: task.id }, {
            message: `Deleted “${task.title}”`, undo: { kind: 'reopen', key: '', taskId: task.id },
          })}>Delete</button>
        </li>
      ))}
    </ul>
  );
}
