# Build: docker build -t refundbot .
# Run:   docker run -p 8080:8080 refundbot
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/refundbot ./cmd/refundbot

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/refundbot /refundbot
USER nonroot:nonroot
EXPOSE 8080
ENV LISTEN_ADDR=:8080
HEALTHCHECK NONE
ENTRYPOINT ["/refundbot"]
