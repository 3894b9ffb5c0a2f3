import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, TEST_SECRET, type TestSystem } from '../support/test-system.ts';
import { testDatabase } from '../support/test-database.ts';
import { runTodo } from '../support/todo-process.ts';
import { codeBlocks, inlineCode, parsesAgainst, runbookBlocks, todoInvocations, type CodeBlock } from './runbook-commands.ts';

/*
 * The runbooks cannot drift from the CLI: every code block marked ```sh title="local"``` is run, as written,
 * against a running Todo (in document order, files in name order), and must succeed; every `todo` call in
 * any block or inline code — Kubernetes ones included, which are not run — must parse against the CLI's
 * own usage text.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let system: TestSystem;
let workDir: string;
let usage: string;
let blocks: CodeBlock[];

function shell(script: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
    child.once('exit', (code) => resolve({ code, output }));
  });
}

beforeAll(async () => {
  system = await startTestSystem();
  // Something for the commands to show: a task, with its projections caught up.
  expect((await system.call('POST', '/api/tasks', { body: { title: 'A task for the runbooks' } })).status).toBe(201);
  for (const projector of system.system.projectors) await projector.caughtUp();
  workDir = await mkdtemp(join(tmpdir(), 'todo-runbooks-'));
  const help = runTodo(['help'], {});
  // 'close', not 'exit': after the output has been read to its end.
  await once(help.child, 'close');
  usage = help.stdout();
  blocks = await runbookBlocks(ROOT);
});

afterAll(async () => { await rm(workDir, { recursive: true, force: true }); });

describe('reading runbooks', () => {
  it('finds marked local blocks, with their attributes, and the todo calls in any block', () => {
    const [block] = codeBlocks('x.md', '1. Do:\n   ```sh title="local" database="empty"\n   npm run todo -- import --from f  # note\n   ```\n');
    expect(block).toMatchObject({ line: 2, language: 'sh', local: true, emptyDatabase: true, text: 'npm run todo -- import --from f  # note' });
    expect(todoInvocations(block?.text ?? '')).toEqual([['import', '--from', 'f']]);
    expect(todoInvocations('kubectl -n todo exec deploy/todo-api -- node app/main.ts projections retry audit --id 42  # one')).toEqual([['projections', 'retry', 'audit', '--id', '42']]);
    expect(inlineCode('x.md', 'Run `todo projections status` or `kubectl exec x -- node app/main.ts projections statos`.').map((span) => todoInvocations(span.text)))
      .toEqual([[['projections', 'status']], [['projections', 'statos']]]);
    expect(parsesAgainst(usage, ['projections', 'rebuild', 'task-view'])).toBeNull();
    expect(parsesAgainst(usage, ['projections', 'rebuilt', 'task-view'])).toMatch(/not a command/);
    expect(parsesAgainst(usage, ['export', '--from', 'f'])).toMatch(/--from is not an option of "export --to FILE"/);
  });
});

describe('every runbook', () => {
  it('has local commands for a single node', () => {
    expect(blocks.filter((block) => block.local).length).toBeGreaterThanOrEqual(6);
  });

  it('calls the CLI only as it parses (Kubernetes commands included)', () => {
    const calls = blocks.flatMap((block) => todoInvocations(block.text)
      .map((args) => ({ at: `${block.file}:${block.line}`, args: args.join(' '), problem: parsesAgainst(usage, args) })));
    expect(calls.filter((call) => call.problem !== null)).toEqual([]);
    // The runbooks quote the CLI in a few dozen places; finding far fewer would mean the search went blind.
    expect(calls.length).toBeGreaterThanOrEqual(25);
  });

  it('runs its local commands as written, against a running Todo', async () => {
    const failures: string[] = [];
    for (const block of blocks.filter((b) => b.local)) {
      const databaseUrl = block.emptyDatabase ? (await testDatabase()).url : system.system.database.db.url;
      const run = await shell(block.text, {
        DATABASE_URL: databaseUrl, DATA_DIR: join(workDir, 'data'), BACKUP_DIR: join(workDir, 'backups'),
        TODO_URL: system.baseUrl, AUTH_JWT_SECRET: TEST_SECRET, LOG_LEVEL: 'warn',
      });
      if (run.code !== 0) failures.push(`${block.file}:${block.line} exited ${run.code}:\n${block.text}\n${run.output}`);
    }
    expect(failures).toEqual([]);
  });
});
