# syntax=docker/dockerfile:1
# pledgebook-migrate: applies the schema migrations and exits (the Kubernetes migration
# Job). The same pledgebook-ingest binary, whose migrations are compiled in, run as
# `pledgebook-ingest migrate`.
#
#   docker build -f docker/migrate.Dockerfile \
#     --build-arg PLEDGEBOOK_VERSION=0.1.0 --build-arg PLEDGEBOOK_REVISION=$(git rev-parse HEAD) \
#     -t pledgebook-migrate:0.1.0 .
#
# The build context is the repository root; .dockerignore keeps it to the
# sources the build needs. tests/deploy checks this file statically (COPY
# sources, base images, non-root user, runtime packages against `ldd`).

############################ build ############################
FROM debian:12 AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config \
      libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler \
      libpqxx-dev libpq-dev libabsl-dev libre2-dev libutf8proc-dev libssl-dev \
      libgumbo-dev libcmark-dev libcpp-httplib-dev nlohmann-json3-dev libtcmalloc-minimal4 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY cmake/ cmake/
COPY third_party/ third_party/
COPY proto/ proto/
COPY common/ common/
COPY migrations/ migrations/
COPY data/ data/
COPY ingest-service/ ingest-service/
COPY report-service/ report-service/
COPY cli/ cli/
COPY tools/corpus/ tools/corpus/
# The image's version must be the source's version (optionally with a
# pre-release or build suffix: 0.1.0-rc.1, 0.1.0+abc123).
ARG PLEDGEBOOK_VERSION=0.1.0
RUN test "$(sed -n 's/^project(pledgebook VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)" = "${PLEDGEBOOK_VERSION%%[-+]*}" \
      || { echo "PLEDGEBOOK_VERSION=${PLEDGEBOOK_VERSION} does not match CMakeLists.txt" >&2; exit 1; }
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DPLEDGEBOOK_BUILD_TESTS=OFF -DPLEDGEBOOK_BUILD_BENCH=OFF \
 && cmake --build build -j"$(nproc)" --target pledgebook-ingest \
 && strip build/ingest-service/pledgebook-ingest

############################ runtime ############################
FROM debian:12-slim
ARG PLEDGEBOOK_VERSION=0.1.0
ARG PLEDGEBOOK_REVISION=unknown
LABEL org.opencontainers.image.title="pledgebook-migrate" \
      org.opencontainers.image.description="Pledgebook schema migrations: pledgebook-ingest migrate, then exit" \
      org.opencontainers.image.version="${PLEDGEBOOK_VERSION}" \
      org.opencontainers.image.revision="${PLEDGEBOOK_REVISION}" \
      org.opencontainers.image.base.name="debian:12-slim"
# Runtime shared libraries only (the Debian 12 packages that own what `ldd`
# reports for the binary; tests/deploy keeps this list exact).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libabsl20220623 libgrpc++1.51 libgrpc29 libprotobuf32 libtcmalloc-minimal4 \
      libpqxx-6.4 libpq5 libre2-9 libutf8proc2 libssl3 libgumbo1 libcmark0.30.2 \
      libcpp-httplib0.11 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 pledgebook \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin pledgebook
COPY --from=build /src/build/ingest-service/pledgebook-ingest /usr/local/bin/pledgebook-ingest
# Fail the image build if any shared library is missing.
RUN ! ldd /usr/local/bin/pledgebook-ingest | grep "not found"
ENV PLEDGEBOOK_VERSION=${PLEDGEBOOK_VERSION}
USER 10001:10001
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/pledgebook-ingest", "migrate"]
