import { useSyncExternalStore } from 'react';

/** The app's paths: the server answers each with the app's page (app/http/web-app.routes.ts). */
export type Route =
  | { readonly page: 'tasks' }
  | { readonly page: 'task'; readonly id: string }
  | { readonly page: 'audit' }
  | { readonly page: 'reminders' }
  | { readonly page: 'sign-in' }
  | { readonly page: 'sign-up' }
  | { readonly page: 'forgot-password' }
  | { readonly page: 'reset-password'; readonly token: string };

export function parseRoute(path: string, search: string): Route {
  const task = /^\/tasks\/([\w-]+)$/.exec(path);
  if (task?.[1]) return { page: 'task', id: task[1] };
  switch (path) {
    case '/audit': return { page: 'audit' };
    case '/reminders': return { page: 'reminders' };
    case '/sign-in': return { page: 'sign-in' };
    case '/sign-up': return { page: 'sign-up' };
    case '/forgot-password': return { page: 'forgot-password' };
    case '/reset-password': return { page: 'reset-password', token: new URLSearchParams(search).get('token') ?? '' };
    default: return { page: 'tasks' };
  }
}

const listeners = new Set<() => void>();
addEventListener('popstate', () => { for (const listener of listeners) listener(); });

export function navigate(path: string): void {
  if (path === location.pathname + location.search) return;
  history.pushState(null, '', path);
  for (const listener of listeners) listener();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
};

export function useRoute(): Route {
  const key = useSyncExternalStore(subscribe, () => location.pathname + location.search);
  const [path = '/', search = ''] = key.split('?');
  return parseRoute(path, search ? `?${search}` : '');
}

/** A link the router follows without a reload; a modified click opens a tab as usual. */
export function follow(event: { preventDefault(): void; button: number; metaKey: boolean; ctrlKey: boolean; shiftKey: boolean }, path: string): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  navigate(path);
}
