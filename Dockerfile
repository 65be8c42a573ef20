# Frontline as a container image: one static binary (pure-Go SQLite, so
# CGO is off) on distroless "static", which has CA certificates and time
# zones but no shell, no package manager and no root user.
#
#   docker build -t frontline .
#   docker run -p 8080:8080 -v frontline-data:/data frontline
#
# compose.yaml runs it with PostgreSQL.

FROM golang:1.26-bookworm AS build
WORKDIR /src
# Modules first, so a change to the code reuses the downloaded layer.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# timetzdata embeds the zone database, so FRONTLINE_TIMEZONE works on any
# base image, scratch included; -trimpath keeps build paths out of it.
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -tags timetzdata -ldflags="-s -w" -o /out/frontline ./app \
	&& mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/frontline /usr/local/bin/frontline
# /data belongs to the image's non-root user (65532), so the SQLite file,
# its WAL and backups can be written there and nowhere else.
COPY --from=build --chown=65532:65532 /out/data /data
WORKDIR /data
VOLUME /data
ENV FRONTLINE_ADDR=:8080 \
	FRONTLINE_DATABASE_URL=/data/frontline.db \
	FRONTLINE_LOG_FORMAT=json
EXPOSE 8080
USER 65532:65532
# No curl in distroless: the binary probes its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["/usr/local/bin/frontline", "health"]
ENTRYPOINT ["/usr/local/bin/frontline"]
CMD ["serve"]
