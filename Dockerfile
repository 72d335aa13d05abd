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
ENTRYPOINT ["arriendo"]
CMD ["serve"]
