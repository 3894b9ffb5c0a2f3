import { beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../../gateways/auth/mint-token.ts';
import { TEST_SECRET } from '../../test/support/test-system.ts';
import { seriousViolations, startBrowserWorld, type BrowserWorld } from './support/browser.ts';
import { PasswordResetPages, SignInPage, SignUpPage, settled, withTimeTravel } from './support/pages.ts';
import { seedTasks } from './support/seed.ts';

/*
 * Signing in and out with clear messages, and a web app everyone can use: axe-core finds no serious or
 * critical violation on any page, in light and dark, and nothing is wider than a 375 px phone.
 * The account endpoints (/api/auth/*, Better Auth) are answered here as that contract says they answer,
 * until the server has them; the token, the API and the live feed are the real ones.
 */

let world: BrowserWorld;
let taskId: string;
beforeAll(async () => {
  world = await startBrowserWorld();
  taskId = await seedTasks(world.system, 'mary');
});

const json = (status: number, body: unknown) => ({ status, contentType: 'application/json', body: JSON.stringify(body) });

describe('signing in and out', () => {
  it('says so when the session has expired', async () => {
    const expired = await mintToken({ secret: TEST_SECRET, userId: 'mary', now: new Date(Date.now() - 7_200_000), expiresIn: '1h' });
    const { context, page } = await world.anonymous();
    await context.addInitScript((token) => localStorage.setItem('todo.token', token), expired);
    await page.goto('/');
    expect(await new SignInPage(page).reason.textContent()).toBe('Your session has expired. Please sign in again.');
    await context.close();
  });

  it('says so when the server no longer accepts the token', async () => {
    const foreign = await mintToken({ secret: 'another-secret-that-is-long-enough-for-hs256-0123456789', userId: 'mary' });
    const { context, page } = await world.anonymous();
    await context.addInitScript((token) => localStorage.setItem('todo.token', token), foreign);
    await page.goto('/');
    await new SignInPage(page).reason.waitFor();
    expect(await new SignInPage(page).reason.textContent()).toBe('Your session has expired. Please sign in again.');
    await context.close();
  });

  it('signs in with email and password, gets a JWT for the session, and signs out', async () => {
    const { context, page } = await world.anonymous();
    const jwt = await world.system.token('mary', { email: 'mary@example.com' });
    await page.route('**/api/auth/sign-in/email', (route) => route.fulfill(json(200, { token: 'session', user: { id: 'mary', email: 'mary@example.com' } })));
    await page.route('**/api/auth/token', (route) => route.fulfill(json(200, { token: jwt })));
    let signedOut = false;
    await page.route('**/api/auth/sign-out', (route) => { signedOut = true; return route.fulfill(json(200, { success: true })); });
    const signIn = await new SignInPage(page).open();
    await signIn.signIn('mary@example.com', 'correct horse battery staple');
    await page.getByRole('link', { name: 'Plan the week' }).waitFor();
    expect(await page.getByTestId('who').textContent()).toBe('mary@example.com');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn.reason.waitFor();
    expect(signedOut).toBe(true);
    expect(await page.evaluate(() => localStorage.getItem('todo.token'))).toBeNull();
    await context.close();
  });

  it('says so for a wrong password', async () => {
    const { context, page } = await world.anonymous();
    await page.route('**/api/auth/sign-in/email', (route) => route.fulfill(json(401, { code: 'INVALID_EMAIL_OR_PASSWORD', message: 'Invalid email or password' })));
    const signIn = await new SignInPage(page).open();
    await signIn.signIn('mary@example.com', 'wrong');
    expect(await signIn.error.textContent()).toBe('Wrong email or password.');
    await context.close();
  });

  it('says so when sign-up is closed', async () => {
    const { context, page } = await world.anonymous();
    await page.route('**/api/auth/sign-up/email', (route) => route.fulfill(json(400, { code: 'EMAIL_PASSWORD_SIGN_UP_DISABLED', message: 'Email and password sign up is not enabled' })));
    const signUp = await new SignUpPage(page).open();
    await signUp.signUp('Mary', 'mary@example.com', 'long enough password');
    expect(await signUp.error.textContent()).toBe('Sign-up is closed on this server. Ask an administrator for an account.');
    await context.close();
  });

  it('requests a reset link and sets a new password with the token from it', async () => {
    const { context, page } = await world.anonymous();
    const asked: unknown[] = [];
    await page.route('**/api/auth/request-password-reset', (route) => { asked.push(route.request().postDataJSON()); return route.fulfill(json(200, { status: true })); });
    await page.route('**/api/auth/reset-password', (route) => { asked.push(route.request().postDataJSON()); return route.fulfill(json(200, { status: true })); });
    const reset = new PasswordResetPages(page);
    await reset.request('mary@example.com');
    await page.getByText(/an email with a reset link is on its way/).waitFor();
    await reset.reset('the-token', 'a new long password');
    await page.getByText('Your password is changed.').waitFor();
    expect(asked).toEqual([
      { email: 'mary@example.com', redirectTo: `${world.system.baseUrl}/reset-password` },
      { token: 'the-token', newPassword: 'a new long password' },
    ]);
    await context.close();
  });
});

const SIGNED_OUT_PAGES = ['/sign-in', '/sign-up', '/forgot-password', '/reset-password?token=t'];
const SIGNED_IN_PAGES = () => ['/', `/tasks/${taskId}`, '/audit', '/reminders'];

describe('a web app everyone can use', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`has no serious or critical axe-core violation on any page (${colorScheme})`, async () => {
      const anonymous = await world.anonymous({ colorScheme });
      const found: string[] = [];
      for (const path of SIGNED_OUT_PAGES) {
        await anonymous.page.goto(path);
        await anonymous.page.getByRole('heading', { level: 1 }).waitFor();
        found.push(...(await seriousViolations(anonymous.page)).map((v) => `${path}: ${v}`));
      }
      const { context, page } = await world.signedIn('mary', { colorScheme });
      for (const path of SIGNED_IN_PAGES()) {
        await page.goto(path);
        await page.getByTestId('connection').and(page.locator('[data-state="live"]')).waitFor();
        await settled(page);
        await withTimeTravel(page, path);
        found.push(...(await seriousViolations(page)).map((v) => `${path}: ${v}`));
      }
      expect(found).toEqual([]);
      await anonymous.context.close();
      await context.close();
    });
  }

  it('fits a 375 px wide phone on every page', async () => {
    const { context, page } = await world.signedIn('mary', { width: 375 });
    const tooWide: string[] = [];
    for (const path of [...SIGNED_IN_PAGES(), ...SIGNED_OUT_PAGES]) {
      if (path === '/sign-in') await page.evaluate(() => localStorage.clear());
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await settled(page);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 375) tooWide.push(`${path}: ${width}px`);
    }
    expect(tooWide).toEqual([]);
    await context.close();
  });
});
