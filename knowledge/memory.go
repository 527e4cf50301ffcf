package knowledge

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/refundbot/refundbot"
)

// maxUnansweredKept bounds the memory store's unanswered list; once full,
// new questions are not counted (the ones already there keep counting).
const maxUnansweredKept = 10000

// MemoryStore keeps the knowledge base in this process and, when it has a
// path, in a JSON file rewritten on every change so edits survive a
// restart. Unanswered questions are counted in memory only: they are a
// hint for operators, not worth a disk write per buyer message.
type MemoryStore struct {
	path string

	mu         sync.Mutex
	versions   []storedVersion // oldest first, at most HistoryLimit
	unanswered map[string]int64
}

// storedVersion is a version with its entries, as kept in memory and in
// the file.
type storedVersion struct {
	Version
	Entries []refundbot.Entry `json:"entries"`
}

// memoryFile is the file format: every kept version with its entries.
type memoryFile struct {
	Versions []storedVersion `json:"versions"`
}

// NewMemoryStore returns a store in memory. With a non-empty path it loads
// the file when it exists and rewrites it on every commit.
func NewMemoryStore(path string) (*MemoryStore, error) {
	s := &MemoryStore{path: path, unanswered: map[string]int64{}}
	if path == "" {
		return s, nil
	}
	b, err := os.ReadFile(path)
	switch {
	case os.IsNotExist(err):
		return s, nil
	case err != nil:
		return nil, fmt.Errorf("knowledge: read %s: %w", path, err)
	}
	var f memoryFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("knowledge: parse %s: %w", path, err)
	}
	slices.SortFunc(f.Versions, func(a, b storedVersion) int { return cmp.Compare(a.Version.Version, b.Version.Version) })
	s.versions = f.Versions
	return s, nil
}

// Current implements Store.
func (s *MemoryStore) Current(ctx context.Context) (Snapshot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.versions) == 0 {
		return Snapshot{}, nil
	}
	last := s.versions[len(s.versions)-1]
	return Snapshot{Version: last.Version.Version, Entries: cloneEntries(last.Entries)}, nil
}

func (s *MemoryStore) currentLocked() int {
	if len(s.versions) == 0 {
		return 0
	}
	return s.versions[len(s.versions)-1].Version.Version
}

// Commit implements Store.
func (s *MemoryStore) Commit(ctx context.Context, base int, entries []refundbot.Entry, v Version) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur := s.currentLocked(); cur != base {
		return fmt.Errorf("commit on version %d, store at %d: %w", base, cur, ErrStale)
	}
	next := append(slices.Clone(s.versions), storedVersion{Version: v, Entries: cloneEntries(entries)})
	if len(next) > HistoryLimit {
		next = next[len(next)-HistoryLimit:]
	}
	if s.path != "" {
		if err := writeFileAtomic(s.path, memoryFile{Versions: next}); err != nil {
			return err
		}
	}
	s.versions = next
	return nil
}

// writeFileAtomic writes through a temporary file and a rename, so a crash
// leaves either the old file or the new one, never half of one.
func writeFileAtomic(path string, f memoryFile) error {
	b, err := json.MarshalIndent(f, "", " ")
	if err != nil {
		return fmt.Errorf("knowledge: encode %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("knowledge: write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("knowledge: write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("knowledge: sync %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("knowledge: write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("knowledge: replace %s: %w", path, err)
	}
	return nil
}

// History implements Store.
func (s *MemoryStore) History(ctx context.Context) ([]Version, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Version, 0, len(s.versions))
	for i := len(s.versions) - 1; i >= 0; i-- {
		out = append(out, s.versions[i].Version)
	}
	return out, nil
}

// Snapshot implements Store.
func (s *MemoryStore) Snapshot(ctx context.Context, version int) ([]refundbot.Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range s.versions {
		if v.Version.Version == version {
			return cloneEntries(v.Entries), nil
		}
	}
	return nil, refundbot.Errorf(refundbot.ENOTFOUND, "knowledge base version %d is not kept", version)
}

// RecordUnanswered implements Store.
func (s *MemoryStore) RecordUnanswered(ctx context.Context, question string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.unanswered[question]; ok || len(s.unanswered) < maxUnansweredKept {
		s.unanswered[question]++
	}
	return nil
}

// Unanswered implements Store.
func (s *MemoryStore) Unanswered(ctx context.Context, limit int) ([]Unanswered, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Unanswered, 0, len(s.unanswered))
	for q, n := range s.unanswered {
		out = append(out, Unanswered{Question: q, Count: n})
	}
	slices.SortFunc(out, func(a, b Unanswered) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Question, b.Question)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Watch implements Store: nobody else writes this store, so it only waits.
func (s *MemoryStore) Watch(ctx context.Context, changed func()) error {
	<-ctx.Done()
	return nil
}
