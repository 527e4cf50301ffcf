package sessions_test

import (
	"context"
	"testing"
	"time"

	"github.com/refundbot/refundbot/sessions"
)

func openMemory(t *testing.T, cfg storeConfig) storeSet {
	m := &sessions.Memory{IdleTTL: cfg.idleTTL}
	return storeSet{
		sessions:    m,
		dedupe:      m,
		handoffs:    &sessions.MemoryHandoffs{},
		transcripts: &sessions.MemoryTranscripts{Max: cfg.transcriptMax},
		followups:   &sessions.MemoryFollowUps{},
	}
}

func TestMemory(t *testing.T) {
	testStores(t, openMemory)
}

// TestMemoryLockFIFO checks the promise Memory makes beyond the interface:
// waiters get a buyer's lock in the order they asked for it.
func TestMemoryLockFIFO(t *testing.T) {
	ctx := ctxT(t)
	m := &sessions.Memory{}
	unlock, err := m.Lock(ctx, "buyer-1")
	if err != nil {
		t.Fatal(err)
	}
	const waiters = 5
	order := make(chan int, waiters)
	for i := range waiters {
		go func() {
			u, err := m.Lock(ctx, "buyer-1")
			if err != nil {
				t.Error(err)
				return
			}
			order <- i
			u()
		}()
		// Let waiter i block before i+1 starts: arrival order is what
		// FIFO is measured against.
		time.Sleep(20 * time.Millisecond)
	}
	unlock()
	for want := range waiters {
		if got := <-order; got != want {
			t.Fatalf("waiter %d got the lock in place %d", got, want)
		}
	}
}

// TestMemoryLockCancelledWaiterDoesNotHold checks that giving up while
// waiting leaves nothing behind that blocks the next caller.
func TestMemoryLockCancelledWaiterDoesNotHold(t *testing.T) {
	ctx := ctxT(t)
	m := &sessions.Memory{}
	unlock, err := m.Lock(ctx, "buyer-1")
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	if _, err := m.Lock(short, "buyer-1"); err == nil {
		t.Fatal("Lock while held succeeded")
	}
	unlock()
	again, cancel2 := context.WithTimeout(ctx, time.Second)
	defer cancel2()
	u, err := m.Lock(again, "buyer-1")
	if err != nil {
		t.Fatalf("Lock after a cancelled waiter: %v", err)
	}
	u()
}
