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
		// 0.887 answered, 0.935 abstained (cut 0.200).
		{"shopping (tuning)", "testdata/blind/kb-shopping.json", "testdata/blind/queries-shopping.jsonl", 0.87, 0.91},
		// 0.866 answered, 0.844 abstained (cut 0.200): its hard negatives
		// (same topic, another ask) raise its cut; 0.866 / 0.844 held out.
		{"aftersales (tuning)", "testdata/blind/kb-aftersales.json", "testdata/blind/queries-aftersales.jsonl", 0.85, 0.82},
		// 0.906 answered, 0.900 abstained (cut 0.200).
		{"service (tuning)", "testdata/blind/kb-service.json", "testdata/blind/queries-service.jsonl", 0.89, 0.88},
		// 0.920 answered, 0.920 abstained (cut 0.116): its buyers' words
		// are missing from its entries, which lowers its cut. Round 7's
		// words were chosen by reading its misses, so even its held-out
		// figure (0.813 / 0.960) flatters it; the fresh set below does not.
		{"store (in the cut's fit)", "testdata/blind/kb-store.json", "testdata/blind/queries-store.jsonl", 0.90, 0.90},
		// Round 7: an apparel and beauty shop's base written after round 6,
		// measured before any change (0.603 answered, 0.800 abstained) and
		// after round 7's words, chosen on store's misses (0.667 / 0.850).
		// Far under the answered bar (0.85): its buyers' everyday
		// words are mostly in neither its entries nor the vocabulary. Its
		// misses have been printed once, so it is less blind than the first
		// figure; keep it out of TestAdaptiveLeaveOneOut's fit and of tuning.
		{"fresh (held out)", "testdata/blind/kb-fresh.json", "testdata/blind/queries-fresh.jsonl", 0.65, 0.82},
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
