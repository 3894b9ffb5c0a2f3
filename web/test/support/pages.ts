import type { Locator, Page } from 'playwright-core';

/* Page objects: what a person does on each page, in the words of the page (labels, roles). */

export class SignInPage {
  readonly page: Page;
  constructor(page: Page) { this.page = page; }
  async open(): Promise<this> { await this.page.goto('/sign-in'); return this; }
  async signIn(email: string, password: string): Promise<void> {
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
  }
  async useToken(token: string): Promise<void> {
    await this.page.getByText('Developers: use a token').click();
    await this.page.getByLabel(/Token from/).fill(token);
    await this.page.getByRole('button', { name: 'Use this token' }).click();
  }
  get error(): Locator { return this.page.getByTestId('auth-error'); }
  get reason(): Locator { return this.page.getByTestId('signed-out-reason'); }
}

export class SignUpPage {
  readonly page: Page;
  constructor(page: Page) { this.page = page; }
  async open(): Promise<this> { await this.page.goto('/sign-up'); return this; }
  async signUp(name: string, email: string, password: string): Promise<void> {
    await this.page.getByLabel('Name').fill(name);
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel(/^Password/).fill(password);
    await this.page.getByRole('button', { name: 'Sign up' }).click();
  }
  get error(): Locator { return this.page.getByTestId('auth-error'); }
}

export class PasswordResetPages {
  readonly page: Page;
  constructor(page: Page) { this.page = page; }
  async request(email: string): Promise<void> {
    await this.page.goto('/forgot-password');
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByRole('button', { name: 'Send a reset link' }).click();
  }
  async reset(token: string, password: string): Promise<void> {
    await this.page.goto(`/reset-password?token=${encodeURIComponent(token)}`);
    await this.page.getByLabel('New password', { exact: true }).fill(password);
    await this.page.getByRole('button', { name: 'Set the password' }).click();
  }
}

export class TaskListPage {
  readonly page: Page;
  constructor(page: Page) { this.page = page; }
  async open(): Promise<this> {
    await this.page.getByRole('link', { name: 'Tasks', exact: true }).click();
    return this;
  }
  async quickAdd(title: string, options: { details?: boolean } = {}): Promise<void> {
    await this.page.getByLabel('New task').fill(title);
    await this.page.getByRole('button', { name: options.details ? 'Add with details' : 'Add', exact: true }).click();
  }
  row(title: string): Locator { return this.page.getByTestId('task-row').filter({ has: this.page.getByRole('link', { name: title, exact: true }) }); }
  async openTask(title: string): Promise<void> { await this.row(title).first().getByRole('link', { name: title, exact: true }).click(); }
  async search(text: string): Promise<void> { await this.page.getByLabel('Search').fill(text); }
}

export class TaskPage {
  readonly page: Page;
  constructor(page: Page) { this.page = page; }
  get title(): Locator { return this.page.getByTestId('task-title'); }
  get status(): Locator { return this.page.getByTestId('task-status'); }
  get version(): Locator { return this.page.getByTestId('task-version'); }
  get occurrences(): Locator { return this.page.getByTestId('occurrences').getByRole('listitem'); }
  async setZonedDue(datetime: string, timezone: string): Promise<void> {
    await this.page.getByLabel('Kind').selectOption('datetime');
    await this.page.getByLabel('Date and time').fill(datetime);
    await this.page.getByLabel('Time zone').selectOption(timezone);
  }
  async addReminderBefore(minutes: number): Promise<void> {
    await this.page.getByRole('button', { name: 'Add a reminder' }).click();
    const reminder = this.page.getByRole('group', { name: /^Reminder \d+$/ }).last();
    await reminder.getByLabel('Minutes before').fill(String(minutes));
  }
  async repeatWeekly(days: readonly string[]): Promise<void> {
    await this.page.getByLabel('Repeats').selectOption('WEEKLY');
    for (const day of days) await this.page.getByRole('checkbox', { name: day }).check();
  }
  async setDescription(text: string): Promise<void> { await this.page.getByLabel('Description').fill(text); }
  async setTitle(text: string): Promise<void> { await this.page.getByLabel('Title', { exact: true }).fill(text); }
  async save(): Promise<void> { await this.page.getByRole('button', { name: 'Save' }).click(); }
  async complete(): Promise<void> { await this.page.getByRole('button', { name: 'Complete', exact: true }).click(); }
  async back(): Promise<void> { await this.page.getByRole('link', { name: '← All tasks' }).click(); }
  async previousVersion(): Promise<void> { await this.page.getByRole('button', { name: 'Previous version' }).click(); }
  get timeTravel(): Locator { return this.page.getByTestId('time-travel'); }
}

/** The page settled: its data shown, nothing loading. */
export async function settled(page: Page): Promise<void> {
  await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached' });
}

export async function withTimeTravel(page: Page, path: string): Promise<void> {
  if (!path.startsWith('/tasks/')) return;
  await page.getByTestId('occurrences').getByRole('listitem').first().waitFor();
  await page.getByRole('button', { name: 'Previous version' }).click();
  await page.getByTestId('time-travel').waitFor();
}
