import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Auth } from './auth/auth.ts';
import { App } from './app.tsx';
import './styles.css';

const auth = new Auth();
const queryClient = new QueryClient({
  defaultOptions: {
    // The live feed says when data changed; a refetch on focus would only repeat it.
    queries: { staleTime: 30_000, refetchOnWindowFocus: false, retry: (count, error) => count < 2 && !(error instanceof Error && /40[134]/.test(error.message)) },
  },
});

const root = document.getElementById('app');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <App auth={auth} />
      </QueryClientProvider>
    </StrictMode>,
  );
}
