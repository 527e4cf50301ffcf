package knowledge_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"testing"
)

func TestZZDebug(t *testing.T) {
	kb, qf := os.Getenv("KB"), os.Getenv("QF")
	if kb == "" {
		t.Skip()
	}
	b := openBase(t, nil)
	if _, err := b.ReplaceAll(context.Background(), readEntries(t, kb), "t", "t"); err != nil {
		t.Fatal(err)
	}
	qs := readQueries(t, qf)
	type row struct {
		s   float64
		ok  bool
		ans bool
	}
	var rows []row
	for _, q := range qs {
		res, _ := b.Search(context.Background(), q.Text, 3)
		top, s1, s2 := "-", 0.0, 0.0
		if len(res.Results) > 0 {
			top, s1 = res.Results[0].Entry.ID, res.Results[0].Score
		}
		if len(res.Results) > 1 {
			s2 = res.Results[1].Score
		}
		want := "<nil>"
		if q.FaqID != nil {
			want = *q.FaqID
		}
		mark := "  "
		if (q.FaqID == nil) != (res.Best == nil) || (q.FaqID != nil && top != want) {
			mark = "XX"
		}
		if os.Getenv("ALL") != "" || mark == "XX" {
			fmt.Printf("%s %.3f %.3f %-22s want %-22s %s\n", mark, s1, s2, top, want, q.Text)
		}
		rows = append(rows, row{s1, q.FaqID != nil && top == want, q.FaqID != nil})
	}
	_ = sort.Float64s
}
