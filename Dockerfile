# The Segstream API and UI in one image; ClickHouse and Redis run in their own containers
# (docker-compose.yml) and are reached through CLICKHOUSE_URL and REDIS_URL.

# Build stage: the UI build needs the dev dependencies (vite, svelte), the runtime does not.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# The lockfile alone first, so the dependency layer is reused while only sources change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:ui && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080
WORKDIR /app
COPY --from=build --chown=node:node /app ./
USER node
EXPOSE 8080
CMD ["node", "bin/segstream.js", "serve"]
