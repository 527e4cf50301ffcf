package knowledge

import "unicode/utf8"

// synonymGroups joins the words buyers use to the words FAQ entries use.
// Every phrase of a group adds the group's concept term to the text it is
// found in, on both the entry side and the question side, so the match
// works whichever words the operator chose. A phrase may name several
// groups ("七天无理由" is both a time and the no-reason rule). Keep groups
// narrow: a phrase that is only sometimes a synonym (钱 alone, 换个) does
// more harm than good, so it is left to the character n-grams.
var synonymGroups = map[string][]string{
	"退款":   {"退款", "退钱", "退费", "返款", "退的钱", "退回的钱", "钱退", "退我钱", "把钱退", "退给我", "退回来", "钱回来", "返钱", "退了"},
	"到账":   {"到账", "到手", "回来", "退回来", "钱回来", "回到账", "账上", "入账", "到卡", "收到钱", "收到退款", "到账户", "到帐", "回款"},
	"多久":   {"多久", "多长时间", "几天", "多少天", "啥时候", "什么时候", "何时", "要等", "等多久", "几个工作日", "多少时间", "时间", "时效", "要几天"},
	"两天":   {"两天", "48小时", "2天", "48h", "两天了", "48个小时"},
	"很久":   {"好几天", "好久", "好多天", "很久", "一直", "半个月", "好长时间", "几天了", "一周了"},
	"原路":   {"原路", "退到哪", "退哪", "退到哪里", "去哪了", "去哪里了", "退回哪", "原支付方式", "退到"},
	"支付方式": {"零钱", "微信零钱", "银行卡", "花呗", "信用卡", "支付宝", "余额", "钱包", "白条", "月付", "先用后付", "储蓄卡"},
	"退少了":  {"少了", "不够", "比实付少", "少退", "只退了", "差了", "没退全", "退少", "少给", "扣了", "金额不对", "不是全额", "少钱", "部分退款", "会少", "变少"},
	"优惠":   {"优惠券", "券", "红包", "满减", "优惠", "折扣", "立减", "津贴", "消费券"},
	"收货":   {"确认收货", "点了收货", "签收", "已收货", "收到货", "收货了", "收了货", "确认了收货"},
	"售后期":  {"售后期", "售后时间", "多少天内", "几天内", "期限", "过期", "超过", "有效期"},
	"无理由":  {"无理由", "七天无理由", "7天无理由", "不想要", "不喜欢", "后悔", "不合适"},
	"七天":   {"七天", "7天", "七日", "7日", "一周", "一星期"},
	"定制":   {"定制", "刻字", "订做", "定做", "专属", "印字", "私人订制", "个性化"},
	"生鲜":   {"生鲜", "水果", "鲜活", "海鲜", "蔬菜", "鲜花", "易腐", "肉类", "冷冻", "鲜肉", "食品"},
	"虚拟":   {"虚拟", "充值", "话费", "会员卡", "游戏币", "卡券", "卡密", "兑换码", "电子券", "课程"},
	"特殊商品": {"定制", "刻字", "订做", "定做", "生鲜", "水果", "鲜活", "海鲜", "易腐", "虚拟", "充值", "贴身", "内衣", "已拆封", "拆封", "拆了"},
	"不理":   {"不理", "不回", "没回复", "不回复", "不处理", "不回应", "没反应", "没人理", "不搭理", "没动静", "已读不回", "没人管", "不管", "联系不上", "找不到人", "没处理", "不同意也不拒绝", "晾着", "拖着"},
	"商家":   {"商家", "卖家", "店家", "店铺", "老板", "掌柜", "店主", "商户"},
	"介入":   {"介入", "投诉", "仲裁", "官方处理", "平台处理", "找平台", "官方", "小二", "客服介入", "举报", "维权", "申诉", "平台出面", "让平台", "找谁", "谁管", "找哪里", "找哪个部门"},
	"凭证":   {"凭证", "证据", "照片", "图片", "截图", "视频", "拍照", "拍图", "传图", "传什么", "图", "聊天记录", "举证"},
	"运费":   {"运费", "邮费", "快递费", "寄回的钱", "寄件费", "寄费", "邮资", "来回运费"},
	"运费险":  {"运费险", "退货险", "退货宝", "运费保险"},
	"单号":   {"单号", "运单号", "快递单号", "物流单号", "快递号", "运单", "寄件单号"},
	"物流":   {"快递", "物流", "包裹", "配送", "寄回", "寄回去", "寄出", "发回"},
	"拒绝":   {"拒绝", "驳回", "被拒", "拒了", "不同意", "不给退", "不让退", "不给我退", "不肯退", "不退"},
	"封号":   {"封号", "被封", "封账号", "影响账号", "限制", "信用", "黑名单", "有影响", "降权"},
	"频繁":   {"频繁", "太多次", "老是", "经常", "总是", "多次", "次数多", "好多次", "退太多"},
	"视频号":  {"视频号", "微信小店", "小店", "微信商店", "视频号小店", "微信里买", "微信上买", "直播间"},
	"抖音":   {"抖音", "dy", "抖店", "抖音商城", "抖音小店", "抖音直播"},
	"小红书":  {"小红书", "红书", "xhs", "小红薯", "redbook"},
	"旺商聊":  {"旺商聊", "旺商", "wsl"},
	"未收货":  {"没收到", "没到", "未收到", "没收到货", "货没到", "不动", "物流不更新", "丢件", "丢了", "没送到", "没发货", "一直不到", "显示签收", "被签收", "没有收到"},
	"换货":   {"换货", "换一个", "调换", "换尺码", "换码", "换颜色", "换新", "更换", "换一件", "换大一码", "换小一码"},
	"取消":   {"取消订单", "不想要了", "拍错", "拍错了", "取消", "撤销"},
	"自动":   {"自动", "自己退", "系统退", "自动同意", "自动退款", "默认同意"},
	"质量":   {"质量", "坏了", "破损", "损坏", "瑕疵", "坏的", "次品", "假货", "不能用", "开线", "漏", "碎了"},
	"错发":   {"发错", "错发", "漏发", "少发", "发错货", "不一样", "不符", "货不对板"},
	"退货":   {"退货", "寄回去", "退回去", "把东西寄回", "退货退款", "退回商品"},
	"仅退款":  {"仅退款", "只退款", "不退货", "不用退货", "只退钱"},
	"申请":   {"申请", "提交", "发起", "办理", "弄", "操作", "在哪点", "在哪里点", "入口"},
	"差价":   {"降价", "差价", "价保", "保价", "价格保护", "便宜了", "补差价"},
	"人工":   {"人工", "人工客服", "真人", "转人工", "活人"},
	"售后":   {"售后", "退换货", "退换", "售后服务"},
	"审核":   {"审核", "受理", "审批", "处理"},
	"地址":   {"地址", "收货地址", "退货地址", "寄到哪"},
	"发票":   {"发票", "开票", "抬头", "税号"},
	"怎么":   {"怎么", "如何", "咋", "怎样", "怎么办", "怎么弄", "咋办", "咋弄"},
	"能否":   {"能不能", "可不可以", "可以吗", "能吗", "行不行", "能否", "是否", "可以不", "能不", "行吗"},
}

// stopConcepts weigh as little as stop words: they say how the buyer asks,
// not what about.
var stopConcepts = map[string]bool{"#怎么": true, "#能否": true, "#申请": true}

var (
	synonymIndex  = map[string][]string{} // phrase → concept terms
	synonymMaxLen int                     // longest phrase, in runes
)

func init() {
	for group, phrases := range synonymGroups {
		for _, p := range phrases {
			p = Normalize(p)
			synonymIndex[p] = append(synonymIndex[p], conceptPrefix+group)
			if n := utf8.RuneCountInString(p); n > synonymMaxLen {
				synonymMaxLen = n
			}
		}
	}
}

// concepts emits the concept terms of the phrases found in normalised text,
// taking the longest phrase at each position so 好几天 (a long time) is not
// read as 几天 (how many days).
func concepts(norm string, emit func(string)) {
	offsets := make([]int, 0, len(norm)+1)
	for i := range norm {
		offsets = append(offsets, i)
	}
	offsets = append(offsets, len(norm))
	n := len(offsets) - 1
	for i := 0; i < n; {
		matched := 0
		for l := min(synonymMaxLen, n-i); l >= 1; l-- {
			p := norm[offsets[i]:offsets[i+l]]
			groups, ok := synonymIndex[p]
			if !ok || !wordBoundary(norm, offsets[i], offsets[i+l]) {
				continue
			}
			for _, g := range groups {
				emit(g)
			}
			matched = l
			break
		}
		if matched == 0 {
			matched = 1
		}
		i += matched
	}
}

// wordBoundary keeps Latin phrases such as "dy" from matching inside a
// longer word ("study"); Chinese has no spaces, so Han phrases always match.
func wordBoundary(s string, from, to int) bool {
	first, _ := utf8.DecodeRuneInString(s[from:])
	if isHan(first) {
		return true
	}
	if from > 0 {
		prev, _ := utf8.DecodeLastRuneInString(s[:from])
		if !isHan(prev) && prev != ' ' {
			return false
		}
	}
	if to < len(s) {
		next, _ := utf8.DecodeRuneInString(s[to:])
		if !isHan(next) && next != ' ' {
			return false
		}
	}
	return true
}

// expandedTerms lists a text's terms with their counts.
func expandedTerms(text string) map[string]int {
	m := map[string]int{}
	analyze(text, func(t string) { m[t]++ })
	return m
}
