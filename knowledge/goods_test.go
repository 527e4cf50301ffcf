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
	bare := ix.search("退货运费谁出", 1)
	named := ix.search("衣柜退货运费谁出", 1)
	if len(bare) == 0 || len(named) == 0 || named[0].Entry.ID != "bulky-freight" {
		t.Fatalf("hits: bare %+v, named %+v", bare, named)
	}
	if named[0].Score < 0.8*bare[0].Score {
		t.Errorf("衣柜退货运费谁出 scores %.3f, 退货运费谁出 %.3f: the goods' name costs too much", named[0].Score, bare[0].Score)
	}
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
