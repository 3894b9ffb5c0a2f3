import type { TestSystem } from '../../../test/support/test-system.ts';

/** A few tasks for `user`, one of them recurring with a reminder and two versions; answers its id. */
export async function seedTasks(system: TestSystem, user: string): Promise<string> {
  const created = await system.call('POST', '/api/tasks', {
    user,
    body: {
      title: 'Plan the week', description: 'Every Monday morning', priority: 'high', tags: ['planning', 'work'],
      due: { datetime: '2030-01-07T09:00', timezone: 'Europe/Berlin' }, reminders: [{ before_minutes: 15 }],
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO', anchor: 'due' },
    },
  });
  const taskId = (created.body as { task_id: string }).task_id;
  await system.call('PATCH', `/api/tasks/${taskId}`, { user, body: { priority: 'urgent' } });
  for (const title of ['Buy stamps', 'Renew the passport', 'Book the dentist']) {
    await system.call('POST', '/api/tasks', { user, body: { title, tags: ['errands'], due: { date: '2030-02-01' } } });
  }
  return taskId;
}
