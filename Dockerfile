# hwlocal in a container: Node 20 slim, the built package, listening on 0.0.0.0:4577, state in /data.
#   docker build -t hwlocal .
#   docker run --rm -p 4577:4577 -v hwlocal-data:/data hwlocal
# Beyond the container's own loopback the control calls that change state (reset, clock, checkpoints) and
# GET /_hwlocal/info answer only the admin: sign them with the seed's key (HUAWEICLOUD_SDK_AK/SK), as
# `hwlocal env` and the control commands do when those variables are set.

FROM node:20-slim AS build
WORKDIR /app
COPY . .
# npm ci runs "prepare": esbuild bundles dist/hwlocal.cjs and records its code cache. better-sqlite3
# installs its prebuilt native module (network needed at build time only).
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim
ENV NODE_ENV=production \
    HWLOCAL_HOST=0.0.0.0 \
    HWLOCAL_PORT=4577 \
    HWLOCAL_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json /app/LICENSE ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
COPY --from=build /app/catalogue ./catalogue
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 4577
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s CMD ["node", "bin/hwlocal.js", "wait", "--timeout", "2"]
ENTRYPOINT ["node", "--max-semi-space-size=4", "bin/hwlocal.js"]
CMD ["start"]
