package knowledge

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/refundbot/refundbot"
)

// DefaultThreshold is the score below which Search abstains (Best is nil)
// when the cut cannot be fitted to the base itself: with an Embedder, or a
// base with too few entries that have more than one phrasing. Otherwise
// each version's cut is computed from its own phrasings (calibrate.go).
// Scores are the share of the question's weight an entry covers, tempered
// by how much of the entry the question covers. Between the threshold and
// the threshold times confidentFactor, the best entry must also stand out
// from the second by marginShare of its score: a question that two
// entries match about equally well usually shares their words without
// asking what either answers (直播间的主播叫什么 against 直播几点开播 and
// 直播价格). Scores are also lowered for entries that ask something else
// or leave out what the question is about (ask.go), so the threshold is
// lower than a plain coverage score would need. Tuned on the development,
// blind shopping, after-sales and service sets (0.155 keeps the
// development set's answers, which fall off from 0.165), checked once on
// the held-out store set (testdata/blind/README.md).
const DefaultThreshold = 0.155

const (
	// confidentFactor times the cut, an entry answers whatever the
	// runner-up scores.
	confidentFactor = 1.32
	// marginShare is how far, as a share of its score, the best entry must
	// lead the second when its score is below the cut times
	// confidentFactor.
	marginShare = 0.2
)

// Search limits.
const (
	DefaultK = 5
	MaxK     = 50
)

// Config configures Open. The zero value is usable: memory store seeded
// from the embedded default knowledge base, lexical search only.
type Config struct {
	// Store keeps the entries; nil means an unsaved memory store.
	Store Store
	// Defaults seed a store that was never written; nil means the embedded
	// default knowledge base (DefaultEntries).
	Defaults []refundbot.Entry
	// Threshold, when > 0, is a fixed cut instead of the one fitted to
	// each version of the base.
	Threshold float64
	// Embedder, when set, adds semantic similarity to the lexical score.
	Embedder Embedder
	// EmbeddingWeight is the share of the embedding similarity in the score
	// when an Embedder is set; 0 means 0.5.
	EmbeddingWeight float64
	// EmbeddingFloor is the cosine similarity that counts as unrelated
	// (mapped to 0); 0 means 0.3, typical of general embedding models.
	EmbeddingFloor float64
	Logger         *slog.Logger
	// Now is the clock for version times; nil means time.Now.
	Now func() time.Time
}

// Base is the knowledge base: the entries of the current version held in
// memory with their search index, kept in step with the Store. It
// implements refundbot.KnowledgeBase. Safe for concurrent use.
type Base struct {
	store     Store
	log       *slog.Logger
	now       func() time.Time
	threshold float64       // fixed cut; 0 fits one to each version
	cut       atomic.Uint64 // math.Float64bits of the cut Search uses
	ix        *index
	emb       *embeddings // nil without an Embedder

	applyMu sync.Mutex // serialises apply
	mu      sync.RWMutex
	version int
	entries []refundbot.Entry
	byID    map[string]int

	stop context.CancelFunc
	done chan struct{}
}

var _ refundbot.KnowledgeBase = (*Base)(nil)

// Open loads the current version from the store, seeding it with the
// defaults when the store was never written, and starts watching the store
// for changes made by other instances. Close stops the watch.
func Open(ctx context.Context, cfg Config) (*Base, error) {
	b := &Base{
		store:     cfg.Store,
		log:       cfg.Logger,
		now:       cfg.Now,
		threshold: cfg.Threshold,
		ix:        newIndex(),
		byID:      map[string]int{},
		done:      make(chan struct{}),
	}
	if b.store == nil {
		b.store, _ = NewMemoryStore("")
	}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	if b.now == nil {
		b.now = time.Now
	}
	b.cut.Store(math.Float64bits(DefaultThreshold))
	if b.threshold > 0 {
		b.cut.Store(math.Float64bits(b.threshold))
	}
	if cfg.Embedder != nil {
		b.emb = newEmbeddings(cfg.Embedder, cfg.EmbeddingWeight, cfg.EmbeddingFloor, b.log)
	}

	snap, err := b.store.Current(ctx)
	if err != nil {
		return nil, fmt.Errorf("knowledge: open: %w", err)
	}
	if snap.Version == 0 {
		if err := b.seed(ctx, cfg.Defaults); err != nil {
			return nil, err
		}
	} else {
		b.apply(ctx, snap.Version, snap.Entries)
	}

	wctx, stop := context.WithCancel(context.Background())
	b.stop = stop
	go func() {
		defer close(b.done)
		if err := b.store.Watch(wctx, func() { b.reload(wctx) }); err != nil {
			b.log.Error("knowledge: watch stopped", "err", err)
		}
	}()
	return b, nil
}

// seed writes the first version of a store that was never written. When
// another instance seeds first, its version is served instead.
func (b *Base) seed(ctx context.Context, defaults []refundbot.Entry) error {
	if defaults == nil {
		var err error
		if defaults, err = DefaultEntries(); err != nil {
			return err
		}
	}
	defaults, err := ValidateEntries(defaults)
	if err != nil {
		return fmt.Errorf("knowledge: seed: %w", err)
	}
	v := Version{Version: 1, Actor: "system", At: b.now().UTC(), Action: ActionSeed, Note: "initial knowledge base", Count: len(defaults)}
	err = b.store.Commit(ctx, 0, defaults, v)
	if errors.Is(err, ErrStale) {
		snap, err := b.store.Current(ctx)
		if err != nil {
			return fmt.Errorf("knowledge: open: %w", err)
		}
		b.apply(ctx, snap.Version, snap.Entries)
		return nil
	}
	if err != nil {
		return fmt.Errorf("knowledge: seed: %w", err)
	}
	b.apply(ctx, v.Version, defaults)
	return nil
}

// Close stops watching the store. It does not close the store's client.
func (b *Base) Close() error {
	b.stop()
	<-b.done
	return nil
}

// reload brings the in-memory entries up to the store's current version.
func (b *Base) reload(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	snap, err := b.store.Current(ctx)
	if err != nil {
		if ctx.Err() == nil {
			b.log.Warn("knowledge: reload", "err", err)
		}
		return
	}
	b.apply(ctx, snap.Version, snap.Entries)
}

// apply makes version the one served, touching in the index only the
// entries that changed.
func (b *Base) apply(ctx context.Context, version int, entries []refundbot.Entry) {
	b.applyMu.Lock()
	defer b.applyMu.Unlock()
	b.mu.RLock()
	if version <= b.version {
		b.mu.RUnlock()
		return
	}
	old := make(map[string]refundbot.Entry, len(b.entries))
	for _, e := range b.entries {
		old[e.ID] = e
	}
	b.mu.RUnlock()

	byID := make(map[string]int, len(entries))
	var changed []refundbot.Entry
	for i, e := range entries {
		byID[e.ID] = i
		if prev, ok := old[e.ID]; !ok || !sameEntry(prev, e) {
			changed = append(changed, e)
		}
		delete(old, e.ID)
	}
	for id := range old {
		b.ix.remove(id)
		if b.emb != nil {
			b.emb.remove(id)
		}
	}
	b.ix.putAll(changed)
	if b.emb != nil {
		b.emb.put(ctx, changed)
	}
	// The cut was fitted to lexical scores only; blended with embeddings
	// they spread differently, so an Embedder keeps the fixed one.
	if b.threshold <= 0 && b.emb == nil && (len(changed) > 0 || len(old) > 0) {
		b.cut.Store(math.Float64bits(b.ix.adaptiveThreshold()))
	}

	b.mu.Lock()
	b.version = version
	b.entries = entries
	b.byID = byID
	b.mu.Unlock()
	b.log.Info("knowledge: serving version", "version", version, "entries", len(entries), "changed", len(changed), "threshold", b.currentCut())
}

func sameEntry(a, b refundbot.Entry) bool {
	return a.ID == b.ID && a.Question == b.Question && a.Answer == b.Answer &&
		slices.Equal(a.Similar, b.Similar) && slices.Equal(a.Tags, b.Tags)
}

// mutate applies change to the store's current entries and commits the
// result as a new version, retrying when another writer got there first.
func (b *Base) mutate(ctx context.Context, actor, action, note string, change func([]refundbot.Entry) ([]refundbot.Entry, error)) (Version, error) {
	const attempts = 10
	for range attempts {
		snap, err := b.store.Current(ctx)
		if err != nil {
			return Version{}, err
		}
		next, err := change(cloneEntries(snap.Entries))
		if err != nil {
			return Version{}, err
		}
		if next, err = ValidateEntries(next); err != nil {
			return Version{}, err
		}
		v := Version{Version: snap.Version + 1, Actor: actor, At: b.now().UTC(), Action: action, Note: note, Count: len(next)}
		err = b.store.Commit(ctx, snap.Version, next, v)
		if errors.Is(err, ErrStale) {
			continue
		}
		if err != nil {
			return Version{}, err
		}
		b.apply(ctx, v.Version, next)
		return v, nil
	}
	return Version{}, refundbot.Errorf(refundbot.ECONFLICT, "knowledge base is being changed by someone else; try again")
}

// Search finds the entries that answer question, best first, at most k
// (DefaultK when k <= 0, at most MaxK). Best is nil when no entry answers
// it confidently. Search does not record unanswered questions: the bot
// calls RecordUnanswered, so operators' test searches do not count.
func (b *Base) Search(ctx context.Context, question string, k int) (refundbot.SearchResult, error) {
	if k <= 0 {
		k = DefaultK
	}
	k = min(k, MaxK)
	hits := b.ix.search(question, max(k, candidates))
	if b.emb != nil {
		hits = b.emb.blend(ctx, question, hits, b.entryByID)
	}
	var res refundbot.SearchResult
	if h := thresholdBest(hits, b.currentCut()); h != nil {
		best := h.Match
		res.Best = &best
	}
	res.Results = make([]refundbot.Match, 0, min(k, len(hits)))
	for _, h := range hits[:min(k, len(hits))] {
		res.Results = append(res.Results, h.Match)
	}
	return res, nil
}

// thresholdBest says which of hits answers the question, if any: the
// first, when it answers at the cut for a question of its length and the
// question does not surely ask what no entry asks.
func thresholdBest(hits []hit, threshold float64) *hit {
	if len(hits) == 0 {
		return nil
	}
	second := 0.0
	if len(hits) > 1 {
		second = hits[1].Score
	}
	if p := hits[0].parts; p.unknownAsk >= unknownAskSure && p.sim < unknownAskSim {
		return nil // another ask than the base's (intentread.go)
	}
	if answers(hits[0].content, hits[0].Score, second, questionCut(threshold, hits[0].parts.queryRunes)) {
		return &hits[0]
	}
	return nil
}

// answers is the decision at cut: the best entry, scoring top, answers
// when it matched what the question is about and its score is high, or
// passing and well ahead of the runner-up's (second).
func answers(content bool, top, second, cut float64) bool {
	switch {
	case !content || top < cut:
		return false
	case top >= cut*confidentFactor:
		return true
	}
	return top-second >= marginShare*top
}

// questionCut is the cut for a question of n characters. Scores are the
// share of the question's weight an entry covers, so a buyer who wraps
// the ask in a story (上周买的羽绒服大了 退回去商家也同意了 钱还没见着
// 要等多久) scores lower on the entry that answers it than one who asks
// just that, while the words of a question the base does not answer stay
// as far from every entry however it is put. The base's cut holds up to
// cutRunes characters and falls with the square of the length beyond,
// never under minCut (testdata/blind/README.md, round 8).
func questionCut(cut float64, n int) float64 {
	return lengthCut(cut, n, cutRunes, cutPower)
}

// lengthCut is questionCut with its two numbers free, for their fitting.
func lengthCut(cut float64, n int, runes, power float64) float64 {
	if float64(n) > runes {
		cut *= math.Pow(runes/float64(n), power)
	}
	return max(cut, minCut)
}

// currentCut is the score below which Search abstains for the version
// being served: Config.Threshold when set, else the cut fitted to the
// base's own phrasings.
func (b *Base) currentCut() float64 {
	return math.Float64frombits(b.cut.Load())
}

func (b *Base) entryByID(id string) (refundbot.Entry, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	i, ok := b.byID[id]
	if !ok {
		return refundbot.Entry{}, false
	}
	return b.entries[i], true
}

// Version returns the version being served.
func (b *Base) Version() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.version
}

// List returns the entries of the served version in stored order.
func (b *Base) List() []refundbot.Entry {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return cloneEntries(b.entries)
}

// Get returns one entry, or ENOTFOUND.
func (b *Base) Get(id string) (refundbot.Entry, error) {
	e, ok := b.entryByID(id)
	if !ok {
		return refundbot.Entry{}, refundbot.Errorf(refundbot.ENOTFOUND, "no knowledge entry %q", id)
	}
	return cloneEntry(e), nil
}

// Create adds an entry: EINVALID when it is not valid, ECONFLICT when its
// id is taken.
func (b *Base) Create(ctx context.Context, e refundbot.Entry, actor string) (Version, error) {
	e, err := ValidateEntry(e)
	if err != nil {
		return Version{}, err
	}
	return b.mutate(ctx, actor, ActionCreate, e.ID, func(cur []refundbot.Entry) ([]refundbot.Entry, error) {
		if slices.ContainsFunc(cur, func(x refundbot.Entry) bool { return x.ID == e.ID }) {
			return nil, refundbot.Errorf(refundbot.ECONFLICT, "knowledge entry %q already exists", e.ID)
		}
		return append(cur, e), nil
	})
}

// Update replaces entry id with e (whose ID must be id or empty):
// ENOTFOUND when there is no such entry, EINVALID when e is not valid.
func (b *Base) Update(ctx context.Context, id string, e refundbot.Entry, actor string) (Version, error) {
	if e.ID == "" {
		e.ID = id
	}
	if e.ID != id {
		return Version{}, refundbot.Errorf(refundbot.EINVALID, "entry id %q does not match %q; create a new entry to rename", e.ID, id)
	}
	e, err := ValidateEntry(e)
	if err != nil {
		return Version{}, err
	}
	return b.mutate(ctx, actor, ActionUpdate, id, func(cur []refundbot.Entry) ([]refundbot.Entry, error) {
		i := slices.IndexFunc(cur, func(x refundbot.Entry) bool { return x.ID == id })
		if i < 0 {
			return nil, refundbot.Errorf(refundbot.ENOTFOUND, "no knowledge entry %q", id)
		}
		cur[i] = e
		return cur, nil
	})
}

// Delete removes entry id, or returns ENOTFOUND.
func (b *Base) Delete(ctx context.Context, id string, actor string) (Version, error) {
	return b.mutate(ctx, actor, ActionDelete, id, func(cur []refundbot.Entry) ([]refundbot.Entry, error) {
		i := slices.IndexFunc(cur, func(x refundbot.Entry) bool { return x.ID == id })
		if i < 0 {
			return nil, refundbot.Errorf(refundbot.ENOTFOUND, "no knowledge entry %q", id)
		}
		return slices.Delete(cur, i, i+1), nil
	})
}

// ReplaceAll replaces every entry at once: all or nothing, EINVALID naming
// the problems when any entry is invalid.
func (b *Base) ReplaceAll(ctx context.Context, entries []refundbot.Entry, actor, note string) (Version, error) {
	return b.replace(ctx, entries, actor, ActionReplace, note)
}

func (b *Base) replace(ctx context.Context, entries []refundbot.Entry, actor, action, note string) (Version, error) {
	clean, err := ValidateEntries(entries)
	if err != nil {
		return Version{}, err
	}
	return b.mutate(ctx, actor, action, note, func([]refundbot.Entry) ([]refundbot.Entry, error) {
		return clean, nil
	})
}

// History lists the kept versions, newest first.
func (b *Base) History(ctx context.Context) ([]Version, error) {
	return b.store.History(ctx)
}

// Rollback makes the entries of a kept version current again, as a new
// version (history only grows). ENOTFOUND when the version is not kept.
func (b *Base) Rollback(ctx context.Context, version int, actor string) (Version, error) {
	entries, err := b.store.Snapshot(ctx, version)
	if err != nil {
		return Version{}, err
	}
	return b.replace(ctx, entries, actor, ActionRollback, fmt.Sprintf("to version %d", version))
}

// longNumber matches phone, order and card numbers, which operators
// reading unanswered questions have no need to see.
var longNumber = regexp.MustCompile(`[0-9]{6,}`)

// RecordUnanswered counts a buyer's question that Search could not answer.
// The bot calls it when Best is nil. The question is normalised, long
// numbers are masked, and it is cut to 100 characters so one buyer's essay
// cannot fill the list.
func (b *Base) RecordUnanswered(ctx context.Context, question string) error {
	q := longNumber.ReplaceAllString(Normalize(question), "***")
	if utf8.RuneCountInString(q) > maxUnansweredRunes {
		q = strings.TrimSpace(string([]rune(q)[:maxUnansweredRunes]))
	}
	if q == "" {
		return nil
	}
	return b.store.RecordUnanswered(ctx, q)
}

// Unanswered lists the most asked questions the bot could not answer.
func (b *Base) Unanswered(ctx context.Context, limit int) ([]Unanswered, error) {
	return b.store.Unanswered(ctx, limit)
}
