import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { apiClient, notePosition } from './api/client.ts';
import type { Auth, AuthState } from './auth/auth.ts';
import type { Claims } from './auth/jwt.ts';
import { AppContext, type AppServices, type Toast } from './app-context.tsx';
import { LiveFeed, type Connection } from './live/live-feed.ts';
import { CommandQueue } from './offline/command-queue.ts';
import { applyCommand, taskOfCreation, type Command } from './offline/commands.ts';
import type { CommandAccepted, Task } from './api/types.ts';
import { navigate, useRoute } from './router.ts';
import { AuthPages } from './pages/auth-pages.tsx';
import { Shell } from './ui/shell.tsx';

function useAuthState(auth: Auth): AuthState {
  return useSyncExternalStore((listener) => auth.subscribe(listener), () => auth.state);
}

export function App({ auth }: { auth: Auth }) {
  const state = useAuthState(auth);
  const route = useRoute();
  const isAuthPage = route.page === 'sign-in' || route.page === 'sign-up' || route.page === 'forgot-password' || route.page === 'reset-password';
  useEffect(() => {
    if (state.claims && isAuthPage && route.page !== 'reset-password') navigate('/');
  }, [state.claims, isAuthPage, route.page]);
  if (!state.claims || isAuthPage) return <AuthPages auth={auth} route={route} reason={state.reason} />;
  // Keyed by user: another person signing in on this browser gets a fresh queue, feed and cache.
  return <SignedIn key={state.claims.sub} auth={auth} claims={state.claims} />;
}

let nextToast = 1;

function SignedIn({ auth, claims }: { auth: Auth; claims: Claims }) {
  const queryClient = useQueryClient();
  const api = useMemo(() => apiClient(auth), [auth]);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [toasts, setToasts] = useState<readonly Toast[]>([]);

  const queue = useMemo(() => new CommandQueue(api, claims.sub, (command: Command, accepted: CommandAccepted) => {
    // Until the refetch answers, the task is what the command made of it: a page showing it never blinks
    // back to the old state (or to "not found" for a task just created) in between.
    queryClient.setQueryData<Task | null>(['task', command.taskId], (old) => {
      const base = old ?? (command.kind === 'create' ? taskOfCreation(command) : null);
      return base ? { ...applyCommand({ ...base, pending: false }, command), version: accepted.version } : base;
    });
    void queryClient.invalidateQueries({ queryKey: ['tasks'] });
    void queryClient.invalidateQueries({ queryKey: ['task', command.taskId] });
  }), [api, claims.sub, queryClient]);

  useEffect(() => {
    let refresh: ReturnType<typeof setTimeout> | undefined;
    // Many changes at once (a bulk edit elsewhere) refetch the lists once.
    const refetchLists = () => {
      clearTimeout(refresh);
      refresh = setTimeout(() => {
        void queryClient.invalidateQueries({ queryKey: ['tasks'] });
        void queryClient.invalidateQueries({ queryKey: ['audit'] });
        void queryClient.invalidateQueries({ queryKey: ['notifications'] });
      }, 50);
    };
    const feed = new LiveFeed({
      token: () => auth.token(),
      onChange: (frame) => {
        notePosition(frame.position);
        if (frame.task) queryClient.setQueryData(['task', frame.task_id], frame.task);
        void queryClient.invalidateQueries({ queryKey: ['task', frame.task_id], refetchType: 'none' });
        void queryClient.invalidateQueries({ queryKey: ['history', frame.task_id] });
        void queryClient.invalidateQueries({ queryKey: ['occurrences', frame.task_id] });
        refetchLists();
      },
      onReset: () => { void queryClient.invalidateQueries(); },
      onLive: () => {
        void queue.flush();
        refetchLists();
      },
      onConnection: setConnection,
    });
    return () => {
      clearTimeout(refresh);
      feed.stop();
      queue.dispose();
    };
  }, [auth, queue, queryClient]);

  const services: AppServices = useMemo(() => ({
    api, auth, claims, queue, connection,
    send(command, toast) {
      queue.enqueue(command);
      if (toast) {
        const id = nextToast++;
        setToasts((shown) => [...shown.slice(-2), { id, message: toast.message, ...(toast.undo ? { undo: toast.undo } : {}) }]);
        setTimeout(() => setToasts((shown) => shown.filter((t) => t.id !== id)), 8000);
      }
    },
  }), [api, auth, claims, queue, connection]);

  return (
    <AppContext.Provider value={services}>
      <Shell toasts={toasts} dismissToast={(id) => setToasts((shown) => shown.filter((t) => t.id !== id))} />
    </AppContext.Provider>
  );
}
