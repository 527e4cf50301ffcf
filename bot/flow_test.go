package bot_test

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/bot"
	"github.com/refundbot/refundbot/classify"
	"github.com/refundbot/refundbot/knowledge"
	"github.com/refundbot/refundbot/platform"
	"github.com/refundbot/refundbot/platform/sandbox"
	"github.com/refundbot/refundbot/sessions"
)

var update = flag.Bool("update", false, "rewrite testdata/flows with the bot's replies")

// testNow is the fixed clock of every flow: a Wednesday morning in China.
var testNow = time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// harness is a bot over a real sandbox platform (over HTTP), the rules
// classifier and the default knowledge base, with a fixed clock.
type harness struct {
	conv    *bot.Conversations
	sandbox *sandbox.Sandbox
	media   *fakeMedia
	keys    int
}

func newHarness(t *testing.T, policy func(*bot.Policy)) *harness {
	t.Helper()
	now := func() time.Time { return testNow }
	sb := sandbox.New(sandbox.Options{Demo: true, Now: now, Logger: slog.New(slog.DiscardHandler)})
	t.Cleanup(func() { sb.Close() })
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	pc := &platform.Client{BaseURL: srv.URL, Logger: slog.New(slog.DiscardHandler)}
	kb, err := knowledge.Open(context.Background(), knowledge.Config{Now: now, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { kb.Close() })
	h := &harness{sandbox: sb, media: &fakeMedia{}}
	p := bot.DefaultPolicy()
	p.ServiceStart, p.ServiceEnd = 0, 0
	if policy != nil {
		policy(&p)
	}
	b := &bot.Bot{
		Orders: pc, Refunds: pc, Evidence: pc, Media: h.media,
		Classifier: classify.NewRules(), Knowledge: kb, Policy: p, Now: now,
		NewKey: func() string { h.keys++; return fmt.Sprintf("key-%d", h.keys) },
	}
	h.conv = &bot.Conversations{
		Bot: b, Sessions: &sessions.Memory{}, Transcripts: &sessions.MemoryTranscripts{},
		Handoffs: &sessions.MemoryHandoffs{}, Unanswered: kb, Logger: slog.New(slog.DiscardHandler),
	}
	return h
}

// say sends one buyer message and returns the bot's text.
func (h *harness) say(t *testing.T, buyer, text string) string {
	t.Helper()
	in := refundbot.Inbound{Buyer: refundbot.BuyerID(buyer), Kind: refundbot.InboundText, Text: text, At: testNow}
	switch {
	case text == "[图片]":
		in.Kind, in.Text, in.MediaID = refundbot.InboundImage, "", h.media.add()
	case strings.HasPrefix(text, "[click ") && strings.HasSuffix(text, "]"):
		in.Kind, in.Text, in.Event, in.EventKey = refundbot.InboundEvent, "", refundbot.EventClick, text[7:len(text)-1]
	case text == "[subscribe]":
		in.Kind, in.Text, in.Event = refundbot.InboundEvent, "", refundbot.EventSubscribe
	}
	replies, err := h.conv.Handle(context.Background(), in)
	if err != nil {
		t.Fatalf("%q: %v", text, err)
	}
	var out []string
	for _, r := range replies {
		if r.Transfer {
			out = append(out, "[转接微信客服]")
		}
		if r.Text != "" {
			out = append(out, r.Text)
		}
	}
	return strings.Join(out, "\n")
}

// TestFlows replays testdata/flows/*.txt: "> " lines are the buyer
// (as the demo buyer), "< " lines the bot's expected replies. Run with
// -update to rewrite the replies after a deliberate change.
func TestFlows(t *testing.T) {
	files, err := filepath.Glob("testdata/flows/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no flows: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			h := newHarness(t, nil)
			got := replay(t, h, file)
			want, _ := os.ReadFile(file)
			if *update {
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != string(want) {
				t.Errorf("transcript differs (run go test ./bot -run TestFlows -update and review the diff):\n--- got\n%s", got)
			}
		})
	}
}

func replay(t *testing.T, h *harness, file string) string {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "< "), line == "<":
			continue // regenerated below
		case strings.HasPrefix(line, "> "):
			b.WriteString(line + "\n")
			for _, l := range strings.Split(h.say(t, sandbox.DemoBuyer, line[2:]), "\n") {
				b.WriteString(strings.TrimRight("< "+l, " ") + "\n")
			}
		default:
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// fakeMedia plays WeChat's media store: every id is a small JPEG.
type fakeMedia struct{ n int }

func (m *fakeMedia) add() string { m.n++; return fmt.Sprintf("media-%d", m.n) }

func (m *fakeMedia) FetchMedia(_ context.Context, id string) ([]byte, string, error) {
	if !strings.HasPrefix(id, "media-") {
		return nil, "", refundbot.Errorf(refundbot.ENOTFOUND, "media %s", id)
	}
	// A minimal JPEG header is enough for content sniffing.
	return append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, []byte(id)...), "image/jpeg", nil
}
