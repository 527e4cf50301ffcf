package knowledge

import "strings"

// traditionalPairs folds the traditional characters buyers from Hong
// Kong, Taiwan and overseas type (and that some phone keyboards produce)
// to the simplified ones operators write, two runes a pair. It covers the
// characters of shopping and after-sales talk, not the whole script: a
// character missing here only loses its match, never makes a wrong one.
// 帐 and 劵 are not traditional but the usual misspellings of 账 and 券.
const traditionalPairs = "們们個个來来時时說说對对會会開开關关門门問问題题東东車车長长見见點点電电話话" +
	"買买賣卖貨货錢钱發发單单號号碼码運运費费換换還还進进過过這这裡里裏里麼么為为無无與与專专兩两嚴严" +
	"從从優优價价傳传備备員员嗎吗國国圖图報报場场壞坏處处夠够團团寫写實实寶宝將将導导幫帮廣广應应張张" +
	"態态憑凭戶户據据數数樣样機机檢检歡欢氣气決决沒没減减滿满熱热獎奖現现產产當当盡尽確确禮礼種种積积" +
	"簽签類类紅红約约級级紙纸細细終终組组結结給给絡络統统維维網网總总線线聯联聽听職职臺台舉举舊旧華华" +
	"萬万葉叶補补裝装製制規规視视覺觉親亲訂订計计認认討讨訊讯記记設设許许評评試试該该詳详語语誤误請请" +
	"諮咨謝谢證证識识議议讀读變变讓让豐丰負负責责貴贵貼贴資资賠赔賬账質质購购贈赠軟软輕轻輸输轉转辦办" +
	"達达遲迟適适邊边郵邮醫医釋释鐘钟銀银銷销鋪铺錯错閉闭間间閱阅隊队際际隨随險险隱隐雙双雜杂難难須须" +
	"預预領领頭头額额風风飛飞餘余驗验體体齊齐龍龙幾几撥拨掃扫擇择損损擔担攜携條条極极標标權权歸归漲涨" +
	"紀纪續续繳缴罰罚膠胶蓋盖觀观訴诉詢询貸贷趕赶跡迹蹤踪輛辆鎖锁陸陆鮮鲜麵面黃黄壓压爛烂庫库倉仓櫃柜" +
	"驛驿遞递務务後后啟启動动隻只註注顏颜彈弹獲获歷历區区頁页衛卫聯联戰战鍋锅鞋鞋瑪玛廠厂護护蘭兰" +
	"帳账劵券"

var traditional = map[rune]rune{}

func init() {
	rs := []rune(traditionalPairs)
	for i := 0; i+1 < len(rs); i += 2 {
		if rs[i] != rs[i+1] {
			traditional[rs[i]] = rs[i+1]
		}
	}
}

// latinWords turns the pinyin and English words buyers mix into Chinese
// ("fahuo要几天", "refund多久") into the Chinese words entries use, so
// their characters match. Only whole words are replaced: "sf" in a longer
// word stays as it is. Keep to words of the shop's domain whose meaning
// does not depend on context.
var latinWords = map[string]string{
	"tuikuan": "退款", "tuihuo": "退货", "huanhuo": "换货", "fahuo": "发货",
	"kuaidi": "快递", "wuliu": "物流", "fapiao": "发票", "dingdan": "订单",
	"youhuiquan": "优惠券", "jifen": "积分", "zhibo": "直播", "kefu": "客服",
	"shouhou": "售后", "yunfei": "运费", "daozhang": "到账", "qianshou": "签收",
	"baoyou": "包邮", "huiyuan": "会员", "mima": "密码", "zhanghao": "账号",
	"refund": "退款", "return": "退货", "exchange": "换货", "invoice": "发票",
	"order": "订单", "coupon": "优惠券", "vip": "会员", "sf": "顺丰",
	"ems": "邮政", "live": "直播", "password": "密码", "login": "登录",
	"account": "账号", "delivery": "配送", "express": "快递", "price": "价格",
	"cod": "货到付款", "member": "会员", "points": "积分", "tracking": "物流",
}

// foldLatinWords replaces the whole latin words of normalised text found
// in latinWords.
func foldLatinWords(norm string) string {
	if !strings.ContainsFunc(norm, isLatin) {
		return norm
	}
	var b strings.Builder
	b.Grow(len(norm))
	start := -1
	flush := func(end int) {
		w := norm[start:end]
		if zh, ok := latinWords[w]; ok {
			w = zh
		}
		b.WriteString(w)
		start = -1
	}
	for i, r := range norm {
		if isLatin(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			flush(i)
		}
		b.WriteRune(r)
	}
	if start >= 0 {
		flush(len(norm))
	}
	return b.String()
}

func isLatin(r rune) bool { return r >= 'a' && r <= 'z' }
