package knowledge_test

import (
	"context"
	"testing"
)

// Blind sets: knowledge bases and buyer questions written apart from the
// development set, so they measure how the search does on a base it was
// not written for. Shopping, after-sales and (from round 3) service were
// tuned on; store is held out, written before round 3 and measured once
// before and once after it. Each asserts a floor just under its measured
// figures, to catch regressions, not the product's bar (0.85 answered,
// 0.80 abstained), which after-sales and store do not yet meet
// (testdata/blind/README.md has the figures).
func TestSearchBlindSets(t *testing.T) {
	tests := []struct {
		name, kb, queries    string
		minAnswered, minAbst float64
	}{
		// 0.904 answered, 0.806 abstained: meets the bar.
		{"shopping (tuning)", "testdata/blind/kb-shopping.json", "testdata/blind/queries-shopping.jsonl", 0.89, 0.80},
		// 0.908 answered, 0.719 abstained: hard negatives (same topic,
		// another ask) still pass.
		{"aftersales (tuning)", "testdata/blind/kb-aftersales.json", "testdata/blind/queries-aftersales.jsonl", 0.89, 0.70},
		// 0.927 answered, 0.800 abstained: meets the bar, tuned on in round 3.
		{"service (tuning)", "testdata/blind/kb-service.json", "testdata/blind/queries-service.jsonl", 0.91, 0.78},
		// Held out: 0.707 answered, 0.960 abstained, far short on answers.
		{"store (held out)", "testdata/blind/kb-store.json", "testdata/blind/queries-store.jsonl", 0.69, 0.94},
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
