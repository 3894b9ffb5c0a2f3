import { useState, type FormEvent, type ReactNode } from 'react';
import type { Auth, AuthResult, SignedOutReason } from '../auth/auth.ts';
import { follow, type Route } from '../router.ts';

/** Sign in, sign up, forgotten password and reset, each a small form with a clear message when it fails. */
export function AuthPages({ auth, route, reason }: { auth: Auth; route: Route; reason: SignedOutReason }) {
  switch (route.page) {
    case 'sign-up': return <SignUp auth={auth} />;
    case 'forgot-password': return <ForgotPassword auth={auth} />;
    case 'reset-password': return <ResetPassword auth={auth} token={route.token} />;
    // Signed out, every other page asks to sign in first.
    case 'sign-in': case 'tasks': case 'task': case 'audit': case 'reminders': return <SignIn auth={auth} reason={reason} />;
  }
}

function Frame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main id="main" className="auth">
      <p className="brand">Todo</p>
      <h1>{title}</h1>
      {children}
    </main>
  );
}

function useSubmit(action: () => Promise<AuthResult>, onDone?: () => void) {
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    const result = await action();
    setBusy(false);
    if (result.ok) onDone?.();
    else setMessage(result.message ?? 'That did not work.');
  };
  return { message, busy, submit: (event: FormEvent) => { void submit(event); } };
}

const REASONS: Record<Exclude<SignedOutReason, null>, string> = {
  expired: 'Your session has expired. Please sign in again.',
  'signed-out': 'You are signed out.',
};

function SignIn({ auth, reason }: { auth: Auth; reason: SignedOutReason }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const form = useSubmit(() => auth.signIn(email, password));
  const [tokenMessage, setTokenMessage] = useState<string | null>(null);
  const useToken = (event: FormEvent) => {
    event.preventDefault();
    const result = auth.useToken(token);
    setTokenMessage(result.ok ? null : result.message ?? 'That token does not work.');
  };
  return (
    <Frame title="Sign in">
      {reason && <p role="status" className={reason === 'expired' ? 'notice warn' : 'notice'} data-testid="signed-out-reason">{REASONS[reason]}</p>}
      <form onSubmit={form.submit} className="stack" aria-label="Sign in">
        <div className="field"><label htmlFor="email">Email</label>
          <input id="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} /></div>
        <div className="field"><label htmlFor="password">Password</label>
          <input id="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} /></div>
        {form.message && <p role="alert" className="error" data-testid="auth-error">{form.message}</p>}
        <button type="submit" className="primary" disabled={form.busy}>Sign in</button>
      </form>
      <p>
        <a href="/sign-up" onClick={(e) => follow(e, '/sign-up')}>Create an account</a> ·{' '}
        <a href="/forgot-password" onClick={(e) => follow(e, '/forgot-password')}>Forgot your password?</a>
      </p>
      <details>
        <summary>Developers: use a token</summary>
        <form onSubmit={useToken} className="stack" aria-label="Use a token">
          <div className="field"><label htmlFor="dev-token">Token from <code>npm run token -- --user alice</code></label>
            <textarea id="dev-token" rows={3} value={token} onChange={(e) => setToken(e.target.value)} /></div>
          {tokenMessage && <p role="alert" className="error">{tokenMessage}</p>}
          <button type="submit">Use this token</button>
        </form>
      </details>
    </Frame>
  );
}

function SignUp({ auth }: { auth: Auth }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useSubmit(() => auth.signUp(name, email, password));
  return (
    <Frame title="Create an account">
      <form onSubmit={form.submit} className="stack" aria-label="Sign up">
        <div className="field"><label htmlFor="name">Name</label>
          <input id="name" autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} /></div>
        <div className="field"><label htmlFor="email">Email</label>
          <input id="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} /></div>
        <div className="field"><label htmlFor="password">Password (at least 8 characters)</label>
          <input id="password" type="password" autoComplete="new-password" required minLength={8} value={password} onChange={(e) => setPassword(e.target.value)} /></div>
        {form.message && <p role="alert" className="error" data-testid="auth-error">{form.message}</p>}
        <button type="submit" className="primary" disabled={form.busy}>Sign up</button>
      </form>
      <p><a href="/sign-in" onClick={(e) => follow(e, '/sign-in')}>I have an account</a></p>
    </Frame>
  );
}

function ForgotPassword({ auth }: { auth: Auth }) {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const form = useSubmit(() => auth.requestPasswordReset(email), () => setSent(true));
  return (
    <Frame title="Reset your password">
      {sent ? <p role="status" className="notice">If an account exists for {email}, an email with a reset link is on its way.</p> : (
        <form onSubmit={form.submit} className="stack" aria-label="Request a reset link">
          <div className="field"><label htmlFor="email">Email</label>
            <input id="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} /></div>
          {form.message && <p role="alert" className="error" data-testid="auth-error">{form.message}</p>}
          <button type="submit" className="primary" disabled={form.busy}>Send a reset link</button>
        </form>
      )}
      <p><a href="/sign-in" onClick={(e) => follow(e, '/sign-in')}>Back to sign in</a></p>
    </Frame>
  );
}

function ResetPassword({ auth, token }: { auth: Auth; token: string }) {
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const form = useSubmit(() => auth.resetPassword(token, password), () => setDone(true));
  return (
    <Frame title="Choose a new password">
      {!token && <p role="alert" className="error">This page needs the link from the reset email.</p>}
      {done ? (
        <p role="status" className="notice">Your password is changed. <a href="/sign-in" onClick={(e) => follow(e, '/sign-in')}>Sign in</a></p>
      ) : (
        <form onSubmit={form.submit} className="stack" aria-label="Set a new password">
          <div className="field"><label htmlFor="password">New password</label>
            <input id="password" type="password" autoComplete="new-password" required minLength={8} value={password} onChange={(e) => setPassword(e.target.value)} /></div>
          {form.message && <p role="alert" className="error" data-testid="auth-error">{form.message}</p>}
          <button type="submit" className="primary" disabled={form.busy || !token}>Set the password</button>
        </form>
      )}
      <p><a href="/sign-in" onClick={(e) => follow(e, '/sign-in')}>Back to sign in</a></p>
    </Frame>
  );
}
