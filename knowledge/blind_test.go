package knowledge_test

import (
	"context"
	"testing"
)

// Blind sets: knowledge bases and buyer questions written apart from the
// development set, so they measure how the search does on a base it was
// not written for. Shopping, after-sales and (from round 3) service were
// tuned on; store was held out until round 5, whose adaptive cut
// (calibrate.go) had its three numbers chosen on all six labelled bases,
// store included, and refitted in round 6 with the classifier's concepts
// (buyerconcepts.go). So the figures here are in-sample; the honest ones, each
// base scored by a rule chosen on the other five, are in
// testdata/blind/README.md (rounds 5-7) and TestAdaptiveLeaveOneOut. Each
// asserts a floor just under its measured figures, to catch regressions.
func TestSearchBlindSets(t *testing.T) {
	tests := []struct {
		name, kb, queries    string
		minAnswered, minAbst float64
	}{
		// Round 8 figures (the length-aware cut, calibrate.go).
		// 0.930 answered, 0.839 abstained (cut 0.178).
		{"shopping (tuning)", "testdata/blind/kb-shopping.json", "testdata/blind/queries-shopping.jsonl", 0.91, 0.82},
		// 0.933 / 0.781 (cut 0.220): its hard negatives (same topic,
		// another ask) are what the lexical search tells apart worst.
		{"aftersales (tuning)", "testdata/blind/kb-aftersales.json", "testdata/blind/queries-aftersales.jsonl", 0.91, 0.76},
		// 0.938 / 0.825 (cut 0.199).
		{"service (tuning)", "testdata/blind/kb-service.json", "testdata/blind/queries-service.jsonl", 0.92, 0.80},
		// 0.947 / 0.800 (cut 0.106).
		{"store (in the cut's fit)", "testdata/blind/kb-store.json", "testdata/blind/queries-store.jsonl", 0.93, 0.78},
		// Round 7's apparel and beauty shop: 0.603 / 0.800 before any
		// change, 0.810 / 0.750 after round 8, where it was in the fit.
		{"fresh (in round 8's fit)", "testdata/blind/kb-fresh.json", "testdata/blind/queries-fresh.jsonl", 0.76, 0.70},
		// Round 8: buyers' own questions on the development base, written
		// by two more people who never saw its queries. The first set was
		// in round 8's fit and its misses were read (0.327 / 1.000
		// before, 0.909 / 0.857 after); the second's were not (0.268 /
		// 1.000 before, 0.857 / 0.786 after).
		{"dev base, buyers (in the fit)", "testdata/faq-dev.json", "testdata/blind/queries-dev-buyers.jsonl", 0.82, 0.84},
		{"dev base, buyers 2 (held out)", "testdata/faq-dev.json", "testdata/blind/queries-dev-buyers2.jsonl", 0.78, 0.77},
		// Round 8's held-out bases, written by other people after round 7
		// whose misses were never read: refunds on the four platforms
		// (0.367 / 1.000 before round 8 → 0.833 / 0.733), a snack shop's
		// terse after-sales (0.138 / 0.938 → 0.646 / 0.812), the
		// platforms' intervention rules (0.519 / 1.000 → 0.926 / 0.786).
		{"refund2 (held out)", "testdata/blind/kb-refund2.json", "testdata/blind/queries-refund2.jsonl", 0.81, 0.72},
		{"snackshop (held out)", "testdata/blind/kb-snackshop.json", "testdata/blind/queries-snackshop.jsonl", 0.62, 0.80},
		{"platforms (held out)", "testdata/blind/kb-platforms.json", "testdata/blind/queries-platforms.jsonl", 0.90, 0.77},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := openBase(t, nil)
			if _, err := b.ReplaceAll(context.Background(), readEntries(t, tt.kb), "test", tt.name); err != nil {
				t.Fatal(err)
			}
			answered, abstained := accuracy(t, b, readQueries(t, tt.queries))
			t.Logf("%s: top-1 accuracy %.3f on answerable, abstention accuracy %.3f", tt.name, answered, abstained)
			if answered < tt.minAnswered || abstained < tt.minAbst {
				t.Errorf("%s: answered %.3f (want ≥ %.2f), abstained %.3f (want ≥ %.2f)", tt.name, answered, tt.minAnswered, abstained, tt.minAbst)
			}
		})
	}
}
