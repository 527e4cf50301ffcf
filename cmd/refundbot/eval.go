package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"time"

	"github.com/refundbot/refundbot/classify"
	"github.com/refundbot/refundbot/knowledge"
	"github.com/refundbot/refundbot/persona"
	"github.com/refundbot/refundbot/platform/sandbox"
	"github.com/refundbot/refundbot/wechat"
)

// evalCmd measures the bot: "classify" on labelled utterances, "dialogues"
// with buyer personas played through a real webhook.
func evalCmd(ctx context.Context, args []string) error {
	if len(args) < 2 {
		return fmt.Errorf("usage: refundbot eval classify|dialogues|knowledge FILE...")
	}
	switch args[0] {
	case "classify":
		return evalClassify(ctx, args[1], os.Stdout)
	case "dialogues":
		return evalDialogues(ctx, args[1:], os.Stdout)
	case "knowledge":
		if len(args) != 3 {
			return fmt.Errorf("usage: refundbot eval knowledge KB.json QUERIES.jsonl")
		}
		return evalKnowledge(ctx, args[1], args[2], os.Stdout)
	}
	return fmt.Errorf("unknown eval %q: want classify, dialogues or knowledge", args[0])
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
	vary := fs.Bool("vary", false, "buyers answer in one of several everyday phrasings")
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
		rep, err := playAgainstFreshBot(ctx, ps, mode.aesKey, *platformURL, *platformKey, runnerStyle{plain: *plain, vary: *vary})
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
// runnerStyle is how the played buyers answer.
type runnerStyle struct{ plain, vary bool }

func playAgainstFreshBot(ctx context.Context, ps []persona.Persona, aesKey, platformURL, platformKey string, style runnerStyle) (persona.Report, error) {
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
		Plain:       style.plain,
		Vary:        style.vary,
	}
	return r.Run(ctx, ps)
}

// evalKnowledge loads a knowledge base file (the PUT /api/v1/knowledge
// format) and asks it every question of a {"text", "faq_id"} JSONL file:
// top-1 accuracy on answerable questions, abstention on the others.
func evalKnowledge(ctx context.Context, kbPath, queriesPath string, out io.Writer) error {
	data, err := os.ReadFile(kbPath)
	if err != nil {
		return err
	}
	entries, err := knowledge.ParseEntries(knowledge.FormatJSON, data)
	if err != nil {
		return err
	}
	kb, err := knowledge.Open(ctx, knowledge.Config{Defaults: entries, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	defer kb.Close()
	f, err := os.Open(queriesPath)
	if err != nil {
		return err
	}
	defer f.Close()
	var answerable, right, unanswerable, abstained int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var q struct {
			Text  string  `json:"text"`
			FAQID *string `json:"faq_id"`
		}
		if len(sc.Bytes()) == 0 {
			continue
		}
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			return fmt.Errorf("%s: %w", queriesPath, err)
		}
		res, err := kb.Search(ctx, q.Text, 5)
		if err != nil {
			return err
		}
		got := "(abstain)"
		if res.Best != nil {
			got = res.Best.Entry.ID
		}
		switch {
		case q.FAQID == nil:
			unanswerable++
			if res.Best == nil {
				abstained++
				continue
			}
			fmt.Fprintf(out, "MISS %-24s want (abstain), got %s\n", q.Text, got)
		default:
			answerable++
			if res.Best != nil && res.Best.Entry.ID == *q.FAQID {
				right++
				continue
			}
			fmt.Fprintf(out, "MISS %-24s want %s, got %s\n", q.Text, *q.FAQID, got)
		}
	}
	fmt.Fprintf(out, "top-1 %.3f (%d/%d answerable), abstention %.3f (%d/%d unanswerable)\n",
		ratio(right, answerable), right, answerable, ratio(abstained, unanswerable), abstained, unanswerable)
	return sc.Err()
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
