package knowledge_test

import (
	"bufio"
	"context"
	"encoding/json"
	"github.com/refundbot/refundbot/internal/evaldata"
	"os"
	"path/filepath"
	"testing"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/knowledge"
)

// evalFile finds a file of the shared development data: the shared/eval
// directory beside the repository (walking up from this package, as in a
// CI clone with shared/ beside it), else the copy in testdata.
func evalFile(t testing.TB, name string) string {
	return evaldata.Path(t, name, filepath.Join("testdata", name))
}

type labelledQuery struct {
	Text  string  `json:"text"`
	FaqID *string `json:"faq_id"`
}

func readQueries(t testing.TB, path string) []labelledQuery {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var qs []labelledQuery
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var q labelledQuery
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		qs = append(qs, q)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return qs
}

func readEntries(t testing.TB, path string) []refundbot.Entry {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := knowledge.ParseEntries(knowledge.FormatJSON, b)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// openBase opens a memory-backed base seeded with entries (nil: defaults).
func openBase(t testing.TB, entries []refundbot.Entry) *knowledge.Base {
	t.Helper()
	b, err := knowledge.Open(context.Background(), knowledge.Config{Defaults: entries})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// accuracy searches each query and returns top-1 accuracy on the
// answerable ones (Best is the labelled entry) and abstention accuracy on
// the others (Best is nil), logging every miss.
func accuracy(t testing.TB, kb refundbot.KnowledgeBase, qs []labelledQuery) (answered, abstained float64) {
	t.Helper()
	var nAns, okAns, nAbs, okAbs int
	for _, q := range qs {
		res, err := kb.Search(context.Background(), q.Text, 3)
		if err != nil {
			t.Fatal(err)
		}
		got := "<nil>"
		if res.Best != nil {
			got = res.Best.Entry.ID
		}
		if q.FaqID == nil {
			nAbs++
			if res.Best == nil {
				okAbs++
				continue
			}
			t.Logf("should abstain: %q → %s (%.3f)", q.Text, got, res.Best.Score)
			continue
		}
		nAns++
		if got == *q.FaqID {
			okAns++
			continue
		}
		top := ""
		if len(res.Results) > 0 {
			top = res.Results[0].Entry.ID
		}
		t.Logf("missed: %q want %s got %s (top result %s)", q.Text, *q.FaqID, got, top)
	}
	return float64(okAns) / float64(max(nAns, 1)), float64(okAbs) / float64(max(nAbs, 1))
}

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o600) }
