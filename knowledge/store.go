package knowledge

import (
	"context"
	"errors"
	"time"

	"github.com/refundbot/refundbot"
)

// Version describes one saved state of the knowledge base. Every change
// (create, update, delete, replace, import, rollback) makes a new version
// holding a full copy of the entries, so any kept version can be restored.
type Version struct {
	Version int       `json:"version"`
	Actor   string    `json:"actor"`
	At      time.Time `json:"at"`
	Action  string    `json:"action"`
	Note    string    `json:"note,omitempty"`
	Count   int       `json:"count"` // entries in this version
}

// Actions recorded in a Version.
const (
	ActionSeed     = "seed"
	ActionCreate   = "create"
	ActionUpdate   = "update"
	ActionDelete   = "delete"
	ActionReplace  = "replace"
	ActionImport   = "import"
	ActionRollback = "rollback"
)

// HistoryLimit is how many versions a store keeps, with their entries, for
// History and Rollback; older ones are dropped.
const HistoryLimit = 50

// Snapshot is the current state of a store.
type Snapshot struct {
	Version int // 0 for a store that was never written
	Entries []refundbot.Entry
}

// Unanswered is a question the bot could not answer and how often buyers
// asked it, so operators know which entries to write next.
type Unanswered struct {
	Question string `json:"question"`
	Count    int64  `json:"count"`
}

// maxUnansweredRunes bounds what is kept of one unanswered question.
const maxUnansweredRunes = 100

// ErrStale reports that the store moved past the version a change was
// based on; the Base retries the change on the new state.
var ErrStale = errors.New("knowledge: store changed since it was read")

// Store keeps the versions of a knowledge base. The Base holds the entries
// in memory for searching; a Store is where they are kept and how other
// instances learn of a change.
type Store interface {
	// Current returns the newest version and its entries.
	Current(ctx context.Context) (Snapshot, error)
	// Commit saves entries as version v.Version, which must be base+1. It
	// returns an error wrapping ErrStale when the current version is not
	// base, and saves nothing then.
	Commit(ctx context.Context, base int, entries []refundbot.Entry, v Version) error
	// History lists the kept versions, newest first.
	History(ctx context.Context) ([]Version, error)
	// Snapshot returns the entries of a kept version, or ENOTFOUND.
	Snapshot(ctx context.Context, version int) ([]refundbot.Entry, error)
	// RecordUnanswered counts one more ask of a normalised question.
	RecordUnanswered(ctx context.Context, question string) error
	// Unanswered lists the most asked unanswered questions, most first.
	Unanswered(ctx context.Context, limit int) ([]Unanswered, error)
	// Watch calls changed whenever another instance may have committed,
	// until ctx is done. Stores that nobody else writes just wait.
	Watch(ctx context.Context, changed func()) error
}
