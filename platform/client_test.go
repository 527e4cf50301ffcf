package platform_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/platform"
	"github.com/refundbot/refundbot/platform/sandbox"
)

const (
	apiKey  = "test-key"
	sweater = "3712000000000000001"
	mug     = "3712000000000000002"
	jacket  = "3712000000000000006"
)

// setup serves a demo sandbox over real HTTP, optionally behind wrap, and
// returns a client for it.
func setup(t *testing.T, wrap func(http.Handler) http.Handler) (*sandbox.Sandbox, *platform.Client) {
	t.Helper()
	sb := sandbox.New(sandbox.Options{APIKey: apiKey, Demo: true})
	t.Cleanup(func() { sb.Close() })
	var h http.Handler = sb
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := platform.New(srv.URL, apiKey)
	c.Timeout = time.Second
	c.Logger = quiet
	return sb, c
}

var quiet = slog.New(slog.DiscardHandler)

func refundReq(order string, typ refundbot.RefundType, reason refundbot.Reason, amount refundbot.Fen) refundbot.RefundRequest {
	return refundbot.RefundRequest{OrderID: order, BuyerOpenID: sandbox.DemoBuyer, Type: typ, Reason: reason,
		Description: "袖口开线", Amount: amount}
}

// merchant performs a sandbox merchant action over HTTP.
func merchant(t *testing.T, c *platform.Client, refundID, action, body string) {
	t.Helper()
	req, _ := http.NewRequest("POST", c.BaseURL+"/sandbox/refunds/"+refundID+"/"+action, stringsReader(body))
	req.Header.Set("Authorization", "Bearer "+apiKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("%s %s: %d", action, refundID, resp.StatusCode)
	}
}

func stringsReader(s string) io.Reader {
	if s == "" {
		return nil
	}
	return &stringReader{s: s}
}

type stringReader struct{ s string }

func (r *stringReader) Read(p []byte) (int, error) {
	if r.s == "" {
		return 0, io.EOF
	}
	n := copy(p, r.s)
	r.s = r.s[n:]
	return n, nil
}

func TestFindOrder(t *testing.T) {
	_, c := setup(t, nil)
	o, err := c.FindOrder(context.Background(), sweater)
	if err != nil || o.OrderID != sweater || o.PaidAmount != 12900 || o.BuyerOpenID != sandbox.DemoBuyer || o.DeliveredAt == nil {
		t.Fatalf("FindOrder = %+v, %v", o, err)
	}
	_, err = c.FindOrder(context.Background(), "nope/../../x")
	if refundbot.ErrorCode(err) != refundbot.ENOTFOUND {
		t.Fatalf("unknown order: %v", err)
	}
}

// TestErrorCodes reaches every contract error through the sandbox over
// HTTP and checks the client's mapping.
func TestErrorCodes(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		run      func(c *platform.Client) error
		code     string
		refundID string
	}{
		{"order_not_found", func(c *platform.Client) error { _, err := c.FindOrder(ctx, "1"); return err }, refundbot.ENOTFOUND, ""},
		{"refund_not_found", func(c *platform.Client) error { _, err := c.FindRefund(ctx, "RF9"); return err }, refundbot.ENOTFOUND, ""},
		{"refund_exists", func(c *platform.Client) error {
			if _, err := c.FileRefund(ctx, "k1", refundReq(sweater, refundbot.RefundOnly, refundbot.ReasonDamaged, 100)); err != nil {
				return err
			}
			_, err := c.FileRefund(ctx, "k2", refundReq(sweater, refundbot.RefundOnly, refundbot.ReasonDamaged, 200))
			return err
		}, refundbot.ECONFLICT, "RF00000001"},
		{"amount_exceeds_paid", func(c *platform.Client) error {
			_, err := c.FileRefund(ctx, "k", refundReq(sweater, refundbot.ReturnRefund, refundbot.ReasonQuality, 99999))
			return err
		}, refundbot.EAMOUNT, ""},
		{"not_refundable", func(c *platform.Client) error {
			_, err := c.FileRefund(ctx, "k", refundReq(mug, refundbot.ReturnRefund, refundbot.ReasonNoReason, 5900))
			return err
		}, refundbot.ENOTREFUNDABLE, ""},
		{"outside_window", func(c *platform.Client) error {
			_, err := c.FileRefund(ctx, "k", refundReq(jacket, refundbot.ReturnRefund, refundbot.ReasonQuality, 100))
			return err
		}, refundbot.EOUTSIDEWINDOW, ""},
		{"invalid_state", func(c *platform.Client) error {
			rf, err := c.FileRefund(ctx, "k", refundReq(sweater, refundbot.ReturnRefund, refundbot.ReasonQuality, 100))
			if err != nil {
				return err
			}
			_, err = c.SubmitReturnShipment(ctx, rf.RefundID, refundbot.Shipment{Carrier: "顺丰", TrackingNo: "SF1"})
			return err
		}, refundbot.EINVALIDSTATE, ""},
		{"unauthorized", func(c *platform.Client) error {
			c.APIKey = "wrong"
			_, err := c.FindOrder(ctx, sweater)
			return err
		}, refundbot.EUNAUTHORIZED, ""},
		{"unknown 422 code", func(c *platform.Client) error {
			_, err := c.FileRefund(ctx, "k", refundReq(sweater, refundbot.Exchange, refundbot.ReasonWrongItem, 100))
			return err
		}, refundbot.EINVALID, ""},
		{"idempotency key reused", func(c *platform.Client) error {
			if _, err := c.FileRefund(ctx, "k", refundReq(sweater, refundbot.RefundOnly, refundbot.ReasonDamaged, 100)); err != nil {
				return err
			}
			_, err := c.FileRefund(ctx, "k", refundReq(sweater, refundbot.RefundOnly, refundbot.ReasonDamaged, 101))
			return err
		}, refundbot.EINVALID, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c := setup(t, nil)
			err := tt.run(c)
			var e *refundbot.Error
			if !errors.As(err, &e) || e.Code != tt.code || e.RefundID != tt.refundID {
				t.Fatalf("err = %v (%+v), want code %s refund %q", err, e, tt.code, tt.refundID)
			}
		})
	}
}

// failing answers the first n requests matching match with status, then
// passes requests through; it records every Idempotency-Key it saw.
type failing struct {
	mu     sync.Mutex
	n      int
	status int
	header http.Header
	match  func(*http.Request) bool
	keys   []string
	calls  int
}

func (f *failing) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.match != nil && !f.match(r) {
			next.ServeHTTP(w, r)
			return
		}
		f.mu.Lock()
		f.calls++
		f.keys = append(f.keys, r.Header.Get("Idempotency-Key"))
		fail := f.n > 0
		if fail {
			f.n--
		}
		f.mu.Unlock()
		if fail {
			for k, v := range f.header {
				w.Header()[k] = v
			}
			code := "unavailable"
			if f.status == http.StatusTooManyRequests {
				code = "rate_limited"
			}
			w.WriteHeader(f.status)
			io.WriteString(w, `{"error":{"code":"`+code+`","message":"try later"}}`)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func isPost(r *http.Request) bool { return r.Method == http.MethodPost }

func TestFileRefundRetriesWithSameKey(t *testing.T) {
	f := &failing{n: 2, status: 503, match: isPost}
	sb, c := setup(t, f.wrap)
	rf, err := c.FileRefund(context.Background(), "key-1", refundReq(sweater, refundbot.ReturnRefund, refundbot.ReasonQuality, 12900))
	if err != nil {
		t.Fatal(err)
	}
	if rf.Status != refundbot.StatusPendingMerchant || len(sb.Refunds()) != 1 {
		t.Fatalf("refund %+v, %d refunds", rf, len(sb.Refunds()))
	}
	if len(f.keys) != 3 || f.keys[0] != "key-1" || f.keys[1] != "key-1" || f.keys[2] != "key-1" {
		t.Fatalf("keys sent = %q, want key-1 three times", f.keys)
	}
}

func TestRetriesExhausted(t *testing.T) {
	f := &failing{n: 10, status: 502}
	_, c := setup(t, f.wrap)
	_, err := c.FindOrder(context.Background(), sweater)
	if refundbot.ErrorCode(err) != refundbot.EUNAVAILABLE || f.calls != 3 {
		t.Fatalf("err = %v after %d calls, want unavailable after 3", err, f.calls)
	}
	f = &failing{n: 10, status: 502}
	_, c = setup(t, f.wrap)
	c.MaxRetries = -1
	if _, err := c.FindOrder(context.Background(), sweater); err == nil || f.calls != 1 {
		t.Fatalf("MaxRetries -1: err %v after %d calls", err, f.calls)
	}
}

// TestActionsRetryOnlyUnprocessed: a cancel that got a 500 may have gone
// through, so it is not repeated; a 503 or 429 means it did not.
func TestActionsRetryOnlyUnprocessed(t *testing.T) {
	for _, tt := range []struct {
		status    int
		wantCalls int
		wantErr   bool
	}{{500, 1, true}, {502, 1, true}, {503, 2, false}, {429, 2, false}} {
		f := &failing{status: tt.status, match: func(r *http.Request) bool { return r.URL.Path == "/v1/refunds/RF00000001/cancel" }}
		_, c := setup(t, f.wrap)
		rf, err := c.FileRefund(context.Background(), "k", refundReq(sweater, refundbot.RefundOnly, refundbot.ReasonDamaged, 100))
		if err != nil {
			t.Fatal(err)
		}
		f.mu.Lock()
		f.n = 1
		f.mu.Unlock()
		_, err = c.CancelRefund(context.Background(), rf.RefundID)
		if (err != nil) != tt.wantErr || f.calls != tt.wantCalls {
			t.Errorf("%d: err %v after %d calls, want err %v after %d", tt.status, err, f.calls, tt.wantErr, tt.wantCalls)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	f := &failing{n: 1, status: 429, header: http.Header{"Retry-After": {"10"}}}
	_, c := setup(t, f.wrap)
	start := time.Now()
	_, err := c.FindOrder(context.Background(), sweater)
	if refundbot.ErrorCode(err) != refundbot.ERATELIMITED || f.calls != 1 || time.Since(start) > time.Second {
		t.Fatalf("long Retry-After: err %v after %d calls", err, f.calls)
	}
	f = &failing{n: 1, status: 429, header: http.Header{"Retry-After": {"1"}}}
	_, c = setup(t, f.wrap)
	start = time.Now()
	if _, err := c.FindOrder(context.Background(), sweater); err != nil || f.calls != 2 || time.Since(start) < time.Second {
		t.Fatalf("short Retry-After: err %v after %d calls in %s", err, f.calls, time.Since(start))
	}
}

// TestTimeoutThenRetryFilesOnce: the platform files the refund but the
// answer comes too late; the retry with the same key gets the same refund.
func TestTimeoutThenRetryFilesOnce(t *testing.T) {
	var slow atomic.Int32
	slow.Store(1)
	sb, c := setup(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			if r.Method == http.MethodPost && slow.Add(-1) >= 0 {
				select {
				case <-time.After(2 * time.Second):
				case <-r.Context().Done():
				}
			}
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
		})
	})
	c.Timeout = 200 * time.Millisecond
	rf, err := c.FileRefund(context.Background(), "k", refundReq(sweater, refundbot.ReturnRefund, refundbot.ReasonQuality, 12900))
	if err != nil {
		t.Fatal(err)
	}
	if all := sb.Refunds(); len(all) != 1 || all[0].RefundID != rf.RefundID {
		t.Fatalf("refunds = %+v, returned %s", all, rf.RefundID)
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	_, c := setup(t, func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		})
	})
	defer close(release)
	c.Timeout = 100 * time.Millisecond
	c.MaxElapsed = 600 * time.Millisecond
	start := time.Now()
	_, err := c.FindOrder(context.Background(), sweater)
	if refundbot.ErrorCode(err) != refundbot.EUNAVAILABLE || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want unavailable wrapping DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 900*time.Millisecond {
		t.Fatalf("took %s, beyond MaxElapsed", d)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.FindOrder(ctx, sweater); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled ctx: %v", err)
	}
}

func TestConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := platform.New("http://"+addr, apiKey)
	c.Logger = quiet
	_, err = c.FindOrder(context.Background(), sweater)
	if refundbot.ErrorCode(err) != refundbot.EUNAVAILABLE {
		t.Fatalf("err = %v", err)
	}
	if err := c.Ping(context.Background()); err == nil {
		t.Fatal("Ping succeeded against a closed port")
	}
}

// TestConcurrentFilingCreatesOneRefund races identical requests: the
// sandbox must file one refund and answer all with it.
func TestConcurrentFilingCreatesOneRefund(t *testing.T) {
	sb, c := setup(t, nil)
	const n = 20
	ids := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			rf, err := c.FileRefund(context.Background(), "same-key", refundReq(sweater, refundbot.ReturnRefund, refundbot.ReasonQuality, 12900))
			if err == nil {
				ids[i] = rf.RefundID
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || ids[i] != "RF00000001" {
			t.Fatalf("call %d: %s, %v", i, ids[i], errs[i])
		}
	}
	if got := len(sb.Refunds()); got != 1 {
		t.Fatalf("%d refunds, want 1", got)
	}
}

func TestLifecycle(t *testing.T) {
	ctx := context.Background()
	_, c := setup(t, nil)
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 100)...)
	ev, err := c.UploadEvidence(ctx, sweater, "", "image/jpeg", png)
	if err != nil || ev.EvidenceID != "ev_1" || ev.ContentType != "image/png" || ev.Size != int64(len(png)) {
		t.Fatalf("UploadEvidence = %+v, %v", ev, err)
	}
	if _, err := c.UploadEvidence(ctx, sweater, "a.txt", "text/plain", []byte("not a picture")); refundbot.ErrorCode(err) != refundbot.EINVALID {
		t.Fatalf("text evidence: %v", err)
	}
	if _, err := c.UploadEvidence(ctx, sweater, "big.png", "image/png", make([]byte, refundbot.MaxEvidenceBytes+1)); refundbot.ErrorCode(err) != refundbot.EINVALID {
		t.Fatalf("big evidence: %v", err)
	}

	req := refundReq(sweater, refundbot.ReturnRefund, refundbot.ReasonQuality, 12900)
	req.EvidenceIDs = []string{ev.EvidenceID}
	rf, err := c.FileRefund(ctx, "k", req)
	if err != nil || rf.RefundID != "RF00000001" || len(rf.EvidenceIDs) != 1 {
		t.Fatalf("FileRefund = %+v, %v", rf, err)
	}
	merchant(t, c, rf.RefundID, "approve", "")
	rf, err = c.FindRefund(ctx, rf.RefundID)
	if err != nil || rf.Status != refundbot.StatusAwaitingReturn || rf.ReturnAddress == nil || rf.ReturnAddress.Address == "" {
		t.Fatalf("after approve: %+v, %v", rf, err)
	}
	rf, err = c.SubmitReturnShipment(ctx, rf.RefundID, refundbot.Shipment{Carrier: "顺丰", TrackingNo: "SF1234567890123"})
	if err != nil || rf.Status != refundbot.StatusReturnInTransit || rf.ReturnShipment.TrackingNo != "SF1234567890123" {
		t.Fatalf("after shipment: %+v, %v", rf, err)
	}
	merchant(t, c, rf.RefundID, "reject", `{"note": "退回商品有污渍"}`)
	rf, err = c.RequestIntervention(ctx, rf.RefundID, refundbot.Intervention{Description: "发货前就有污渍"})
	if err != nil || rf.Status != refundbot.StatusUnderIntervention {
		t.Fatalf("after intervention: %+v, %v", rf, err)
	}
	merchant(t, c, rf.RefundID, "resolve-intervention", `{"outcome": "refund"}`)
	merchant(t, c, rf.RefundID, "refund", "")
	list, err := c.FindRefunds(ctx, refundbot.RefundFilter{BuyerOpenID: sandbox.DemoBuyer, OrderID: sweater})
	if err != nil || len(list) != 1 || list[0].Status != refundbot.StatusRefunded || list[0].MerchantNote != "退回商品有污渍" {
		t.Fatalf("FindRefunds = %+v, %v", list, err)
	}
	if list, err := c.FindRefunds(ctx, refundbot.RefundFilter{BuyerOpenID: "o_nobody"}); err != nil || len(list) != 0 {
		t.Fatalf("FindRefunds(nobody) = %+v, %v", list, err)
	}
	if _, err := c.CancelRefund(ctx, rf.RefundID); refundbot.ErrorCode(err) != refundbot.EINVALIDSTATE {
		t.Fatalf("cancel refunded: %v", err)
	}
}

func TestPing(t *testing.T) {
	_, c := setup(t, nil)
	if err := c.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	c.APIKey = "wrong"
	if err := c.Ping(context.Background()); refundbot.ErrorCode(err) != refundbot.EUNAUTHORIZED {
		t.Fatalf("Ping with a bad key: %v", err)
	}
	// A server that is not a platform answers a bare 404: not ready.
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	if err := platform.New(srv.URL, apiKey).Ping(context.Background()); err == nil {
		t.Fatal("Ping succeeded against a non-platform")
	}
}

func TestMalformedResponses(t *testing.T) {
	for _, body := range []string{`{"order_id": 12}`, `{}`, `not json`, `{"order_id":"1"} {"x":1}`} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }))
		_, err := platform.New(srv.URL, apiKey).FindOrder(context.Background(), "1")
		srv.Close()
		if refundbot.ErrorCode(err) != refundbot.EUNAVAILABLE {
			t.Errorf("%s: err = %v", body, err)
		}
	}
	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(make([]byte, 2<<20))
	}))
	defer big.Close()
	if _, err := platform.New(big.URL, apiKey).FindOrder(context.Background(), "1"); refundbot.ErrorCode(err) != refundbot.EUNAVAILABLE {
		t.Errorf("2 MiB answer: %v", err)
	}
}

func TestPrefixMount(t *testing.T) {
	sb := sandbox.New(sandbox.Options{Demo: true})
	defer sb.Close()
	mux := http.NewServeMux()
	mux.Handle("/platform/", http.StripPrefix("/platform", sb))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	if _, err := platform.New(srv.URL+"/platform/", "").FindOrder(context.Background(), sweater); err != nil {
		t.Fatalf("FindOrder under a prefix: %v", err)
	}
}
