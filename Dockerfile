# The meshsim image for sharded runs (meshsim compare|sweep|capacity --emit-job writes the Kubernetes Job
# that uses it). Build from the repository root:
#
#   docker build -t meshsim:0.1.0 .
#   docker run --rm -v "$PWD:/work" meshsim:0.1.0 compare scenarios/quickstart.yaml
#
# Two stages: the first compiles TypeScript with the dev dependencies, the second holds only Node, the
# production dependencies, dist/ and the scenario library, and runs as the unprivileged `node` user.
# The Node major is the one package.json's engines and CI use, so a merged result has the bytes of a run
# on a developer's machine.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY .config ./.config
COPY src ./src
RUN npm run build

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY scenarios ./scenarios
# Reports and parts go under the working directory (or the folders given), never into /app.
RUN mkdir /work /results && chown node:node /work /results
USER node
WORKDIR /work
ENTRYPOINT ["node", "/app/dist/cli/main.js"]
CMD ["--help"]
