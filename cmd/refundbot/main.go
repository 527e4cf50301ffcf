// Command refundbot serves the refund bot: the WeChat webhook, platform
// events, the operator and support APIs and the console. Subcommands try it
// without WeChat (chat), run the merchant sandbox alone (sandbox) and
// measure it (eval).
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "refundbot:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	cmd := ""
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "", "serve":
		return serve(ctx)
	case "chat":
		return chat(ctx, args)
	case "sandbox":
		return sandboxCmd(ctx, args)
	case "eval":
		return evalCmd(ctx, args)
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", cmd, usage)
}

const usage = `usage:
  refundbot                      serve the bot (configuration from the environment)
  refundbot chat [-openid ID] [-url URL]
                                 chat with a running bot as WeChat would deliver it
  refundbot sandbox [-addr :9090] [-orders FILE]
                                 run the merchant platform sandbox alone
  refundbot eval classify FILE.jsonl
                                 classifier accuracy per field and intent confusion
  refundbot eval dialogues [-v] [-plain] [-platform URL] FILE.jsonl
                                 play buyer personas through the webhook, report outcomes
  refundbot eval knowledge KB.json QUERIES.jsonl
                                 FAQ top-1 accuracy and abstention
`

func serve(ctx context.Context) error {
	cfg, err := LoadConfig(os.Getenv)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	m := &Main{Config: cfg, Logger: logger}
	if err := m.Run(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	logger.Info("shutting down: finishing in-flight messages")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := m.Close(shutdownCtx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
