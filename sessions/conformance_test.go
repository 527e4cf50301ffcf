package sessions_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/refundbot/refundbot"
)

// storeSet is every store of one mechanism, as the service wires them.
type storeSet struct {
	sessions    refundbot.SessionStore
	dedupe      refundbot.Deduper
	handoffs    refundbot.HandoffStore
	transcripts refundbot.TranscriptStore
	followups   refundbot.FollowUpStore
}

// storeConfig is what a conformance test needs changed from the defaults;
// zero fields keep them.
type storeConfig struct {
	idleTTL       time.Duration
	transcriptMax int
}

// opener returns fresh, empty stores for one test.
type opener func(t *testing.T, cfg storeConfig) storeSet

// testStores is the behaviour every mechanism must share: the root
// package's interface contracts, exercised through the interfaces only.
func testStores(t *testing.T, open opener) {
	tests := []struct {
		name string
		run  func(t *testing.T, open opener)
	}{
		{"GetUnknownIsIdle", testGetUnknownIsIdle},
		{"PutGetRoundTrip", testPutGetRoundTrip},
		{"PutStaleVersionConflicts", testPutStaleVersionConflicts},
		{"PutInvalid", testPutInvalid},
		{"Delete", testDelete},
		{"ConcurrentUpdatesNotLost", testConcurrentUpdatesNotLost},
		{"IdleTTL", testIdleTTL},
		{"LockExcludes", testLockExcludes},
		{"LockTimeout", testLockTimeout},
		{"LockPerBuyer", testLockPerBuyer},
		{"Dedupe", testDedupe},
		{"DedupeExpires", testDedupeExpires},
		{"DedupeInvalid", testDedupeInvalid},
		{"HandoffCreateGet", testHandoffCreateGet},
		{"HandoffUpdateMovesStatus", testHandoffUpdateMovesStatus},
		{"HandoffErrors", testHandoffErrors},
		{"TranscriptTrims", testTranscriptTrims},
		{"FollowUpsDue", testFollowUpsDue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, open) })
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := refundbot.ErrorCode(err); got != code {
		t.Fatalf("error %v has code %q, want %q", err, got, code)
	}
}

func testGetUnknownIsIdle(t *testing.T, open opener) {
	s := open(t, storeConfig{}).sessions
	got, err := s.Get(ctxT(t), "buyer-1")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	want := refundbot.Session{Buyer: "buyer-1", State: refundbot.StateIdle}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Get unknown = %+v, want %+v", got, want)
	}
}

func testPutGetRoundTrip(t *testing.T, open opener) {
	ctx := ctxT(t)
	s := open(t, storeConfig{}).sessions
	in, err := s.Get(ctx, "buyer-1")
	if err != nil {
		t.Fatal(err)
	}
	in.State = refundbot.StateCollecting
	in.Asking = refundbot.SlotEvidence
	in.Draft = refundbot.RefundDraft{OrderID: "o1", Amount: 1299, AmountSet: true, EvidenceIDs: []string{"e1", "e2"}}
	in.LastInboundAt = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

	before := time.Now().Add(-time.Second)
	put, err := s.Put(ctx, in)
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	if put.Version != 1 {
		t.Errorf("Put returned version %d, want 1", put.Version)
	}
	if put.UpdatedAt.Before(before) {
		t.Errorf("Put returned UpdatedAt %v, want now", put.UpdatedAt)
	}
	got, err := s.Get(ctx, "buyer-1")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if !sameSession(got, put) {
		t.Errorf("Get after Put = %+v, want %+v", got, put)
	}

	// The caller's slice must not alias the stored one.
	in.Draft.EvidenceIDs[0] = "changed"
	if got, _ := s.Get(ctx, "buyer-1"); got.Draft.EvidenceIDs[0] != "e1" {
		t.Errorf("stored evidence changed through the caller's slice: %v", got.Draft.EvidenceIDs)
	}

	put.State = refundbot.StateConfirming
	put2, err := s.Put(ctx, put)
	if err != nil {
		t.Fatalf("second Put: %v", err)
	}
	if put2.Version != 2 || put2.State != refundbot.StateConfirming {
		t.Errorf("second Put = version %d state %s, want 2 confirming", put2.Version, put2.State)
	}
}

func sameSession(a, b refundbot.Session) bool {
	return a.Buyer == b.Buyer && a.State == b.State && a.Asking == b.Asking &&
		a.Version == b.Version && a.UpdatedAt.Equal(b.UpdatedAt) &&
		a.LastInboundAt.Equal(b.LastInboundAt) && a.Draft.OrderID == b.Draft.OrderID &&
		a.Draft.Amount == b.Draft.Amount && slices.Equal(a.Draft.EvidenceIDs, b.Draft.EvidenceIDs)
}

func testPutStaleVersionConflicts(t *testing.T, open opener) {
	ctx := ctxT(t)
	s := open(t, storeConfig{}).sessions
	fresh, _ := s.Get(ctx, "buyer-1")
	stored, err := s.Put(ctx, fresh)
	if err != nil {
		t.Fatalf("first Put: %v", err)
	}
	tests := []struct {
		name    string
		version int64
	}{
		{"read before the write", 0},
		{"from the future", 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stale := stored
			stale.Version = tt.version
			stale.State = refundbot.StateHandoff
			_, err := s.Put(ctx, stale)
			wantCode(t, err, refundbot.ECONFLICT)
			got, _ := s.Get(ctx, "buyer-1")
			if got.Version != 1 || got.State != refundbot.StateIdle {
				t.Errorf("after rejected Put: version %d state %s, want 1 idle", got.Version, got.State)
			}
		})
	}
}

func testPutInvalid(t *testing.T, open opener) {
	s := open(t, storeConfig{}).sessions
	tests := []struct {
		name string
		in   refundbot.Session
	}{
		{"no buyer", refundbot.Session{State: refundbot.StateIdle}},
		{"negative version", refundbot.Session{Buyer: "b", Version: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Put(ctxT(t), tt.in)
			wantCode(t, err, refundbot.EINVALID)
		})
	}
}

func testDelete(t *testing.T, open opener) {
	ctx := ctxT(t)
	s := open(t, storeConfig{}).sessions
	if err := s.Delete(ctx, "nobody"); err != nil {
		t.Errorf("Delete unknown: %v", err)
	}
	fresh, _ := s.Get(ctx, "buyer-1")
	fresh.State = refundbot.StateFiled
	if _, err := s.Put(ctx, fresh); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "buyer-1"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	got, err := s.Get(ctx, "buyer-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 0 || got.State != refundbot.StateIdle {
		t.Errorf("Get after Delete: version %d state %s, want 0 idle", got.Version, got.State)
	}
	// A deleted session starts over at version 0.
	if _, err := s.Put(ctx, got); err != nil {
		t.Errorf("Put version 0 after Delete: %v", err)
	}
}

// testConcurrentUpdatesNotLost runs the read-modify-write loop the bot runs,
// without the lock, from several goroutines: version checks alone must keep
// every increment.
func testConcurrentUpdatesNotLost(t *testing.T, open opener) {
	ctx := ctxT(t)
	s := open(t, storeConfig{}).sessions
	const workers, each = 4, 25
	var conflicts atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Go(func() {
			for range each {
				for {
					cur, err := s.Get(ctx, "buyer-1")
					if err != nil {
						errs <- err
						return
					}
					cur.Misunderstood++
					_, err = s.Put(ctx, cur)
					if err == nil {
						break
					}
					if refundbot.ErrorCode(err) != refundbot.ECONFLICT {
						errs <- err
						return
					}
					conflicts.Add(1)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got, _ := s.Get(ctx, "buyer-1")
	if got.Misunderstood != workers*each || got.Version != workers*each {
		t.Errorf("after %d updates: counter %d version %d", workers*each, got.Misunderstood, got.Version)
	}
	t.Logf("%d conflicts retried", conflicts.Load())
}

func testIdleTTL(t *testing.T, open opener) {
	ctx := ctxT(t)
	const ttl = 300 * time.Millisecond
	s := open(t, storeConfig{idleTTL: ttl}).sessions
	cur, _ := s.Get(ctx, "buyer-1")
	cur, err := s.Put(ctx, cur)
	if err != nil {
		t.Fatal(err)
	}
	// Each Put restarts the TTL: two Puts 200 ms apart keep it alive past
	// the first one's expiry.
	time.Sleep(ttl * 2 / 3)
	if _, err := s.Put(ctx, cur); err != nil {
		t.Fatal(err)
	}
	time.Sleep(ttl * 2 / 3)
	if got, _ := s.Get(ctx, "buyer-1"); got.Version != 2 {
		t.Fatalf("session refreshed %v ago has version %d, want 2", ttl*2/3, got.Version)
	}
	time.Sleep(ttl)
	got, err := s.Get(ctx, "buyer-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 0 {
		t.Errorf("session idle past its TTL has version %d, want a new one", got.Version)
	}
	if _, err := s.Put(ctx, got); err != nil {
		t.Errorf("Put version 0 after expiry: %v", err)
	}
}

func testLockExcludes(t *testing.T, open opener) {
	ctx := ctxT(t)
	s := open(t, storeConfig{}).sessions
	const workers, each = 4, 20
	var inside atomic.Int32
	var overlaps atomic.Int32
	count := 0 // guarded by the buyer lock only; -race reports a breach
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				unlock, err := s.Lock(ctx, "buyer-1")
				if err != nil {
					t.Error(err)
					return
				}
				if inside.Add(1) != 1 {
					overlaps.Add(1)
				}
				count++
				time.Sleep(100 * time.Microsecond)
				inside.Add(-1)
				unlock()
			}
		})
	}
	wg.Wait()
	if overlaps.Load() != 0 {
		t.Errorf("%d times two holders were inside the lock", overlaps.Load())
	}
	if count != workers*each {
		t.Errorf("count = %d, want %d", count, workers*each)
	}
}

func testLockTimeout(t *testing.T, open opener) {
	ctx := ctxT(t)
	s := open(t, storeConfig{}).sessions
	unlock, err := s.Lock(ctx, "buyer-1")
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := s.Lock(short, "buyer-1"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Lock while held = %v, want deadline exceeded", err)
	} else {
		wantCode(t, err, refundbot.EUNAVAILABLE)
	}
	unlock()
	unlock() // a second call must not release someone else's lock

	unlock2, err := s.Lock(ctx, "buyer-1")
	if err != nil {
		t.Fatalf("Lock after unlock: %v", err)
	}
	short2, cancel2 := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel2()
	if _, err := s.Lock(short2, "buyer-1"); err == nil {
		t.Error("double unlock of the first holder released the second holder's lock")
	}
	unlock2()
}

func testLockPerBuyer(t *testing.T, open opener) {
	ctx := ctxT(t)
	s := open(t, storeConfig{}).sessions
	unlockA, err := s.Lock(ctx, "buyer-a")
	if err != nil {
		t.Fatal(err)
	}
	defer unlockA()
	short, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	unlockB, err := s.Lock(short, "buyer-b")
	if err != nil {
		t.Fatalf("buyer-b blocked by buyer-a's lock: %v", err)
	}
	unlockB()
}

func testDedupe(t *testing.T, open opener) {
	ctx := ctxT(t)
	d := open(t, storeConfig{}).dedupe
	steps := []struct {
		key  string
		want bool
	}{
		{"msg:1", true},
		{"msg:1", false},
		{"msg:2", true},
		{"msg:1", false},
	}
	for i, st := range steps {
		got, err := d.Claim(ctx, st.key, time.Hour)
		if err != nil {
			t.Fatalf("step %d Claim(%q): %v", i, st.key, err)
		}
		if got != st.want {
			t.Errorf("step %d Claim(%q) = %v, want %v", i, st.key, got, st.want)
		}
	}
	f, ok := d.(interface {
		Forget(ctx context.Context, key string) error
	})
	if !ok {
		t.Fatalf("%T has no Forget", d)
	}
	if err := f.Forget(ctx, "msg:1"); err != nil {
		t.Fatal(err)
	}
	if got, err := d.Claim(ctx, "msg:1", time.Hour); err != nil || !got {
		t.Errorf("Claim after Forget = %v, %v; want true", got, err)
	}
}

func testDedupeExpires(t *testing.T, open opener) {
	ctx := ctxT(t)
	d := open(t, storeConfig{}).dedupe
	if first, err := d.Claim(ctx, "evt:1", 100*time.Millisecond); err != nil || !first {
		t.Fatalf("Claim = %v, %v; want true", first, err)
	}
	time.Sleep(250 * time.Millisecond)
	if first, err := d.Claim(ctx, "evt:1", time.Hour); err != nil || !first {
		t.Errorf("Claim after expiry = %v, %v; want true", first, err)
	}
}

func testDedupeInvalid(t *testing.T, open opener) {
	d := open(t, storeConfig{}).dedupe
	tests := []struct {
		name string
		key  string
		ttl  time.Duration
	}{
		{"empty key", "", time.Hour},
		{"zero ttl", "k", 0},
		{"negative ttl", "k", -time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := d.Claim(ctxT(t), tt.key, tt.ttl)
			wantCode(t, err, refundbot.EINVALID)
		})
	}
}

func testHandoffCreateGet(t *testing.T, open opener) {
	ctx := ctxT(t)
	h := open(t, storeConfig{}).handoffs
	before := time.Now().Add(-time.Second)
	created, err := h.Create(ctx, refundbot.Handoff{
		Buyer:     "buyer-1",
		Reason:    "asked for a person",
		Collected: refundbot.RefundDraft{OrderID: "o1", EvidenceIDs: []string{"e1"}},
	})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if !strings.HasPrefix(created.ID, "h_") || len(created.ID) < 10 {
		t.Errorf("ID = %q, want h_ and random characters", created.ID)
	}
	if created.Status != refundbot.HandoffWaiting {
		t.Errorf("Status = %q, want waiting", created.Status)
	}
	if created.CreatedAt.Before(before) || created.UpdatedAt.Before(before) {
		t.Errorf("times not set: created %v updated %v", created.CreatedAt, created.UpdatedAt)
	}
	got, err := h.Get(ctx, created.ID)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if got.ID != created.ID || got.Buyer != "buyer-1" || got.Reason != created.Reason ||
		!got.CreatedAt.Equal(created.CreatedAt) || got.Collected.OrderID != "o1" ||
		!slices.Equal(got.Collected.EvidenceIDs, []string{"e1"}) {
		t.Errorf("Get = %+v, want %+v", got, created)
	}
	other, err := h.Create(ctx, refundbot.Handoff{Buyer: "buyer-2"})
	if err != nil {
		t.Fatal(err)
	}
	if other.ID == created.ID {
		t.Errorf("two handoffs share id %q", other.ID)
	}
}

func testHandoffUpdateMovesStatus(t *testing.T, open opener) {
	ctx := ctxT(t)
	h := open(t, storeConfig{}).handoffs
	base := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	var ids []string
	for i := range 3 {
		c, err := h.Create(ctx, refundbot.Handoff{Buyer: refundbot.BuyerID(fmt.Sprint("buyer-", i)), CreatedAt: base.Add(time.Duration(i) * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	// ids[1] is claimed by an agent and gets a note.
	claimed, err := h.Get(ctx, ids[1])
	if err != nil {
		t.Fatal(err)
	}
	claimed.Status = refundbot.HandoffActive
	claimed.Agent = "li"
	claimed.Notes = append(claimed.Notes, refundbot.Note{By: "li", Text: "called the courier", At: base.Add(time.Hour)})
	if err := h.Update(ctx, claimed); err != nil {
		t.Fatalf("Update: %v", err)
	}

	listIDs := func(status refundbot.HandoffStatus) []string {
		t.Helper()
		list, err := h.List(ctx, status)
		if err != nil {
			t.Fatalf("List(%q): %v", status, err)
		}
		if list == nil {
			t.Errorf("List(%q) returned nil, want an empty slice", status)
		}
		var out []string
		for _, x := range list {
			out = append(out, x.ID)
		}
		return out
	}
	tests := []struct {
		status refundbot.HandoffStatus
		want   []string
	}{
		{"", []string{ids[2], ids[1], ids[0]}},
		{refundbot.HandoffWaiting, []string{ids[2], ids[0]}},
		{refundbot.HandoffActive, []string{ids[1]}},
		{refundbot.HandoffClosed, nil},
	}
	for _, tt := range tests {
		if got := listIDs(tt.status); !slices.Equal(got, tt.want) {
			t.Errorf("List(%q) = %v, want %v", tt.status, got, tt.want)
		}
	}
	got, _ := h.Get(ctx, ids[1])
	if got.Agent != "li" || len(got.Notes) != 1 || got.Notes[0].Text != "called the courier" {
		t.Errorf("updated handoff = %+v", got)
	}

	closedAt := base.Add(2 * time.Hour)
	got.Status, got.ClosedAt = refundbot.HandoffClosed, &closedAt
	if err := h.Update(ctx, got); err != nil {
		t.Fatal(err)
	}
	if ids := listIDs(refundbot.HandoffActive); len(ids) != 0 {
		t.Errorf("closed handoff still listed as active: %v", ids)
	}
	if got := listIDs(refundbot.HandoffClosed); !slices.Equal(got, []string{ids[1]}) {
		t.Errorf("List(closed) = %v, want [%s]", got, ids[1])
	}
}

func testHandoffErrors(t *testing.T, open opener) {
	ctx := ctxT(t)
	h := open(t, storeConfig{}).handoffs
	existing, err := h.Create(ctx, refundbot.Handoff{Buyer: "buyer-1"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"get unknown", func() error { _, err := h.Get(ctx, "h_nope"); return err }, refundbot.ENOTFOUND},
		{"update unknown", func() error {
			return h.Update(ctx, refundbot.Handoff{ID: "h_nope", Buyer: "b", Status: refundbot.HandoffActive})
		}, refundbot.ENOTFOUND},
		{"update without id", func() error {
			return h.Update(ctx, refundbot.Handoff{Buyer: "b", Status: refundbot.HandoffActive})
		}, refundbot.EINVALID},
		{"update unknown status", func() error {
			x := existing
			x.Status = "paused"
			return h.Update(ctx, x)
		}, refundbot.EINVALID},
		{"create without buyer", func() error { _, err := h.Create(ctx, refundbot.Handoff{}); return err }, refundbot.EINVALID},
		{"create unknown status", func() error {
			_, err := h.Create(ctx, refundbot.Handoff{Buyer: "b", Status: "paused"})
			return err
		}, refundbot.EINVALID},
		{"list unknown status", func() error { _, err := h.List(ctx, "paused"); return err }, refundbot.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.call(), tt.code) })
	}
	if got, _ := h.Get(ctx, existing.ID); got.Status != refundbot.HandoffWaiting {
		t.Errorf("rejected update changed the handoff: %+v", got)
	}
}

func testTranscriptTrims(t *testing.T, open opener) {
	ctx := ctxT(t)
	tr := open(t, storeConfig{transcriptMax: 3}).transcripts
	base := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	for i := range 5 {
		line := refundbot.TranscriptLine{From: refundbot.FromBuyer, Text: fmt.Sprint("m", i), At: base.Add(time.Duration(i) * time.Second)}
		if i == 4 {
			line.From, line.Undelivered = refundbot.FromBot, "48-hour window closed"
		}
		if err := tr.Append(ctx, "buyer-1", line); err != nil {
			t.Fatalf("Append %d: %v", i, err)
		}
	}
	if err := tr.Append(ctx, "buyer-2", refundbot.TranscriptLine{From: refundbot.FromBuyer, Text: "other", At: base}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		buyer refundbot.BuyerID
		limit int
		want  []string
	}{
		{"buyer-1", 0, []string{"m2", "m3", "m4"}},
		{"buyer-1", 10, []string{"m2", "m3", "m4"}},
		{"buyer-1", 2, []string{"m3", "m4"}},
		{"buyer-2", 0, []string{"other"}},
		{"nobody", 5, nil},
	}
	for _, tt := range tests {
		lines, err := tr.Lines(ctx, tt.buyer, tt.limit)
		if err != nil {
			t.Fatalf("Lines(%s, %d): %v", tt.buyer, tt.limit, err)
		}
		if lines == nil {
			t.Errorf("Lines(%s, %d) returned nil, want an empty slice", tt.buyer, tt.limit)
		}
		var texts []string
		for _, l := range lines {
			texts = append(texts, l.Text)
		}
		if !slices.Equal(texts, tt.want) {
			t.Errorf("Lines(%s, %d) = %v, want %v", tt.buyer, tt.limit, texts, tt.want)
		}
	}
	lines, _ := tr.Lines(ctx, "buyer-1", 1)
	want := refundbot.TranscriptLine{From: refundbot.FromBot, Text: "m4", At: base.Add(4 * time.Second), Undelivered: "48-hour window closed"}
	if len(lines) != 1 || lines[0].From != want.From || !lines[0].At.Equal(want.At) || lines[0].Undelivered != want.Undelivered {
		t.Errorf("last line = %+v, want %+v", lines, want)
	}
}

func testFollowUpsDue(t *testing.T, open opener) {
	ctx := ctxT(t)
	f := open(t, storeConfig{}).followups
	base := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	for i, id := range []string{"RF1", "RF2", "RF3"} {
		if err := f.Watch(ctx, refundbot.FollowUp{RefundID: id, Buyer: "b", NextAt: base.Add(time.Duration(i) * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	due, err := f.Due(ctx, base.Add(90*time.Minute), 10)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range due {
		ids = append(ids, d.RefundID)
	}
	slices.Sort(ids)
	if got, want := strings.Join(ids, ","), "RF1,RF2"; got != want {
		t.Errorf("due = %s, want %s", got, want)
	}
	// Rescheduling moves it out of the due set; forgetting removes it.
	if err := f.Watch(ctx, refundbot.FollowUp{RefundID: "RF1", Buyer: "b", NextAt: base.Add(5 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := f.Forget(ctx, "RF2"); err != nil {
		t.Fatal(err)
	}
	due, err = f.Due(ctx, base.Add(90*time.Minute), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 0 {
		t.Errorf("after reschedule and forget, due = %+v", due)
	}
	if err := f.Watch(ctx, refundbot.FollowUp{}); refundbot.ErrorCode(err) != refundbot.EINVALID {
		t.Errorf("Watch without id: %v, want EINVALID", err)
	}
}
