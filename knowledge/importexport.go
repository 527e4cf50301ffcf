package knowledge

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/refundbot/refundbot"
)

// Import formats.
const (
	FormatJSON = "json"
	FormatYAML = "yaml"
	FormatCSV  = "csv"
)

// MaxImportBytes bounds an imported file.
const MaxImportBytes = 8 << 20

// ListSeparator separates the items of the similar and tags columns of a
// CSV file: "退款几天到|钱多久退回来".
const ListSeparator = "|"

// ParseEntries reads entries in one of the import formats:
//
//   - json: {"entries": [Entry...]} (the GET/PUT /api/v1/knowledge body)
//     or a bare list [Entry...].
//   - yaml: the same two shapes, with the same field names.
//   - csv: a header row naming the columns id, question, similar, answer
//     and tags in any order (similar and tags may be left out), then one
//     entry a row; similar and tags hold several items separated by "|".
//     A UTF-8 byte-order mark, as Excel writes, is allowed.
//
// It checks only the shape; ValidateEntries checks the content. Errors are
// EINVALID.
func ParseEntries(format string, data []byte) ([]refundbot.Entry, error) {
	if len(data) > MaxImportBytes {
		return nil, refundbot.Errorf(refundbot.EINVALID, "import is larger than %d bytes", MaxImportBytes)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var (
		entries []refundbot.Entry
		err     error
	)
	switch strings.ToLower(format) {
	case FormatJSON:
		entries, err = parseJSON(data)
	case FormatYAML, "yml":
		entries, err = parseYAML(data)
	case FormatCSV:
		entries, err = parseCSV(data)
	default:
		return nil, refundbot.Errorf(refundbot.EINVALID, "unknown import format %q (json, yaml or csv)", format)
	}
	if err != nil {
		return nil, &refundbot.Error{Code: refundbot.EINVALID, Message: fmt.Sprintf("cannot read %s: %v", format, err), Err: err}
	}
	return entries, nil
}

func parseJSON(data []byte) ([]refundbot.Entry, error) {
	trimmed := bytes.TrimSpace(data)
	if bytes.HasPrefix(trimmed, []byte("[")) {
		var list []refundbot.Entry
		if err := json.Unmarshal(trimmed, &list); err != nil {
			return nil, fmt.Errorf("parse json list: %w", err)
		}
		return list, nil
	}
	var doc struct {
		Entries []refundbot.Entry `json:"entries"`
	}
	if err := json.Unmarshal(trimmed, &doc); err != nil {
		return nil, fmt.Errorf("parse json: %w", err)
	}
	return doc.Entries, nil
}

type yamlEntry struct {
	ID       string   `yaml:"id"`
	Question string   `yaml:"question"`
	Similar  []string `yaml:"similar"`
	Answer   string   `yaml:"answer"`
	Tags     []string `yaml:"tags"`
}

func parseYAML(data []byte) ([]refundbot.Entry, error) {
	var node yaml.Node
	if err := yaml.Unmarshal(data, &node); err != nil {
		return nil, fmt.Errorf("parse yaml: %w", err)
	}
	if node.Kind == 0 { // empty document
		return nil, nil
	}
	var list []yamlEntry
	root := &node
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	switch root.Kind {
	case yaml.SequenceNode:
		if err := root.Decode(&list); err != nil {
			return nil, fmt.Errorf("parse yaml list: %w", err)
		}
	case yaml.MappingNode:
		var doc struct {
			Entries []yamlEntry `yaml:"entries"`
		}
		if err := root.Decode(&doc); err != nil {
			return nil, fmt.Errorf("parse yaml: %w", err)
		}
		list = doc.Entries
	default:
		return nil, errors.New("yaml must be a list of entries or a map with entries")
	}
	out := make([]refundbot.Entry, len(list))
	for i, e := range list {
		out[i] = refundbot.Entry{ID: e.ID, Question: e.Question, Similar: e.Similar, Answer: e.Answer, Tags: e.Tags}
	}
	return out, nil
}

var csvColumns = []string{"id", "question", "similar", "answer", "tags"}

func parseCSV(data []byte) ([]refundbot.Entry, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("csv is empty: a header row id,question,similar,answer,tags is needed")
	}
	if err != nil {
		return nil, fmt.Errorf("parse csv header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("csv header repeats column %q", h)
		}
		col[h] = i
	}
	for _, need := range []string{"id", "question", "answer"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("csv header lacks column %q (columns: %s)", need, strings.Join(csvColumns, ","))
		}
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	var out []refundbot.Entry
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("parse csv: %w", err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		out = append(out, refundbot.Entry{
			ID:       get(rec, "id"),
			Question: get(rec, "question"),
			Similar:  splitList(get(rec, "similar")),
			Answer:   get(rec, "answer"),
			Tags:     splitList(get(rec, "tags")),
		})
	}
}

func splitList(s string) []string {
	if strings.TrimSpace(s) == "" {
		return []string{}
	}
	return cleanList(strings.Split(s, ListSeparator))
}

// Export returns the served entries as JSON in the PUT /api/v1/knowledge
// shape, ready to import again.
func (b *Base) Export() ([]byte, error) {
	out, err := json.MarshalIndent(struct {
		Entries []refundbot.Entry `json:"entries"`
	}{b.List()}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("knowledge: export: %w", err)
	}
	return out, nil
}

// Import replaces the whole base with the entries of data in format (json,
// yaml or csv; see ParseEntries). All or nothing: EINVALID when the file
// cannot be read or any entry is invalid.
func (b *Base) Import(ctx context.Context, format string, data []byte, actor string) (Version, error) {
	entries, err := ParseEntries(format, data)
	if err != nil {
		return Version{}, err
	}
	return b.replace(ctx, entries, actor, ActionImport, "import "+strings.ToLower(format))
}
