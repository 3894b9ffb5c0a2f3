import { beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../../gateways/auth/mint-token.ts';
import { startTestSystem, TEST_SECRET } from '../../test/support/test-system.ts';
import { seriousViolations, startBrowserWorld, type BrowserWorld } from './support/browser.ts';
import { PasswordResetPages, SignInPage, SignUpPage, settled, withTimeTravel } from './support/pages.ts';
import { seedTasks } from './support/seed.ts';

/*
 * Signing in and out with clear messages, and a web app everyone can use: axe-core finds no serious or
 * critical violation on any page, in light and dark, and nothing is wider than a 375 px phone.
 * Accounts are the server's own (Better Auth at /api/auth/*): sign-up, sign-in, reset by the mail the log
 * channel carries, and closed sign-up on a second server.
 */

let world: BrowserWorld;
let taskId: string;
beforeAll(async () => {
  world = await startBrowserWorld();
  taskId = await seedTasks(world.system, 'mary');
});


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

  it('signs up, signs out, and signs in again with email and password, each time with a JWT for the session', async () => {
    const { context, page } = await world.anonymous();
    await new SignUpPage(page).open();
    await new SignUpPage(page).signUp('Mary', 'mary.real@example.com', 'correct horse battery staple');
    await page.getByTestId('who').and(page.getByText('mary.real@example.com')).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    const signIn = new SignInPage(page);
    await signIn.reason.waitFor();
    expect(await page.evaluate(() => localStorage.getItem('todo.token'))).toBeNull();

    await signIn.signIn('mary.real@example.com', 'correct horse battery staple');
    await page.getByTestId('who').and(page.getByText('mary.real@example.com')).waitFor();
    // The app now holds an account token (EdDSA, from GET /api/auth/token) that the API accepts.
    const token = await page.evaluate(() => localStorage.getItem('todo.token'));
    const header = JSON.parse(Buffer.from(String(token).split('.')[0] ?? '', 'base64url').toString('utf8')) as { alg: string };
    expect(header.alg).toBe('EdDSA');
    const tasks = await fetch(`${world.system.baseUrl}/api/tasks`, { headers: { authorization: `Bearer ${String(token)}` } });
    expect(tasks.status).toBe(200);
    await context.close();
  });

  it('says so for a wrong password, exactly as for an unknown email', async () => {
    const { context, page } = await world.anonymous();
    const signIn = await new SignInPage(page).open();
    await signIn.signIn('mary.real@example.com', 'not the password at all');
    expect(await signIn.error.textContent()).toBe('Wrong email or password.');
    await signIn.signIn('nobody@example.com', 'not the password at all');
    expect(await signIn.error.textContent()).toBe('Wrong email or password.');
    await context.close();
  });

  it('says so when sign-up is closed', async () => {
    const closed = await startTestSystem({ knownOrigin: true, env: { AUTH_SIGNUP: 'closed' } });
    const context = await world.browser.newContext({ baseURL: closed.baseUrl, locale: 'en-US' });
    const page = await context.newPage();
    const signUp = await new SignUpPage(page).open();
    await signUp.signUp('Mary', 'mary@example.com', 'long enough password');
    await signUp.error.and(page.getByText('Sign-up is closed on this server. Ask an administrator for an account.')).waitFor();
    await context.close();
  });

  it('requests a reset link, sets a new password with the token from the mail, and signs in with it', async () => {
    const { context, page } = await world.anonymous();
    const reset = new PasswordResetPages(page);
    await reset.request('mary.real@example.com');
    await page.getByText(/an email with a reset link is on its way/).waitFor();
    const mail = world.system.logs.filter((line) => line['kind'] === 'password_reset').at(-1);
    const link = /https?:\/\/\S+\/api\/auth\/reset-password\/\S+/.exec(String(mail?.['text']))?.[0];
    expect(link).toBeDefined();
    // The link in the mail leads through the server to the app's reset page, with the token.
    await page.goto(String(link));
    await page.getByLabel('New password', { exact: true }).fill('a new long password');
    await page.getByRole('button', { name: 'Set the password' }).click();
    await page.getByText('Your password is changed.').waitFor();
    const signIn = await new SignInPage(page).open();
    await signIn.signIn('mary.real@example.com', 'a new long password');
    await page.getByTestId('who').and(page.getByText('mary.real@example.com')).waitFor();
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
