package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/refundbot/refundbot/platform/sandbox"
)

// sandboxCmd runs the merchant platform sandbox on its own, for a bot
// started with PLATFORM_BASE_URL pointing at it.
func sandboxCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	addr := fs.String("addr", ":9090", "address to serve on")
	orders := fs.String("orders", "", "JSON file of orders to load (array or {\"orders\": [...]})")
	demo := fs.Bool("demo", true, "add the demo orders of "+sandbox.DemoBuyer)
	apiKey := fs.String("api-key", os.Getenv("PLATFORM_API_KEY"), "bearer token callers must send")
	webhook := fs.String("webhook", "", "bot URL for refund events, e.g. http://127.0.0.1:8080/webhooks/platform")
	secret := fs.String("webhook-secret", os.Getenv("PLATFORM_WEBHOOK_SECRET"), "HMAC key for events")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	opts := sandbox.Options{Demo: *demo, APIKey: *apiKey, WebhookURL: *webhook, WebhookSecret: *secret, Logger: log}
	if *orders != "" {
		var err error
		if opts.Orders, err = sandbox.LoadOrdersFile(*orders); err != nil {
			return err
		}
	}
	sb := sandbox.New(opts)
	defer sb.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: sb, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	log.Info("platform sandbox ready", "addr", ln.Addr().String(), "orders", len(sb.Orders()))
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}
