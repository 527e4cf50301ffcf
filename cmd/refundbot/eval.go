package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"time"

	"github.com/refundbot/refundbot/classify"
	"github.com/refundbot/refundbot/persona"
	"github.com/refundbot/refundbot/platform/sandbox"
	"github.com/refundbot/refundbot/wechat"
)

// evalCmd measures the bot: "classify" on labelled utterances, "dialogues"
// with buyer personas played through a real webhook.
func evalCmd(ctx context.Context, args []string) error {
	if len(args) < 2 {
		return fmt.Errorf("usage: refundbot eval classify|dialogues FILE.jsonl")
	}
	switch args[0] {
	case "classify":
		return evalClassify(ctx, args[1], os.Stdout)
	case "dialogues":
		return evalDialogues(ctx, args[1:], os.Stdout)
	}
	return fmt.Errorf("unknown eval %q: want classify or dialogues", args[0])
}

func evalClassify(ctx context.Context, path string, out io.Writer) error {
	cfg, err := LoadConfig(os.Getenv)
	if err != nil {
		return err
	}
	c, err := newClassifier(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rep, err := classify.Eval(ctx, f, c)
	if err != nil {
		return err
	}
	rep.Write(out)
	return nil
}

// evalDialogues starts the bot in-process on a free port (embedded
// sandboxes, rules classifier) unless -url names a running one, plays every
// persona in plaintext and then in safe mode, and reports.
func evalDialogues(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("eval dialogues", flag.ContinueOnError)
	verbose := fs.Bool("v", false, "print every transcript")
	platformURL := fs.String("platform", "", "an outside merchant platform (default: a sandbox on its own port)")
	platformKey := fs.String("platform-key", "", "its API key")
	plain := fs.Bool("plain", false, "buyers answer \"why?\" with their description instead of naming a reason")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: refundbot eval dialogues [-v] FILE.jsonl")
	}
	ps, err := persona.LoadFile(fs.Arg(0), time.Now())
	if err != nil {
		return err
	}
	total, ok, violations := 0, 0, 0
	for _, mode := range []struct {
		name, aesKey string
	}{{"plaintext", ""}, {"safe mode", evalAESKey}} {
		rep, err := playAgainstFreshBot(ctx, ps, mode.aesKey, *platformURL, *platformKey, *plain)
		if err != nil {
			return fmt.Errorf("%s: %w", mode.name, err)
		}
		fmt.Fprintf(out, "== %s: %d/%d ended right (%.1f%%), %d safety violations\n", mode.name, rep.OK, len(rep.Outcomes), 100*rep.Rate(), rep.Violations)
		for _, o := range rep.Outcomes {
			mark := "ok  "
			if !o.OK {
				mark = "FAIL"
			}
			fmt.Fprintf(out, "%s %-6s expect=%-7s got=%-7s %s\n", mark, o.ID, o.Expect, o.Got, o.Why)
			if *verbose || !o.OK {
				for _, l := range o.Transcript {
					fmt.Fprintf(out, "       %s\n", l)
				}
			}
		}
		total += len(rep.Outcomes)
		ok += rep.OK
		violations += rep.Violations
	}
	fmt.Fprintf(out, "== total: %d/%d ended right (%.1f%%), %d safety violations\n", ok, total, 100*float64(ok)/float64(max(total, 1)), violations)
	return nil
}

// evalAESKey is a fixed 43-character key for the safe-mode run.
const evalAESKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"

// playAgainstFreshBot starts a bot in-process on a free port, talking to
// the platform over HTTP like any outside platform: the one named, or a
// sandbox on its own listener.
func playAgainstFreshBot(ctx context.Context, ps []persona.Persona, aesKey, platformURL, platformKey string, plain bool) (persona.Report, error) {
	if platformURL == "" {
		sb := sandbox.New(sandbox.Options{APIKey: "eval-key", Logger: slog.New(slog.DiscardHandler)})
		defer sb.Close()
		srv := httptest.NewServer(sb)
		defer srv.Close()
		platformURL, platformKey = srv.URL, "eval-key"
	}
	env := map[string]string{
		"LISTEN_ADDR": "127.0.0.1:0", "WECHAT_ENCODING_AES_KEY": aesKey, "LOG_LEVEL": "error",
		"PLATFORM_BASE_URL": platformURL, "PLATFORM_API_KEY": platformKey,
	}
	cfg, err := LoadConfig(func(k string) string { return env[k] })
	if err != nil {
		return persona.Report{}, err
	}
	m := &Main{Config: cfg, Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))}
	if err := m.Run(ctx); err != nil {
		return persona.Report{}, err
	}
	defer m.Close(context.Background())
	r := &persona.Runner{
		Sim:         &wechat.Simulator{BotURL: m.URL + "/wechat", Token: cfg.WeChatToken, EncodingAESKey: aesKey, AppID: cfg.WeChatAppID},
		WeChatAPI:   m.WeChatAPI,
		PlatformURL: platformURL,
		PlatformKey: platformKey,
		Plain:       plain,
	}
	return r.Run(ctx, ps)
}
