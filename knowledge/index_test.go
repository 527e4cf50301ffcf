package knowledge

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/refundbot/refundbot"
)

// Editing the index one entry at a time must score exactly like building
// it afresh from the final entries.
func TestIndexIncrementalMatchesRebuild(t *testing.T) {
	entries, err := DefaultEntries()
	if err != nil {
		t.Fatal(err)
	}
	inc := newIndex()
	for _, e := range entries {
		inc.put(e)
	}
	// Remove a third, change a third, add a few new ones.
	final := map[string]refundbot.Entry{}
	for i, e := range entries {
		switch i % 3 {
		case 0:
			inc.remove(e.ID)
		case 1:
			e.Similar = append(slices.Clone(e.Similar), "改过的说法"+e.ID)
			inc.put(e)
			final[e.ID] = e
		default:
			final[e.ID] = e
		}
	}
	for i := range 3 {
		e := refundbot.Entry{ID: fmt.Sprintf("new-%d", i), Question: fmt.Sprintf("新问题%d怎么处理", i), Answer: "答"}
		inc.put(e)
		final[e.ID] = e
	}
	fresh := newIndex()
	for _, e := range final {
		fresh.put(e)
	}
	if inc.len() != fresh.len() {
		t.Fatalf("incremental index has %d entries, fresh %d", inc.len(), fresh.len())
	}
	for _, q := range []string{"退款多久到账", "抖音商家不退款", "运费谁出", "新问题1怎么处理", "改过的说法", "七天无理由"} {
		a, b := inc.search(q, 10), fresh.search(q, 10)
		if len(a) != len(b) {
			t.Errorf("%q: %d hits incremental, %d fresh", q, len(a), len(b))
			continue
		}
		for i := range a {
			if a[i].Entry.ID != b[i].Entry.ID || math.Abs(a[i].Score-b[i].Score) > 1e-9 {
				t.Errorf("%q hit %d: incremental %s %.6f, fresh %s %.6f", q, i, a[i].Entry.ID, a[i].Score, b[i].Entry.ID, b[i].Score)
			}
		}
	}
}

// generated returns n entries of plausible Chinese built from the default
// base's vocabulary, so postings lists are as long as a real large base's.
func generated(tb testing.TB, n int) ([]refundbot.Entry, []string) {
	tb.Helper()
	base, err := DefaultEntries()
	if err != nil {
		tb.Fatal(err)
	}
	var phrases []string
	for _, e := range base {
		phrases = append(phrases, e.Question)
		phrases = append(phrases, e.Similar...)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("订单 快递 商品 优惠 会员 发票 积分 地址 尺码 颜色 客服 售后 质量 包装 赠品 预售 定金 尾款 直播 店铺 物流 签收 拒收 换货 补发 保修 安装 说明书 充电器 耳机 衣服 鞋子 零食 家电")
	entries := make([]refundbot.Entry, n)
	queries := make([]string, 0, 2000)
	for i := range entries {
		p := phrases[rng.IntN(len(phrases))]
		w1, w2 := words[rng.IntN(len(words))], words[rng.IntN(len(words))]
		entries[i] = refundbot.Entry{
			ID:       fmt.Sprintf("gen-%d", i),
			Question: w1 + p,
			Similar:  []string{w2 + "的" + p, p + w1 + w2},
			Answer:   base[rng.IntN(len(base))].Answer,
		}
		if len(queries) < cap(queries) {
			queries = append(queries, w2+p[:len(p)/2]+w1)
		}
	}
	return entries, queries
}

func largeIndex(tb testing.TB) (*index, []string) {
	entries, queries := generated(tb, 10000)
	ix := newIndex()
	ix.putAll(entries)
	return ix, queries
}

func BenchmarkSearch10k(b *testing.B) {
	ix, queries := largeIndex(b)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		ix.search(queries[i%len(queries)], 5)
		i++
	}
}

// BenchmarkSearchLatency10k reports p50 and p99 over 2000 different
// questions against 10,000 entries (target p99 < 2 ms).
func BenchmarkSearchLatency10k(b *testing.B) {
	ix, queries := largeIndex(b)
	b.ResetTimer()
	var p50, p99 time.Duration
	for b.Loop() {
		p50, p99 = latencies(ix, queries)
	}
	b.ReportMetric(float64(p50.Microseconds()), "p50-µs")
	b.ReportMetric(float64(p99.Microseconds()), "p99-µs")
}

func latencies(ix *index, queries []string) (p50, p99 time.Duration) {
	d := make([]time.Duration, len(queries))
	for i, q := range queries {
		start := time.Now()
		ix.search(q, 5)
		d[i] = time.Since(start)
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[len(d)/2], d[len(d)*99/100]
}

// putAll reads phrasings in parallel but must build the index put builds:
// the same ranking and scores (to rounding: sums over a phrasing's terms
// run in map order), whatever the order the readings finish in.
func TestPutAllMatchesPut(t *testing.T) {
	es := mustEntries(t, "")
	one, all := newIndex(), newIndex()
	for _, e := range es {
		one.put(e)
	}
	all.putAll(es)
	for _, q := range []string{"收到货发现是坏的", "箱子里没有遥控器", "退款多久到账", "我要转人工", "尺码不合适能换吗"} {
		a, b := one.search(q, 5), all.search(q, 5)
		if len(a) != len(b) {
			t.Fatalf("%s: %d hits by put, %d by putAll", q, len(a), len(b))
		}
		for i := range a {
			if a[i].Entry.ID != b[i].Entry.ID || math.Abs(a[i].Score-b[i].Score) > 1e-9 {
				t.Errorf("%s: hit %d is %s %.4f by put, %s %.4f by putAll", q, i, a[i].Entry.ID, a[i].Score, b[i].Entry.ID, b[i].Score)
			}
		}
	}
}

// The classifier's concepts join a buyer's everyday words to an entry's
// wording that shares none of them.
func TestBuyerTerms(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"收到货发现是坏的", "收到的商品有破损怎么处理", true},
		{"箱子里没有遥控器", "包装里少了配件怎么办", true},
		{"我要转人工", "客服电话多少", true},
		{"我要转人工", "降价了能补差价吗", false},
	}
	for _, tt := range tests {
		shared := false
		bs := buyerTerms(tt.b)
		for _, x := range buyerTerms(tt.a) {
			for _, y := range bs {
				shared = shared || x == y
			}
		}
		if shared != tt.same {
			t.Errorf("%s %v / %s %v: shared %v, want %v", tt.a, buyerTerms(tt.a), tt.b, bs, shared, tt.same)
		}
	}
}
