package knowledge_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/knowledge"
)

var sample = []refundbot.Entry{
	{ID: "refund-time", Question: "退款多久到账？", Similar: []string{"钱几天退回来"}, Answer: "1-7个工作日原路退回。", Tags: []string{"退款"}},
	{ID: "return-fee", Question: "退货运费谁出？", Similar: []string{"邮费谁承担"}, Answer: "商家责任由商家承担。"},
}

func TestDefaultEntries(t *testing.T) {
	entries, err := knowledge.DefaultEntries()
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 30 || len(entries) > 40 {
		t.Errorf("default base has %d entries, want 30-40", len(entries))
	}
	platforms := map[string]bool{"视频号": false, "抖音": false, "小红书": false, "旺商聊": false}
	for _, e := range entries {
		if len(e.Similar) < 3 {
			t.Errorf("%s: only %d similar questions", e.ID, len(e.Similar))
		}
		for p := range platforms {
			if strings.Contains(e.Question, p) {
				platforms[p] = true
			}
		}
	}
	for p, ok := range platforms {
		if !ok {
			t.Errorf("no default entry about %s", p)
		}
	}
}

func TestCRUD(t *testing.T) {
	ctx := context.Background()
	b := openBase(t, sample)
	if got := len(b.List()); got != 2 {
		t.Fatalf("List has %d entries, want 2", got)
	}

	newEntry := refundbot.Entry{ID: "invoice", Question: "怎么开发票？", Similar: []string{" 发票抬头怎么填 ", ""}, Answer: "在订单详情申请开票。"}
	if _, err := b.Create(ctx, newEntry, "alice"); err != nil {
		t.Fatal(err)
	}
	got, err := b.Get("invoice")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Similar) != 1 || got.Similar[0] != "发票抬头怎么填" || got.Tags == nil {
		t.Errorf("created entry not cleaned: %+v", got)
	}
	if res, _ := b.Search(ctx, "发票抬头怎么写", 3); res.Best == nil || res.Best.Entry.ID != "invoice" {
		t.Errorf("new entry not searchable: %+v", res.Best)
	}

	errTests := []struct {
		name string
		err  error
		code string
	}{
		{"create duplicate", second(b.Create(ctx, newEntry, "alice")), refundbot.ECONFLICT},
		{"create invalid id", second(b.Create(ctx, refundbot.Entry{ID: "Bad ID", Question: "q", Answer: "a"}, "alice")), refundbot.EINVALID},
		{"create empty answer", second(b.Create(ctx, refundbot.Entry{ID: "x", Question: "q", Answer: " "}, "alice")), refundbot.EINVALID},
		{"update missing", second(b.Update(ctx, "nope", refundbot.Entry{Question: "q", Answer: "a"}, "alice")), refundbot.ENOTFOUND},
		{"update renames", second(b.Update(ctx, "invoice", refundbot.Entry{ID: "other", Question: "q", Answer: "a"}, "alice")), refundbot.EINVALID},
		{"delete missing", second(b.Delete(ctx, "nope", "alice")), refundbot.ENOTFOUND},
		{"get missing", second(b.Get("nope")), refundbot.ENOTFOUND},
	}
	for _, tt := range errTests {
		if code := refundbot.ErrorCode(tt.err); code != tt.code {
			t.Errorf("%s: code %q (%v), want %q", tt.name, code, tt.err, tt.code)
		}
	}

	upd := newEntry
	upd.ID = ""
	upd.Question = "怎么申请电子发票？"
	upd.Similar = nil
	if _, err := b.Update(ctx, "invoice", upd, "bob"); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.Get("invoice"); got.Question != "怎么申请电子发票？" {
		t.Errorf("update not applied: %+v", got)
	}
	if _, err := b.Delete(ctx, "invoice", "bob"); err != nil {
		t.Fatal(err)
	}
	if res, _ := b.Search(ctx, "怎么申请电子发票", 3); res.Best != nil && res.Best.Entry.ID == "invoice" {
		t.Errorf("deleted entry still found")
	}
	if len(b.List()) != 2 {
		t.Errorf("List after delete has %d entries, want 2", len(b.List()))
	}
}

func second[T any](_ T, err error) error { return err }

func TestReplaceAllIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	b := openBase(t, sample)
	before := b.Version()
	bad := []refundbot.Entry{
		{ID: "ok-one", Question: "q", Answer: "a"},
		{ID: "ok-one", Question: "q2", Answer: "a2"}, // duplicate
		{ID: "no-answer", Question: "q"},
		{ID: "UPPER", Question: "q", Answer: "a"},
		{ID: "trailing-", Question: "q", Answer: "a"},
	}
	_, err := b.ReplaceAll(ctx, bad, "alice", "")
	if refundbot.ErrorCode(err) != refundbot.EINVALID {
		t.Fatalf("ReplaceAll(bad) = %v, want EINVALID", err)
	}
	for _, want := range []string{"repeats", "answer is empty", "kebab-case"} {
		if !strings.Contains(refundbot.ErrorMessage(err), want) {
			t.Errorf("error %q does not mention %q", refundbot.ErrorMessage(err), want)
		}
	}
	if b.Version() != before || len(b.List()) != len(sample) {
		t.Errorf("a rejected replace changed the base: version %d → %d", before, b.Version())
	}
}

func TestHistoryAndRollback(t *testing.T) {
	ctx := context.Background()
	b := openBase(t, sample)
	v2, err := b.ReplaceAll(ctx, sample[:1], "alice", "trim")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Delete(ctx, "refund-time", "bob"); err != nil {
		t.Fatal(err)
	}
	hist, err := b.History(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantActions := []string{knowledge.ActionDelete, knowledge.ActionReplace, knowledge.ActionSeed}
	if len(hist) != 3 {
		t.Fatalf("history has %d versions, want 3: %+v", len(hist), hist)
	}
	for i, v := range hist {
		if v.Action != wantActions[i] || v.Version != 3-i {
			t.Errorf("history[%d] = %+v, want version %d action %s", i, v, 3-i, wantActions[i])
		}
	}
	if hist[0].Actor != "bob" || hist[0].Count != 0 || hist[1].Note != "trim" || hist[0].At.IsZero() {
		t.Errorf("history records wrong: %+v", hist[:2])
	}

	rv, err := b.Rollback(ctx, 1, "carol")
	if err != nil {
		t.Fatal(err)
	}
	if rv.Version != 4 || rv.Action != knowledge.ActionRollback || rv.Count != 2 {
		t.Errorf("rollback version = %+v", rv)
	}
	if len(b.List()) != 2 {
		t.Errorf("after rollback to v1: %d entries, want 2", len(b.List()))
	}
	if _, err := b.Rollback(ctx, v2.Version+100, "carol"); refundbot.ErrorCode(err) != refundbot.ENOTFOUND {
		t.Errorf("rollback to unknown version: %v, want ENOTFOUND", err)
	}
}

func TestHistoryIsBounded(t *testing.T) {
	ctx := context.Background()
	b := openBase(t, sample)
	for range knowledge.HistoryLimit + 5 {
		if _, err := b.ReplaceAll(ctx, sample, "alice", ""); err != nil {
			t.Fatal(err)
		}
	}
	hist, _ := b.History(ctx)
	if len(hist) != knowledge.HistoryLimit {
		t.Errorf("history keeps %d versions, want %d", len(hist), knowledge.HistoryLimit)
	}
	if _, err := b.Rollback(ctx, 1, "alice"); refundbot.ErrorCode(err) != refundbot.ENOTFOUND {
		t.Errorf("rollback to dropped version: %v, want ENOTFOUND", err)
	}
}

func TestFileStoreSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kb.json")
	open := func() *knowledge.Base {
		s, err := knowledge.NewMemoryStore(path)
		if err != nil {
			t.Fatal(err)
		}
		b, err := knowledge.Open(ctx, knowledge.Config{Store: s, Defaults: sample})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	b := open()
	if _, err := b.Create(ctx, refundbot.Entry{ID: "exchange", Question: "可以换货吗？", Answer: "可以。"}, "alice"); err != nil {
		t.Fatal(err)
	}
	b.Close()

	b = open()
	defer b.Close()
	if _, err := b.Get("exchange"); err != nil {
		t.Errorf("entry lost across restart: %v", err)
	}
	if b.Version() != 2 {
		t.Errorf("version after restart = %d, want 2", b.Version())
	}
	if hist, _ := b.History(ctx); len(hist) != 2 {
		t.Errorf("history after restart has %d versions, want 2", len(hist))
	}
}

func TestFileStoreRejectsCorruptFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kb.json")
	if err := writeFile(path, "{not json"); err != nil {
		t.Fatal(err)
	}
	if _, err := knowledge.NewMemoryStore(path); err == nil {
		t.Error("NewMemoryStore accepted a corrupt file")
	}
}

func TestUnanswered(t *testing.T) {
	ctx := context.Background()
	b := openBase(t, sample)
	for _, q := range []string{"怎么开发票？", "怎么开发票", "  怎么开发票!! ", "优惠券在哪领", "", "!!!", "13812345678 打不通", "13987654321打不通"} {
		if err := b.RecordUnanswered(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	// Operators' searches must not count.
	if _, err := b.Search(ctx, "今天天气", 3); err != nil {
		t.Fatal(err)
	}
	got, err := b.Unanswered(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []knowledge.Unanswered{{Question: "怎么开发票", Count: 3}, {Question: "*** 打不通", Count: 1}, {Question: "***打不通", Count: 1}, {Question: "优惠券在哪领", Count: 1}}
	if len(got) != len(want) {
		t.Fatalf("Unanswered = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Unanswered[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestEntryErrorsAreTyped(t *testing.T) {
	_, err := knowledge.ValidateEntries([]refundbot.Entry{{ID: "a", Question: string(make([]rune, knowledge.MaxQuestionRunes+1)), Answer: "x"}})
	var e *refundbot.Error
	if !errors.As(err, &e) || e.Code != refundbot.EINVALID {
		t.Errorf("ValidateEntries(too long) = %v, want *refundbot.Error EINVALID", err)
	}
}

// Searches run while operators edit; the race detector checks the locking.
func TestSearchDuringEdits(t *testing.T) {
	ctx := context.Background()
	b := openBase(t, nil)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 20 {
			e := refundbot.Entry{ID: "tmp", Question: "临时问题", Answer: "临时答案"}
			if i%2 == 0 {
				b.Create(ctx, e, "alice")
			} else {
				b.Delete(ctx, "tmp", "alice")
			}
		}
	}()
	for {
		select {
		case <-done:
			return
		default:
		}
		if _, err := b.Search(ctx, "退款多久到账", 3); err != nil {
			t.Fatal(err)
		}
	}
}
