// Package evaldata locates the shared development data (shared/eval beside
// the repository, as on a developer's machine and in CI) for tests, falling
// back to a package's own copy. It is for tests only.
package evaldata

import (
	"os"
	"path/filepath"
	"testing"
)

// Path returns shared/eval/<name> from the nearest directory above the
// working directory that has it, else fallback, which must exist.
func Path(tb testing.TB, name, fallback string) string {
	tb.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		tb.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "shared", "eval", name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	if _, err := os.Stat(fallback); err != nil {
		tb.Fatalf("no shared/eval/%s above this package and no %s", name, fallback)
	}
	return fallback
}
