package evaldata_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/refundbot/refundbot/internal/evaldata"
)

func TestPathPrefersSharedThenFallback(t *testing.T) {
	root := t.TempDir()
	pkg := filepath.Join(root, "repo", "pkg")
	if err := os.MkdirAll(filepath.Join(root, "shared", "eval"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(root, "shared", "eval", "a.jsonl")
	if err := os.WriteFile(shared, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pkg, "b.jsonl"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(pkg)
	if got := evaldata.Path(t, "a.jsonl", "nope"); got != shared {
		t.Errorf("Path(a) = %q, want %q", got, shared)
	}
	if got := evaldata.Path(t, "b.jsonl", "b.jsonl"); got != "b.jsonl" {
		t.Errorf("Path(b) = %q, want the fallback", got)
	}
}
