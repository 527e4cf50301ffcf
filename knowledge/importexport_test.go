package knowledge_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/knowledge"
)

func TestParseEntries(t *testing.T) {
	want := []refundbot.Entry{
		{ID: "refund-time", Question: "退款多久到账？", Similar: []string{"几天到", "钱多久回来"}, Answer: "1-7个工作日。", Tags: []string{"退款", "到账"}},
		{ID: "return-fee", Question: "运费谁出？", Similar: []string{}, Answer: "看责任方，逗号,照样保留。", Tags: []string{}},
	}
	tests := []struct {
		name, format, data string
	}{
		{"json object", "json", `{"entries": [
			{"id": "refund-time", "question": "退款多久到账？", "similar": ["几天到", "钱多久回来"], "answer": "1-7个工作日。", "tags": ["退款", "到账"]},
			{"id": "return-fee", "question": "运费谁出？", "answer": "看责任方，逗号,照样保留。"}]}`},
		{"json list", "JSON", `[
			{"id": "refund-time", "question": "退款多久到账？", "similar": ["几天到", "钱多久回来"], "answer": "1-7个工作日。", "tags": ["退款", "到账"]},
			{"id": "return-fee", "question": "运费谁出？", "answer": "看责任方，逗号,照样保留。"}]`},
		{"yaml list", "yaml", `
- id: refund-time
  question: 退款多久到账？
  similar: [几天到, 钱多久回来]
  answer: 1-7个工作日。
  tags: [退款, 到账]
- id: return-fee
  question: 运费谁出？
  answer: 看责任方，逗号,照样保留。
`},
		{"yaml map", "yml", `entries:
  - id: refund-time
    question: 退款多久到账？
    similar:
      - 几天到
      - 钱多久回来
    answer: 1-7个工作日。
    tags: [退款, 到账]
  - id: return-fee
    question: 运费谁出？
    answer: 看责任方，逗号,照样保留。
`},
		{"csv", "csv", "\xef\xbb\xbfid,question,similar,answer,tags\n" +
			"refund-time,退款多久到账？,几天到|钱多久回来,1-7个工作日。,退款|到账\n" +
			"return-fee,运费谁出？,,\"看责任方，逗号,照样保留。\",\n"},
		{"csv reordered, optional columns left out", "csv", "Answer,ID,Question,Similar,Tags\n" +
			"1-7个工作日。,refund-time,退款多久到账？,几天到 | 钱多久回来 ,退款|到账\n\n" +
			"\"看责任方，逗号,照样保留。\",return-fee,运费谁出？\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := knowledge.ParseEntries(tt.format, []byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			got, err = knowledge.ValidateEntries(got)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.EqualFunc(got, want, entryEqual) {
				t.Errorf("got %+v\nwant %+v", got, want)
			}
		})
	}
}

func entryEqual(a, b refundbot.Entry) bool {
	return a.ID == b.ID && a.Question == b.Question && a.Answer == b.Answer &&
		slices.Equal(a.Similar, b.Similar) && slices.Equal(a.Tags, b.Tags)
}

func TestParseEntriesErrors(t *testing.T) {
	tests := []struct{ name, format, data string }{
		{"unknown format", "xml", "<x/>"},
		{"bad json", "json", `{"entries": [`},
		{"bad yaml", "yaml", "entries: [a: b: c"},
		{"yaml scalar", "yaml", "just text"},
		{"csv without answer column", "csv", "id,question\na,b\n"},
		{"csv repeated column", "csv", "id,question,answer,id\n"},
		{"empty csv", "csv", ""},
		{"csv bad quote", "csv", "id,question,answer\na,\"b,c\n"},
	}
	for _, tt := range tests {
		_, err := knowledge.ParseEntries(tt.format, []byte(tt.data))
		if refundbot.ErrorCode(err) != refundbot.EINVALID {
			t.Errorf("%s: err = %v, want EINVALID", tt.name, err)
		}
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	b := openBase(t, nil)
	data, err := b.Export()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Entries []refundbot.Entry `json:"entries"`
	}
	if err := json.Unmarshal(data, &doc); err != nil || len(doc.Entries) != len(b.List()) {
		t.Fatalf("export is not {entries}: %v", err)
	}

	other := openBase(t, sample)
	v, err := other.Import(ctx, "json", data, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if v.Action != knowledge.ActionImport || v.Count != len(doc.Entries) {
		t.Errorf("import version = %+v", v)
	}
	if !slices.EqualFunc(other.List(), b.List(), entryEqual) {
		t.Error("import of an export does not give the same entries")
	}

	// A file with one bad entry changes nothing.
	before := other.Version()
	_, err = other.Import(ctx, "csv", []byte("id,question,answer\ngood,问,答\nBAD,问,答\n"), "alice")
	if refundbot.ErrorCode(err) != refundbot.EINVALID || other.Version() != before {
		t.Errorf("bad import: err %v, version %d → %d", err, before, other.Version())
	}
}

// The importers read files operators upload: they must never panic, and
// whatever they accept must survive validation or be refused by it.
func FuzzParseCSV(f *testing.F) {
	f.Add([]byte("id,question,similar,answer,tags\na,问,x|y,答,t\n"))
	f.Add([]byte("\xef\xbb\xbfid,question,answer\n\"a\",\"b\"\"c\",d\n"))
	f.Add([]byte("id\n\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzImport(t, "csv", data)
	})
}

func FuzzParseYAML(f *testing.F) {
	f.Add([]byte("- id: a\n  question: 问\n  answer: 答\n"))
	f.Add([]byte("entries:\n  - id: a\n    similar: [x, y]\n"))
	f.Add([]byte("&a [*a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzImport(t, "yaml", data)
	})
}

func FuzzParseJSON(f *testing.F) {
	f.Add([]byte(`{"entries":[{"id":"a","question":"q","answer":"a"}]}`))
	f.Add([]byte(`[{"id":"a"}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzImport(t, "json", data)
	})
}

func fuzzImport(t *testing.T, format string, data []byte) {
	entries, err := knowledge.ParseEntries(format, data)
	if err != nil {
		if refundbot.ErrorCode(err) != refundbot.EINVALID {
			t.Fatalf("parse error is not EINVALID: %v", err)
		}
		return
	}
	clean, err := knowledge.ValidateEntries(entries)
	if err != nil {
		if refundbot.ErrorCode(err) != refundbot.EINVALID {
			t.Fatalf("validation error is not EINVALID: %v", err)
		}
		return
	}
	for _, e := range clean {
		if e.ID == "" || e.Question == "" || e.Answer == "" || e.Similar == nil || e.Tags == nil {
			t.Fatalf("validation let through %+v", e)
		}
	}
}
