package knowledge_test

import (
	"context"
	"testing"
)

// Blind sets: knowledge bases and buyer questions written apart from the
// development set, so they measure how the search does on a base it was
// not written for. Shopping and after-sales were tuned on (the second
// round also used after-sales); service is held out, written before the
// second round and measured once before and once after it. None yet
// meets the product's bar (0.85 answered, 0.80 abstained) on both sides,
// so each asserts a floor just under its measured figures, to catch
// regressions, not the bar (testdata/blind/README.md has the figures).
func TestSearchBlindSets(t *testing.T) {
	tests := []struct {
		name, kb, queries    string
		minAnswered, minAbst float64
	}{
		// Abstention meets the bar; answered is 0.843, just under it.
		{"shopping (tuning)", "testdata/blind/kb-shopping.json", "testdata/blind/queries-shopping.jsonl", 0.83, 0.80},
		// 0.832 answered, 0.719 abstained: hard negatives still pass.
		{"aftersales (tuning)", "testdata/blind/kb-aftersales.json", "testdata/blind/queries-aftersales.jsonl", 0.82, 0.70},
		// Held out: 0.760 answered, 0.775 abstained, short of the bar.
		{"service (held out)", "testdata/blind/kb-service.json", "testdata/blind/queries-service.jsonl", 0.74, 0.75},
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
