package knowledge

import "testing"

// The name of what was bought is context: a question that names goods
// the base has never heard of scores on the entry that answers it as the
// same question without them does, near enough, while a question about
// something the base does not cover (发票) still weighs its topic in full.
func TestGoodsAreContext(t *testing.T) {
	ix := newIndex()
	ix.put(testEntry("bulky-freight", "大件商品退货运费谁出", "大件退货的运费由商家承担"))
	ix.put(testEntry("refund-time", "退款多久到账", "1-7个工作日原路退回"))
	contextCostsLittle(t, ix, "退货运费谁出", "衣柜退货运费谁出", "bulky-freight")
	if hits := ix.search("衣柜怎么开发票", 1); len(hits) > 0 && hits[0].Score >= 0.1 {
		t.Errorf("衣柜怎么开发票 scores %.3f on %s", hits[0].Score, hits[0].Entry.ID)
	}
}

func TestGoodsSpans(t *testing.T) {
	norm := Normalize("快递送来玻璃台面碎了")
	spans := goodsSpans(norm, nil)
	var got string
	for i, r := range norm {
		if spans != nil && spans[i] {
			got += string(r)
		}
	}
	if got != "玻璃台面" {
		t.Errorf("goods in %q = %q, want 玻璃台面", norm, got)
	}
}

// contextCostsLittle checks that named, bare with context added (what was
// bought, where), finds want first at no less than 0.8 of bare's score.
func contextCostsLittle(t *testing.T, ix *index, bare, named, want string) {
	t.Helper()
	b, n := ix.search(bare, 1), ix.search(named, 1)
	if len(b) == 0 || len(n) == 0 || n[0].Entry.ID != want {
		t.Fatalf("hits: %s %+v, %s %+v", bare, b, named, n)
	}
	if n[0].Score < 0.8*b[0].Score {
		t.Errorf("%s scores %.3f, %s %.3f: the context costs too much", named, n[0].Score, bare, b[0].Score)
	}
}
