package bot_test

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
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
	conv      *bot.Conversations
	reminders *bot.Reminders
	sandbox   *sandbox.Sandbox
	platform  string // the sandbox's URL
	media     *fakeMedia
	sent      *fakeSender
	now       time.Time
	keys      int
}

func newHarness(t *testing.T, policy func(*bot.Policy)) *harness {
	t.Helper()
	h := &harness{media: &fakeMedia{}, sent: &fakeSender{}, now: testNow}
	now := func() time.Time { return h.now }
	// The merchant's silence lasts past 48 h here, so reminders can be seen.
	sb := sandbox.New(sandbox.Options{Demo: true, Now: now, AutoApproveAfter: 7 * 24 * time.Hour, Logger: slog.New(slog.DiscardHandler)})
	t.Cleanup(func() { sb.Close() })
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	pc := &platform.Client{BaseURL: srv.URL, Logger: slog.New(slog.DiscardHandler)}
	kb, err := knowledge.Open(context.Background(), knowledge.Config{Now: now, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { kb.Close() })
	h.sandbox, h.platform = sb, srv.URL
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
	dedupe := &sessions.Memory{}
	h.reminders = &bot.Reminders{
		Refunds: pc, FollowUps: &sessions.MemoryFollowUps{}, Deduper: dedupe, Sessions: h.conv.Sessions,
		Outbox: &bot.Outbox{Sender: h.sent, Templates: h.sent, Conversations: h.conv}, Now: now, Logger: slog.New(slog.DiscardHandler),
	}
	h.conv.Reminders = h.reminders
	return h
}

// say sends one buyer message and returns the bot's text.
func (h *harness) say(t *testing.T, buyer, text string) string {
	t.Helper()
	in := refundbot.Inbound{Buyer: refundbot.BuyerID(buyer), Kind: refundbot.InboundText, Text: text, At: h.now}
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
		case strings.HasPrefix(line, "! "):
			b.WriteString(line + "\n")
			for _, l := range strings.Split(h.merchant(t, line[2:]), "\n") {
				b.WriteString(strings.TrimRight("< "+l, " ") + "\n")
			}
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

// merchant runs a "! " line: a merchant action on the sandbox, whose
// event the bot is told of ("! approve RF00000001", "! reject RF00000001
// 理由"), or time passing with a reminder pass ("! wait 49h"). It returns
// what the buyer is sent.
func (h *harness) merchant(t *testing.T, line string) string {
	t.Helper()
	f := strings.Fields(line)
	ctx := context.Background()
	if f[0] == "wait" {
		d, err := time.ParseDuration(f[1])
		if err != nil {
			t.Fatal(err)
		}
		h.now = h.now.Add(d)
		h.sent.msgs = nil
		if err := h.reminders.Pass(ctx, time.Minute); err != nil {
			t.Fatal(err)
		}
		return strings.Join(h.sent.msgs, "\n")
	}
	body := "{}"
	if len(f) > 2 {
		b, _ := json.Marshal(map[string]string{"note": strings.Join(f[2:], " ")})
		body = string(b)
	}
	resp, err := http.Post(h.platform+"/sandbox/refunds/"+f[1]+"/"+f[0], "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rf refundbot.Refund
	if err := json.NewDecoder(resp.Body).Decode(&rf); err != nil || resp.StatusCode != 200 {
		t.Fatalf("merchant %s: HTTP %d %v", line, resp.StatusCode, err)
	}
	text, _, err := h.conv.Notify(ctx, &rf)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// fakeSender records customer-service and template messages.
type fakeSender struct{ msgs []string }

func (s *fakeSender) Send(_ context.Context, _ refundbot.BuyerID, text string) error {
	s.msgs = append(s.msgs, text)
	return nil
}

func (s *fakeSender) SendTemplate(_ context.Context, _ refundbot.BuyerID, text string) error {
	s.msgs = append(s.msgs, "[模板消息] "+text)
	return nil
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
