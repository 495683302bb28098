# syntax=docker/dockerfile:1
# Multi-stage: cargo-chef caches dependencies between builds; the runtime
# image is Debian slim with one binary, run as a non-root user.
FROM rust:1.95-bookworm AS chef
RUN cargo install cargo-chef --locked
WORKDIR /app

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
COPY --from=planner /app/recipe.json recipe.json
RUN cargo chef cook --release --recipe-path recipe.json
COPY . .
RUN cargo build --release --bin tornetic

FROM debian:bookworm-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /data tornetic && mkdir -p /data && chown tornetic /data
COPY --from=builder /app/target/release/tornetic /usr/local/bin/tornetic
USER tornetic
WORKDIR /data
ENV TORNETIC_BIND=0.0.0.0:8080 TORNETIC_LOG_FORMAT=json TORNETIC_ENV=production
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/health || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/tornetic"]
