package knowledge

import "testing"

// An entry on one platform's rules does not answer a question about
// another platform: the 小红书 buyer gets the general entry, not 抖音's,
// though both ask the same thing.
func TestOtherPlatformEntryRanksLower(t *testing.T) {
	ix := newIndex()
	ix.put(testEntry("douyin-intervene", "抖音怎么申请平台客服介入", "在抖音订单详情点申请客服介入"))
	ix.put(testEntry("intervene-how", "怎么申请平台介入", "在订单售后详情页点申请平台介入"))
	ix.put(testEntry("intervene-time", "平台介入后多久出结果", "一般1-7个工作日"))
	tests := []struct{ q, want string }{
		{"抖音怎么申请平台介入", "douyin-intervene"},
		{"小红书怎么申请平台介入", "intervene-how"},
	}
	for _, tt := range tests {
		hits := ix.search(tt.q, 2)
		if len(hits) == 0 || hits[0].Entry.ID != tt.want {
			t.Errorf("search(%q) = %+v, want %s first", tt.q, hits, tt.want)
		}
	}
}

// A platform no entry names is where the buyer shops, not what they ask:
// on a base with no platform's entries, naming one costs little.
func TestUnknownPlatformIsContext(t *testing.T) {
	ix := newIndex()
	ix.put(testEntry("intervene", "怎么申请平台介入", "在订单详情点申请平台介入"))
	ix.put(testEntry("arrival", "退款多久到账", "1-7个工作日"))
	contextCostsLittle(t, ix, "怎么申请平台介入", "小红书怎么申请平台介入", "intervene")
}
