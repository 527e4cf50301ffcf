package sessions_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/internal/redistest"
	"github.com/refundbot/refundbot/sessions"
)

// BenchmarkGetPut measures one turn's storage cost: read the session,
// write it back.
func BenchmarkGetPut(b *testing.B) {
	stores := []struct {
		name string
		open func(b *testing.B) refundbot.SessionStore
	}{
		{"memory", func(*testing.B) refundbot.SessionStore { return &sessions.Memory{} }},
		{"redis", func(b *testing.B) refundbot.SessionStore {
			return sessions.NewRedis(newClient(b, redistest.URL(b)), "bench:")
		}},
	}
	for _, st := range stores {
		b.Run(st.name, func(b *testing.B) {
			s := st.open(b)
			ctx := context.Background()
			b.RunParallel(func(pb *testing.PB) {
				// Distinct buyers per goroutine, as real traffic has: the
				// benchmark measures the store, not version conflicts.
				buyer := refundbot.BuyerID(fmt.Sprintf("buyer-%p", pb))
				for pb.Next() {
					cur, err := s.Get(ctx, buyer)
					if err != nil {
						b.Fatal(err)
					}
					cur.Misunderstood++
					cur.Draft.EvidenceIDs = []string{"media-1", "media-2"}
					if _, err := s.Put(ctx, cur); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
