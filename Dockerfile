# syntax=docker/dockerfile:1
# The image of the Rotor GitHub Action (action.yml runs it prebuilt, pinned by digest; forks may use
# `image: Dockerfile`). Stages: Maven build | jlink runtime (from src/main/jlink/modules) | slim final stage with
# an AppCDS archive. docs/action.md#the-jlink-module-list explains the choices,
# docs/action.md#sizes-and-times gives the sizes.
# Base images are tags here; Dependabot (package-ecosystem: docker) or the release workflow's builder may pin them.
ARG BUILD_IMAGE=maven:3-eclipse-temurin-17
ARG RUNTIME_IMAGE=debian:bookworm-slim

# --- 1. build the shaded jar (tests run in CI, not here) ------------------------------------------------------
FROM ${BUILD_IMAGE} AS build
WORKDIR /build
COPY pom.xml ./
COPY src/main ./src/main
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -Dmaven.test.skip=true package

# --- 2. a runtime of only the JDK modules Rotor needs: the list JlinkRuntimeIT tests, with the same options -------
FROM ${BUILD_IMAGE} AS jlink
COPY src/main/jlink/modules /tmp/modules
RUN modules="$(sed -e 's/#.*//' /tmp/modules | tr -s ' \t\r\n' ',' | sed -e 's/^,//' -e 's/,$//')" \
 && echo "jlink modules: ${modules}" \
 && jlink --add-modules "${modules}" --strip-debug --no-man-pages --no-header-files --compress=2 --output /opt/rotor

# --- 3. the image: runtime + the same jar + an AppCDS archive, run as a non-root user ------------------------
FROM ${RUNTIME_IMAGE}
# 1001 is the `runner` user of GitHub-hosted runners, which owns GITHUB_WORKSPACE and the files behind
# GITHUB_OUTPUT / GITHUB_STEP_SUMMARY that the runner mounts into the container. Self-hosted runners whose
# runner user has another uid: build with --build-arg ROTOR_UID=$(id -u) (docs/action.md#non-root-user).
ARG ROTOR_UID=1001
ARG ROTOR_GID=1001
RUN groupadd --gid "${ROTOR_GID}" rotor \
 && useradd --uid "${ROTOR_UID}" --gid "${ROTOR_GID}" --no-create-home --home-dir /github/home \
            --shell /usr/sbin/nologin rotor
# Java 17 takes the default charset from the locale; the slim image has none set (POSIX = ASCII).
ENV LANG=C.UTF-8
COPY --from=jlink /opt/rotor /opt/rotor
COPY --from=build /build/target/rotor.jar /opt/rotor/rotor.jar
# AppCDS: record the classes that validate, rotate and status of the example load (and validate of a manifest
# outside the YAML subset manifest.YamlSubset reads, which goes to SnakeYAML), then dump one static archive of
# them (src/main/docker/cds-archive, which JlinkRuntimeIT and the benchmark run too). It is made here, in the final
# stage, because the archive is tied to the jar's path, size and modification time. The example's state goes with
# /tmp/cds.
COPY examples/local/rotation.yml examples/local/user-provided.env src/main/docker/cds-archive /tmp/cds/
RUN sh /tmp/cds/cds-archive /opt/rotor/bin/java /opt/rotor/rotor.jar /opt/rotor/lib/rotor.jsa /tmp/cds \
 && rm -rf /tmp/cds
USER ${ROTOR_UID}:${ROTOR_GID}
# No WORKDIR: the runner mounts the workspace at /github/workspace and starts the container there.
# The entry point picks the JIT per command: C1 alone for the read-only ones (they start ~90 ms sooner), tiered
# for rotate and rollback (C1 alone leaves key generation's BigInteger arithmetic slow: docs/performance.md).
COPY --chmod=755 src/main/docker/rotor /opt/rotor/bin/rotor
ENTRYPOINT ["/opt/rotor/bin/rotor"]
CMD ["--help"]
