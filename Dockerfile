# syntax=docker/dockerfile:1
# emotion-stream worker image: multi-stage, production dependencies only, non-root, default model included.
# NODE_IMAGE: where no registry is reachable, scripts/build-image builds a local stand-in and passes it.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
RUN npm ci --ignore-scripts --no-audit --no-fund
# everything `npm run build` reads: tsc (tsconfig*.json, src) and the dashboard bundle (scripts/build-dashboard.mjs)
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build-dashboard.mjs ./scripts/
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    ONNXRUNTIME_NODE_INSTALL=skip \
    HTTP_PORT=8080
ENV HTTP_HOST=0.0.0.0 ALERTS_HTTP_HOST=0.0.0.0 DASHBOARD_HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# --ignore-scripts: `prepare` would try to compile, and onnxruntime-node's installer fetches CUDA files;
# the CPU binaries it needs ship inside the package.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY schemas ./schemas
COPY models/emotion-minilm-l3 ./models/emotion-minilm-l3
COPY samples ./samples
# the image's `node` user (uid 1000): numeric so Kubernetes runAsNonRoot can verify it
USER 1000:1000
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["worker"]
