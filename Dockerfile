# Multi-stage build: compile with the full toolchain, run as a non-root user on a slim image.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin arriendo

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates postgresql-client curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /var/lib/arriendo arriendo
COPY --from=build /src/target/release/arriendo /usr/local/bin/arriendo
USER arriendo
WORKDIR /var/lib/arriendo
ENV ARRIENDO_DATA_DIR=/var/lib/arriendo/data ARRIENDO_BIND=0.0.0.0:8080
EXPOSE 8080
# `docker stop` sends SIGTERM: the server handles it in-process (it stops accepting, finishes the
# requests in flight, stops the scheduler and exits 0), so it may run as PID 1 without an init.
STOPSIGNAL SIGTERM
ENTRYPOINT ["arriendo"]
CMD ["serve"]
