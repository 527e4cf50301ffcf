package knowledge_test

import (
	"context"
	"testing"
)

// Blind sets: two knowledge bases and buyer questions written apart from
// the development set and before the search was retuned, so they measure
// how the search does on a base it was not written for. testdata/blind
// says which set was used for tuning and which was held out.
func TestSearchBlindSets(t *testing.T) {
	tests := []struct {
		name, kb, queries string
	}{
		{"shopping (tuning)", "testdata/blind/kb-shopping.json", "testdata/blind/queries-shopping.jsonl"},
		{"aftersales (held out)", "testdata/blind/kb-aftersales.json", "testdata/blind/queries-aftersales.jsonl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := openBase(t, nil)
			if _, err := b.ReplaceAll(context.Background(), readEntries(t, tt.kb), "test", tt.name); err != nil {
				t.Fatal(err)
			}
			answered, abstained := accuracy(t, b, readQueries(t, tt.queries))
			t.Logf("%s: top-1 accuracy %.3f on answerable, abstention accuracy %.3f", tt.name, answered, abstained)
			if answered < 0.85 || abstained < 0.80 {
				t.Errorf("%s: answered %.3f (want ≥ 0.85), abstained %.3f (want ≥ 0.80)", tt.name, answered, abstained)
			}
		})
	}
}
