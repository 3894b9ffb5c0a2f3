import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startBrowserWorld, type BrowserWorld } from './support/browser.ts';
import { SignInPage, TaskListPage, TaskPage } from './support/pages.ts';

/* What a person does with the web app, in a real Chromium against a real system (docs/architecture.md §6.10). */

let world: BrowserWorld;
beforeAll(async () => { world = await startBrowserWorld(); });

const TaskPageBody = z.object({ items: z.array(z.object({ id: z.string(), title: z.string(), status: z.string(), version: z.number(), description: z.string().nullable() })) });
const History = z.object({ items: z.array(z.object({ type: z.string(), version: z.number() })) });

/** How long a wait for the read model may take on a machine busy with the whole suite: a bound, not a measure. */
const SETTLE = { timeout: 60_000, interval: 50 };

async function tasksOf(user: string, query = 'status=open') {
  const answer = await world.system.call('GET', `/api/tasks?${query}&limit=200`, { user });
  return TaskPageBody.parse(answer.body).items;
}

describe('a person with the web app', () => {
  it('signs in, adds a task, gives it a zoned due, a reminder and a weekly recurrence, completes it, and sees the next one appear', async () => {
    const { context, page } = await world.anonymous();
    const signIn = await new SignInPage(page).open();
    await signIn.useToken(await world.system.token('ada', { email: 'ada@example.com' }));
    await expect.poll(() => page.getByTestId('who').textContent(), SETTLE).toBe('ada@example.com');

    const list = new TaskListPage(page);
    await list.quickAdd('Water the plants', { details: true });
    const task = new TaskPage(page);
    await task.title.filter({ hasText: 'Water the plants' }).waitFor();
    await task.version.filter({ hasText: /^1$/ }).waitFor();
    await task.setZonedDue('2030-01-07T09:00', 'Europe/Berlin'); // a Monday
    await task.addReminderBefore(30);
    await task.repeatWeekly(['Monday', 'Wednesday']);
    // Before saving, the preview answers for the form as it is: a Monday 09:00 due in Berlin, Mondays and Wednesdays.
    const nextDates = ['Jan 9, 2030, 9:00 AM', 'Jan 14, 2030, 9:00 AM', 'Jan 16, 2030, 9:00 AM', 'Jan 21, 2030, 9:00 AM', 'Jan 23, 2030, 9:00 AM'];
    await expect.poll(() => task.occurrences.allTextContents(), SETTLE).toEqual(nextDates);
    expect(await page.getByRole('button', { name: 'Save' }).isEnabled(), 'the preview came before the save').toBe(true);
    expect(await task.version.textContent()).toBe('1');
    await task.save();
    await task.version.filter({ hasText: /^2$/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled(), 'the form shows what the server has: nothing left to save').toBe(true);

    // Completed now, a series due on Monday 7 Jan 2030 continues on the Wednesday after, then Mondays and Wednesdays.
    await task.occurrences.first().waitFor();
    expect(await task.occurrences.allTextContents()).toEqual(nextDates);
    // The page shows a command's answer at once; the task list (a read model) follows within milliseconds.
    await expect.poll(async () => (await tasksOf('ada'))[0]?.version, SETTLE).toBe(2);
    const [saved] = await tasksOf('ada');
    expect(saved).toMatchObject({ title: 'Water the plants', version: 2 });
    const stored = await world.system.call('GET', `/api/tasks/${saved?.id ?? ''}`, { user: 'ada' });
    expect(stored.body).toMatchObject({
      due: { datetime: '2030-01-07T09:00', timezone: 'Europe/Berlin' },
      reminders: [{ before_minutes: 30, channels: ['email'] }],
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO,WE', anchor: 'due' },
    });

    await task.complete();
    await task.status.filter({ hasText: 'completed' }).waitFor();
    await task.back();
    // The recurring projector makes the next task; the live feed brings it, no reload.
    const next = list.row('Water the plants').filter({ hasText: 'Due Jan 9, 2030, 9:00 AM' });
    await next.waitFor();
    expect(await list.row('Water the plants').count()).toBe(1);
    await context.close();
  });

  it('sees a change made on another device without reloading, and nobody else ever sees it', async () => {
    const first = await world.signedIn('grace');
    const second = await world.signedIn('grace');
    const stranger = await world.signedIn('linus');
    await new TaskListPage(first.page).quickAdd('Call the bank');
    await new TaskListPage(second.page).row('Call the bank').waitFor();

    await first.page.getByRole('checkbox', { name: 'Complete Call the bank' }).click();
    await new TaskListPage(second.page).row('Call the bank').waitFor({ state: 'detached' });

    // After a disconnect, the second device catches up with what it missed.
    await second.context.setOffline(true);
    await second.page.getByTestId('connection').and(second.page.locator('[data-state="offline"]')).waitFor();
    await new TaskListPage(first.page).quickAdd('Pay the rent');
    await first.page.getByTestId('pending-count').waitFor({ state: 'detached' });
    await second.context.setOffline(false);
    await new TaskListPage(second.page).row('Pay the rent').waitFor();
    await second.page.getByTestId('connection').and(second.page.locator('[data-state="live"]')).waitFor();

    expect(await new TaskListPage(stranger.page).row('Call the bank').count()).toBe(0);
    expect(await tasksOf('linus', 'status=completed')).toEqual([]);
    await expect.poll(async () => (await tasksOf('grace', 'status=completed')).map((t) => t.title), SETTLE).toEqual(['Call the bank']);
    expect(await tasksOf('linus')).toEqual([]);
    for (const opened of [first, second, stranger]) await opened.context.close();
  });

  it('works offline: creates, edits and completes, then sends each command exactly once when back online', async () => {
    const { context, page } = await world.signedIn('hedy');
    const keys: string[] = [];
    page.on('request', (request) => {
      if (request.method() !== 'GET' && request.url().includes('/api/tasks')) keys.push(request.headers()['idempotency-key'] ?? '(none)');
    });
    await context.setOffline(true);
    await page.getByTestId('connection').and(page.locator('[data-state="offline"]')).waitFor();
    const list = new TaskListPage(page);
    await list.quickAdd('Written on the train');
    await list.row('Written on the train').getByTestId('pending').waitFor();
    await list.openTask('Written on the train');
    const task = new TaskPage(page);
    await task.setDescription('with no signal');
    await task.save();
    await task.complete();
    await task.status.filter({ hasText: 'completed' }).waitFor();
    await expect.poll(() => page.getByTestId('pending-count').textContent(), SETTLE).toBe('3 pending');
    expect(await tasksOf('hedy', 'status=completed')).toEqual([]);

    await context.setOffline(false);
    await page.getByTestId('pending-count').waitFor({ state: 'detached' });
    await task.version.filter({ hasText: /^3$/ }).waitFor();
    await expect.poll(async () => (await tasksOf('hedy', 'status=completed')).length, SETTLE).toBe(1);
    const [done] = await tasksOf('hedy', 'status=completed');
    expect(done).toMatchObject({ title: 'Written on the train', description: 'with no signal', status: 'completed', version: 3 });
    const history = History.parse((await world.system.call('GET', `/api/tasks/${done?.id ?? ''}/history`, { user: 'hedy' })).body);
    expect(history.items.map((event) => event.type)).toEqual(['TaskCreated', 'TaskUpdated', 'TaskCompleted']);
    // Each command carried a key of its own (tried offline, then sent again with the same key).
    expect(new Set(keys).size).toBe(3);
    expect(keys).not.toContain('(none)');
    // The page shows the server's state, not its own guess.
    expect(await task.status.textContent()).toBe('completed');
    expect(await page.getByTestId('pending').count()).toBe(0);
    await context.close();
  });

  it('travels back to an earlier version of a task, and lists the person\'s events in the audit log', async () => {
    const { context, page } = await world.signedIn('barbara');
    const list = new TaskListPage(page);
    await list.quickAdd('Draft the report', { details: true });
    const task = new TaskPage(page);
    await task.title.filter({ hasText: 'Draft the report' }).waitFor();
    await task.version.filter({ hasText: /^1$/ }).waitFor();
    await task.setTitle('Send the report');
    await task.save();
    await task.version.filter({ hasText: /^2$/ }).waitFor();
    await page.getByText('v2 updated').waitFor();

    await task.previousVersion();
    await task.timeTravel.waitFor();
    expect(await task.timeTravel.locator('[data-field="title"]').textContent()).toBe('Draft the report');
    expect(await task.timeTravel.locator('[data-field="version"]').textContent()).toBe('1');
    expect(await task.title.textContent()).toBe('Send the report');

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByTestId('audit').waitFor();
    expect(await page.getByTestId('audit-action').allTextContents()).toEqual(['updated', 'created']);
    await context.close();
  });

  it('shows the current version when an edit meets a newer one (412), and lets the person choose', async () => {
    const { context, page } = await world.signedIn('katherine');
    await new TaskListPage(page).quickAdd('Check the figures', { details: true });
    const task = new TaskPage(page);
    await task.version.filter({ hasText: /^1$/ }).waitFor();
    await task.setTitle('Check the figures twice');
    await expect.poll(async () => (await tasksOf('katherine')).length, SETTLE).toBe(1);
    const [created] = await tasksOf('katherine');
    const changed = await world.system.call('PATCH', `/api/tasks/${created?.id ?? ''}`, { user: 'katherine', body: { description: 'changed on the phone' } });
    expect(changed.status).toBe(200);
    await task.version.filter({ hasText: /^2$/ }).waitFor();
    await page.getByText('Changed elsewhere since you began editing').waitFor();
    await task.save();

    const dialog = page.getByRole('alertdialog', { name: 'This task was changed elsewhere' });
    await dialog.waitFor();
    await dialog.getByText('changed on the phone').waitFor();
    await dialog.getByRole('button', { name: 'Apply my change to the current version' }).click();
    await task.version.filter({ hasText: /^3$/ }).waitFor();
    await expect.poll(async () => (await world.system.call('GET', `/api/tasks/${created?.id ?? ''}`, { user: 'katherine' })).body, SETTLE)
      .toMatchObject({ title: 'Check the figures twice', description: 'changed on the phone', version: 3 });
    await context.close();
  });
});
