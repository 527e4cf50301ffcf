package classify

import "github.com/refundbot/refundbot"

// The lexicons below are matched with strings.Contains on the compact,
// normalised, masked text (lower case, half-width, no spaces, codes
// replaced by '#'). They are written for colloquial buyer Chinese, common
// typos and the English buyers mix in. Order inside a list does not matter
// unless a comment says so.

// reasonWord gives weight to a reason. Category names ("质量问题") weigh 3,
// clear symptoms 2, hints 1; the reason with the highest total wins.
type reasonWord struct {
	word   string
	reason refundbot.Reason
	weight int
}

var reasonWords = []reasonWord{
	// quality: the goods are faulty
	{"质量问题", refundbot.ReasonQuality, 3}, {"质量差", refundbot.ReasonQuality, 3},
	{"质量太差", refundbot.ReasonQuality, 3}, {"质量不好", refundbot.ReasonQuality, 3},
	{"质量不行", refundbot.ReasonQuality, 3}, {"质量有问题", refundbot.ReasonQuality, 3},
	{"垃圾质量", refundbot.ReasonQuality, 3}, {"质量堪忧", refundbot.ReasonQuality, 3},
	{"坏了", refundbot.ReasonQuality, 2}, {"坏的", refundbot.ReasonQuality, 2}, {"坏掉", refundbot.ReasonQuality, 2},
	{"用坏", refundbot.ReasonQuality, 2}, {"就坏", refundbot.ReasonQuality, 2}, {"不保温", refundbot.ReasonQuality, 3},
	{"不制冷", refundbot.ReasonQuality, 3}, {"不制热", refundbot.ReasonQuality, 3}, {"不加热", refundbot.ReasonQuality, 3},
	{"开胶", refundbot.ReasonQuality, 3}, {"掉色", refundbot.ReasonQuality, 3}, {"褪色", refundbot.ReasonQuality, 3},
	{"起球", refundbot.ReasonQuality, 3}, {"开线", refundbot.ReasonQuality, 3}, {"脱线", refundbot.ReasonQuality, 3},
	{"断了", refundbot.ReasonQuality, 2}, {"过期", refundbot.ReasonQuality, 3}, {"变质", refundbot.ReasonQuality, 3},
	{"发霉", refundbot.ReasonQuality, 3}, {"霉了", refundbot.ReasonQuality, 3}, {"长毛", refundbot.ReasonQuality, 2},
	{"异味", refundbot.ReasonQuality, 2}, {"有味道", refundbot.ReasonQuality, 2}, {"臭", refundbot.ReasonQuality, 2},
	{"漏水", refundbot.ReasonQuality, 2}, {"漏气", refundbot.ReasonQuality, 2}, {"漏电", refundbot.ReasonQuality, 3},
	{"冒烟", refundbot.ReasonQuality, 3}, {"烧了", refundbot.ReasonQuality, 2}, {"烧坏", refundbot.ReasonQuality, 3},
	{"短路", refundbot.ReasonQuality, 3}, {"没声音", refundbot.ReasonQuality, 3}, {"没有声音", refundbot.ReasonQuality, 3},
	{"没反应", refundbot.ReasonQuality, 3}, {"开不了机", refundbot.ReasonQuality, 3}, {"开不开机", refundbot.ReasonQuality, 3},
	{"开不了", refundbot.ReasonQuality, 2}, {"不能用", refundbot.ReasonQuality, 2}, {"用不了", refundbot.ReasonQuality, 2},
	{"没法用", refundbot.ReasonQuality, 2}, {"无法使用", refundbot.ReasonQuality, 2}, {"不好用", refundbot.ReasonQuality, 2},
	{"失灵", refundbot.ReasonQuality, 3}, {"故障", refundbot.ReasonQuality, 3}, {"死机", refundbot.ReasonQuality, 3},
	{"充不进电", refundbot.ReasonQuality, 3}, {"充不了电", refundbot.ReasonQuality, 3}, {"不充电", refundbot.ReasonQuality, 3},
	{"充不上电", refundbot.ReasonQuality, 3}, {"黑屏", refundbot.ReasonQuality, 3}, {"花屏", refundbot.ReasonQuality, 3},
	{"卡顿", refundbot.ReasonQuality, 2}, {"杂音", refundbot.ReasonQuality, 3}, {"噪音", refundbot.ReasonQuality, 2},
	{"异响", refundbot.ReasonQuality, 3}, {"不亮", refundbot.ReasonQuality, 2}, {"不转", refundbot.ReasonQuality, 2},
	{"变形", refundbot.ReasonQuality, 2}, {"生锈", refundbot.ReasonQuality, 3}, {"掉漆", refundbot.ReasonQuality, 3},
	{"脱落", refundbot.ReasonQuality, 2}, {"起皮", refundbot.ReasonQuality, 3}, {"掉毛", refundbot.ReasonQuality, 3},
	{"缩水", refundbot.ReasonQuality, 3}, {"瑕疵", refundbot.ReasonQuality, 3}, {"次品", refundbot.ReasonQuality, 3},
	{"残次", refundbot.ReasonQuality, 3}, {"劣质", refundbot.ReasonQuality, 3}, {"做工差", refundbot.ReasonQuality, 3},
	{"做工", refundbot.ReasonQuality, 1}, {"粗糙", refundbot.ReasonQuality, 2}, {"线头", refundbot.ReasonQuality, 2},
	{"粘锅", refundbot.ReasonQuality, 3}, {"有虫", refundbot.ReasonQuality, 3}, {"虫子", refundbot.ReasonQuality, 3},
	{"不新鲜", refundbot.ReasonQuality, 3}, {"烂了", refundbot.ReasonQuality, 3}, {"烂果", refundbot.ReasonQuality, 3},
	{"坏果", refundbot.ReasonQuality, 3}, {"味道不对", refundbot.ReasonQuality, 2}, {"过敏", refundbot.ReasonQuality, 2},
	{"破洞", refundbot.ReasonQuality, 3}, {"裂开", refundbot.ReasonQuality, 2}, {"不工作", refundbot.ReasonQuality, 3},
	{"不灵", refundbot.ReasonQuality, 2}, {"没电", refundbot.ReasonQuality, 1}, {"有问题", refundbot.ReasonQuality, 2},
	{"出问题", refundbot.ReasonQuality, 2}, {"毛病", refundbot.ReasonQuality, 2}, {"不出水", refundbot.ReasonQuality, 3},
	{"不出风", refundbot.ReasonQuality, 3}, {"连不上", refundbot.ReasonQuality, 3}, {"不好使", refundbot.ReasonQuality, 2},
	{"质量", refundbot.ReasonQuality, 1}, {"broken", refundbot.ReasonQuality, 2}, {"defective", refundbot.ReasonQuality, 3},
	{"not working", refundbot.ReasonQuality, 3}, {"doesn'twork", refundbot.ReasonQuality, 3}, {"坏", refundbot.ReasonQuality, 1},
	{"穿一次", refundbot.ReasonQuality, 1}, {"用了两天", refundbot.ReasonQuality, 1}, {"才穿", refundbot.ReasonQuality, 1},
	{"才用", refundbot.ReasonQuality, 1}, {"不防水", refundbot.ReasonQuality, 3}, {"脱胶", refundbot.ReasonQuality, 3}, {"裂缝", refundbot.ReasonQuality, 2}, {"一大一小", refundbot.ReasonQuality, 3},
	{"质量一般", refundbot.ReasonQuality, 3}, {"质量太一般", refundbot.ReasonQuality, 3}, {"质量很差", refundbot.ReasonQuality, 3}, {"不出雾", refundbot.ReasonQuality, 3}, {"不出气", refundbot.ReasonQuality, 3},
	{"不出墨", refundbot.ReasonQuality, 3}, {"拉不上", refundbot.ReasonQuality, 3}, {"关不上", refundbot.ReasonQuality, 3}, {"打不开", refundbot.ReasonQuality, 2}, {"不响", refundbot.ReasonQuality, 3}, {"拧不紧", refundbot.ReasonQuality, 3}, {"松动", refundbot.ReasonQuality, 2},
	{"用了两次", refundbot.ReasonQuality, 1}, {"用了几次", refundbot.ReasonQuality, 1}, {"才用了", refundbot.ReasonQuality, 1},
	{"亮点", refundbot.ReasonQuality, 2}, {"坏点", refundbot.ReasonQuality, 3}, {"漏光", refundbot.ReasonQuality, 3}, {"不出声", refundbot.ReasonQuality, 3},
	{"气泡", refundbot.ReasonQuality, 2}, {"掉渣", refundbot.ReasonQuality, 2}, {"松了", refundbot.ReasonQuality, 2}, {"卡住", refundbot.ReasonQuality, 2},
	{"不出热", refundbot.ReasonQuality, 3}, {"不热了", refundbot.ReasonQuality, 2}, {"不熟", refundbot.ReasonQuality, 2},
	{"不出冷", refundbot.ReasonQuality, 3}, {"不好用了", refundbot.ReasonQuality, 2}, {"坏掉了", refundbot.ReasonQuality, 2}, {"渗水", refundbot.ReasonQuality, 2},

	// Holes, tears, loose parts: faults of the goods themselves.
	{"破了个洞", refundbot.ReasonQuality, 3}, {"破了一个洞", refundbot.ReasonQuality, 3}, {"有个洞", refundbot.ReasonQuality, 2},
	{"有洞", refundbot.ReasonQuality, 2}, {"个洞", refundbot.ReasonQuality, 2}, {"破了", refundbot.ReasonQuality, 2},
	{"破口", refundbot.ReasonQuality, 2}, {"撕裂", refundbot.ReasonQuality, 2}, {"掉了", refundbot.ReasonQuality, 2},
	{"脱了", refundbot.ReasonQuality, 1}, {"污渍", refundbot.ReasonQuality, 2}, {"脏了", refundbot.ReasonQuality, 2},
	{"脏的", refundbot.ReasonQuality, 2}, {"歪了", refundbot.ReasonQuality, 2}, {"歪的", refundbot.ReasonQuality, 2},
	{"不准", refundbot.ReasonQuality, 2}, {"发黑", refundbot.ReasonQuality, 2}, {"霉味", refundbot.ReasonQuality, 3},
	{"怪味", refundbot.ReasonQuality, 2}, {"头发", refundbot.ReasonQuality, 2}, {"异物", refundbot.ReasonQuality, 3},
	{"涂层", refundbot.ReasonQuality, 2}, {"鼓包", refundbot.ReasonQuality, 3}, {"发烫", refundbot.ReasonQuality, 2},
	// The merchant made it wrong: "字刻错了", "印错了", "尺寸做错了".
	// (拍错, 买错, 选错 are the buyer's own mistakes: no_reason, above.)
	{"刻错", refundbot.ReasonQuality, 3}, {"印错", refundbot.ReasonQuality, 3}, {"做错", refundbot.ReasonQuality, 3},
	{"绣错", refundbot.ReasonQuality, 3}, {"打印错", refundbot.ReasonQuality, 3}, {"装错", refundbot.ReasonWrongItem, 3},
	{"配错", refundbot.ReasonWrongItem, 3}, {"弄错", refundbot.ReasonWrongItem, 3},
	{"字是错的", refundbot.ReasonQuality, 3}, {"是错的", refundbot.ReasonWrongItem, 2}, {"印反", refundbot.ReasonQuality, 3},
	{"做反", refundbot.ReasonQuality, 3}, {"缝反", refundbot.ReasonQuality, 3},

	// damaged: broken in transit
	{"漏了", refundbot.ReasonDamaged, 2}, {"缺口", refundbot.ReasonDamaged, 2}, {"崩了", refundbot.ReasonDamaged, 2},
	{"碎成", refundbot.ReasonDamaged, 3},
	{"碎", refundbot.ReasonDamaged, 3}, {"湿透", refundbot.ReasonDamaged, 3}, {"泡坏", refundbot.ReasonDamaged, 3}, {"淋湿", refundbot.ReasonDamaged, 3},
	{"泡水", refundbot.ReasonDamaged, 3}, {"压碎", refundbot.ReasonDamaged, 3}, {"摔烂", refundbot.ReasonDamaged, 3}, {"凹进", refundbot.ReasonDamaged, 3}, {"凹", refundbot.ReasonDamaged, 2},
	{"送来就", refundbot.ReasonDamaged, 1}, {"瘪了", refundbot.ReasonDamaged, 3}, {"压坏", refundbot.ReasonDamaged, 3}, {"压扁", refundbot.ReasonDamaged, 3},
	{"压变形", refundbot.ReasonDamaged, 3}, {"压烂", refundbot.ReasonDamaged, 3}, {"破损", refundbot.ReasonDamaged, 3},
	{"摔坏", refundbot.ReasonDamaged, 3}, {"摔漏", refundbot.ReasonDamaged, 3}, {"摔", refundbot.ReasonDamaged, 2},
	{"磕碰", refundbot.ReasonDamaged, 3}, {"磕坏", refundbot.ReasonDamaged, 3}, {"磕了", refundbot.ReasonDamaged, 2},
	{"凹陷", refundbot.ReasonDamaged, 3}, {"凹了", refundbot.ReasonDamaged, 3}, {"撞坏", refundbot.ReasonDamaged, 3},
	{"裂了", refundbot.ReasonDamaged, 2}, {"裂痕", refundbot.ReasonDamaged, 2}, {"包装破", refundbot.ReasonDamaged, 3},
	{"箱子破", refundbot.ReasonDamaged, 3}, {"盒子破", refundbot.ReasonDamaged, 3}, {"洒了", refundbot.ReasonDamaged, 3},
	{"撒了", refundbot.ReasonDamaged, 2}, {"流了一", refundbot.ReasonDamaged, 2}, {"路上", refundbot.ReasonDamaged, 2},
	{"运输", refundbot.ReasonDamaged, 2}, {"快递员", refundbot.ReasonDamaged, 1}, {"暴力", refundbot.ReasonDamaged, 3},
	{"划痕", refundbot.ReasonQuality, 2}, {"刮花", refundbot.ReasonQuality, 2}, {"damaged", refundbot.ReasonDamaged, 3},
	{"到手就", refundbot.ReasonDamaged, 1}, {"收到就坏", refundbot.ReasonDamaged, 2}, {"收到时", refundbot.ReasonDamaged, 1},
	{"送到的时候", refundbot.ReasonDamaged, 1}, {"拆开", refundbot.ReasonDamaged, 1}, {"漏液", refundbot.ReasonDamaged, 2},

	// not_received
	{"没收到", refundbot.ReasonNotReceived, 3}, {"东西没到", refundbot.ReasonNotReceived, 3}, {"货没到", refundbot.ReasonNotReceived, 3},
	{"没到", refundbot.ReasonNotReceived, 2}, {"运输中", refundbot.ReasonNotReceived, 1}, {"还在路上", refundbot.ReasonNotReceived, 3}, {"没见着", refundbot.ReasonNotReceived, 3},
	{"见不到", refundbot.ReasonNotReceived, 2}, {"派送中", refundbot.ReasonNotReceived, 1}, {"没见到货", refundbot.ReasonNotReceived, 3}, {"没有收到", refundbot.ReasonNotReceived, 3}, {"未收到", refundbot.ReasonNotReceived, 3},
	{"收不到", refundbot.ReasonNotReceived, 3}, {"没到货", refundbot.ReasonNotReceived, 3}, {"没拿到", refundbot.ReasonNotReceived, 3},
	{"没见到", refundbot.ReasonNotReceived, 2}, {"丢件", refundbot.ReasonNotReceived, 3}, {"丢了", refundbot.ReasonNotReceived, 3},
	{"丢失", refundbot.ReasonNotReceived, 3}, {"弄丢", refundbot.ReasonNotReceived, 3}, {"冒领", refundbot.ReasonNotReceived, 3},
	{"被人拿", refundbot.ReasonNotReceived, 3}, {"签收", refundbot.ReasonNotReceived, 1}, {"物流不动", refundbot.ReasonNotReceived, 3},
	{"物流没动", refundbot.ReasonNotReceived, 3}, {"没动了", refundbot.ReasonNotReceived, 2}, {"没动静", refundbot.ReasonNotReceived, 2},
	{"不更新", refundbot.ReasonNotReceived, 3}, {"没更新", refundbot.ReasonNotReceived, 3}, {"没有更新", refundbot.ReasonNotReceived, 3},
	{"卡在", refundbot.ReasonNotReceived, 2}, {"停滞", refundbot.ReasonNotReceived, 2}, {"一直没到", refundbot.ReasonNotReceived, 3},
	{"还没到", refundbot.ReasonNotReceived, 2}, {"没送到", refundbot.ReasonNotReceived, 3}, {"没派送", refundbot.ReasonNotReceived, 3},
	{"不派送", refundbot.ReasonNotReceived, 3}, {"送错", refundbot.ReasonNotReceived, 2}, {"没收着", refundbot.ReasonNotReceived, 3},
	{"快递丢", refundbot.ReasonNotReceived, 3}, {"包裹丢", refundbot.ReasonNotReceived, 3}, {"not received", refundbot.ReasonNotReceived, 3},
	{"notreceived", refundbot.ReasonNotReceived, 3}, {"never arrived", refundbot.ReasonNotReceived, 3}, {"物流信息", refundbot.ReasonNotReceived, 1},
	{"没收货", refundbot.ReasonNotReceived, 3}, {"收到货了吗", refundbot.ReasonNotReceived, 0},

	// wrong_item: not what was ordered, or missing pieces
	{"发错", refundbot.ReasonWrongItem, 3}, {"别人的", refundbot.ReasonWrongItem, 3}, {"发给我的是", refundbot.ReasonWrongItem, 2}, {"给发了", refundbot.ReasonWrongItem, 2}, {"你们发了", refundbot.ReasonWrongItem, 2},
	{"明明买的", refundbot.ReasonWrongItem, 2}, {"只有", refundbot.ReasonWrongItem, 2}, {"少了", refundbot.ReasonWrongItem, 2}, {"只来了", refundbot.ReasonWrongItem, 3}, {"错发", refundbot.ReasonWrongItem, 3}, {"寄错", refundbot.ReasonWrongItem, 3},
	{"发成", refundbot.ReasonWrongItem, 2}, {"给我发了", refundbot.ReasonWrongItem, 2}, {"发来的是", refundbot.ReasonWrongItem, 2}, {"寄来的是", refundbot.ReasonWrongItem, 2}, {"却是", refundbot.ReasonWrongItem, 1},
	{"发的是", refundbot.ReasonWrongItem, 2}, {"买的是", refundbot.ReasonWrongItem, 1}, {"少发", refundbot.ReasonWrongItem, 3},
	{"漏发", refundbot.ReasonWrongItem, 3}, {"少了一", refundbot.ReasonWrongItem, 3}, {"少一件", refundbot.ReasonWrongItem, 3},
	{"里没有", refundbot.ReasonWrongItem, 3}, {"里面没有", refundbot.ReasonWrongItem, 3}, {"里面少", refundbot.ReasonWrongItem, 3},
	{"缺了", refundbot.ReasonWrongItem, 2}, {"缺少", refundbot.ReasonWrongItem, 2}, {"配件不全", refundbot.ReasonWrongItem, 3},
	{"不齐", refundbot.ReasonWrongItem, 2}, {"没有配件", refundbot.ReasonWrongItem, 3},
	{"少一个", refundbot.ReasonWrongItem, 3}, {"少了个", refundbot.ReasonWrongItem, 3}, {"少了件", refundbot.ReasonWrongItem, 3},
	{"缺了", refundbot.ReasonWrongItem, 3}, {"缺少", refundbot.ReasonWrongItem, 3}, {"少件", refundbot.ReasonWrongItem, 3},
	{"缺件", refundbot.ReasonWrongItem, 3}, {"少配件", refundbot.ReasonWrongItem, 3}, {"没发全", refundbot.ReasonWrongItem, 3},
	{"只收到", refundbot.ReasonWrongItem, 2}, {"数量不对", refundbot.ReasonWrongItem, 3}, {"型号不对", refundbot.ReasonWrongItem, 3},
	{"颜色不对", refundbot.ReasonWrongItem, 2}, {"尺码不对", refundbot.ReasonWrongItem, 2}, {"规格不对", refundbot.ReasonWrongItem, 3},
	{"不是我买的", refundbot.ReasonWrongItem, 3}, {"不是我要的", refundbot.ReasonWrongItem, 3}, {"不是我下单", refundbot.ReasonWrongItem, 3},
	{"不是我订的", refundbot.ReasonWrongItem, 3}, {"货不对", refundbot.ReasonWrongItem, 2}, {"发的不对", refundbot.ReasonWrongItem, 3},
	{"款式不对", refundbot.ReasonWrongItem, 2}, {"wrong item", refundbot.ReasonWrongItem, 3}, {"wrongitem", refundbot.ReasonWrongItem, 3},
	{"我要的是", refundbot.ReasonWrongItem, 2}, {"我订的是", refundbot.ReasonWrongItem, 2}, {"拍的是", refundbot.ReasonWrongItem, 2},

	// not_as_described
	{"描述不符", refundbot.ReasonNotAsDescribed, 3}, {"不是一个东西", refundbot.ReasonNotAsDescribed, 3}, {"完全不是", refundbot.ReasonNotAsDescribed, 2},
	{"展示的", refundbot.ReasonNotAsDescribed, 2}, {"两个东西", refundbot.ReasonNotAsDescribed, 3}, {"不是同一个", refundbot.ReasonNotAsDescribed, 3}, {"与描述", refundbot.ReasonNotAsDescribed, 3}, {"跟描述", refundbot.ReasonNotAsDescribed, 3},
	{"和描述", refundbot.ReasonNotAsDescribed, 3}, {"描述不一", refundbot.ReasonNotAsDescribed, 3}, {"不符", refundbot.ReasonNotAsDescribed, 2},
	{"不一样", refundbot.ReasonNotAsDescribed, 1}, {"图片", refundbot.ReasonNotAsDescribed, 2}, {"图上", refundbot.ReasonNotAsDescribed, 2},
	{"色差", refundbot.ReasonNotAsDescribed, 3}, {"颜色差", refundbot.ReasonNotAsDescribed, 3}, {"差太多", refundbot.ReasonNotAsDescribed, 1},
	{"实物", refundbot.ReasonNotAsDescribed, 2}, {"虚假宣传", refundbot.ReasonNotAsDescribed, 3}, {"假货", refundbot.ReasonNotAsDescribed, 3},
	{"假的", refundbot.ReasonNotAsDescribed, 2}, {"仿品", refundbot.ReasonNotAsDescribed, 3}, {"高仿", refundbot.ReasonNotAsDescribed, 3},
	{"山寨", refundbot.ReasonNotAsDescribed, 3}, {"不是正品", refundbot.ReasonNotAsDescribed, 3}, {"非正品", refundbot.ReasonNotAsDescribed, 3},
	{"冒牌", refundbot.ReasonNotAsDescribed, 3}, {"货不对板", refundbot.ReasonNotAsDescribed, 4}, {"详情页", refundbot.ReasonNotAsDescribed, 2},
	{"宣传", refundbot.ReasonNotAsDescribed, 2}, {"说是", refundbot.ReasonNotAsDescribed, 1}, {"其实是", refundbot.ReasonNotAsDescribed, 2}, {"实际", refundbot.ReasonNotAsDescribed, 3}, {"称了", refundbot.ReasonNotAsDescribed, 2},
	{"写的", refundbot.ReasonNotAsDescribed, 1}, {"吊牌", refundbot.ReasonNotAsDescribed, 1}, {"材质", refundbot.ReasonNotAsDescribed, 2},
	{"面料", refundbot.ReasonNotAsDescribed, 1}, {"尺码表", refundbot.ReasonNotAsDescribed, 2}, {"偏小", refundbot.ReasonNotAsDescribed, 2},
	{"偏大", refundbot.ReasonNotAsDescribed, 2}, {"图文不符", refundbot.ReasonNotAsDescribed, 4}, {"以次充好", refundbot.ReasonNotAsDescribed, 3},
	{"翻新", refundbot.ReasonNotAsDescribed, 3}, {"二手", refundbot.ReasonNotAsDescribed, 3}, {"被用过", refundbot.ReasonNotAsDescribed, 3},
	{"分量不足", refundbot.ReasonNotAsDescribed, 3}, {"缺斤少两", refundbot.ReasonNotAsDescribed, 3}, {"不够重", refundbot.ReasonNotAsDescribed, 2},
	{"跟图", refundbot.ReasonNotAsDescribed, 2}, {"和图", refundbot.ReasonNotAsDescribed, 2}, {"买家秀", refundbot.ReasonNotAsDescribed, 2},
	{"照片", refundbot.ReasonNotAsDescribed, 1}, {"不像", refundbot.ReasonNotAsDescribed, 1}, {"fake", refundbot.ReasonNotAsDescribed, 3},
	{"not as described", refundbot.ReasonNotAsDescribed, 3}, {"直播间说", refundbot.ReasonNotAsDescribed, 2}, {"主播说", refundbot.ReasonNotAsDescribed, 2},
	{"页面", refundbot.ReasonNotAsDescribed, 1}, {"标的", refundbot.ReasonNotAsDescribed, 1}, {"说明上", refundbot.ReasonNotAsDescribed, 1},
	{"跟说的", refundbot.ReasonNotAsDescribed, 1}, {"和说的", refundbot.ReasonNotAsDescribed, 1},

	// no_reason: the buyer changed their mind
	{"不想要", refundbot.ReasonNoReason, 2}, {"不要了", refundbot.ReasonNoReason, 2}, {"不喜欢", refundbot.ReasonNoReason, 3},
	{"不合适", refundbot.ReasonNoReason, 2}, {"不好看", refundbot.ReasonNoReason, 3}, {"拍错", refundbot.ReasonNoReason, 3},
	{"买错", refundbot.ReasonNoReason, 3}, {"选错", refundbot.ReasonNoReason, 3}, {"下错", refundbot.ReasonNoReason, 3},
	{"点错", refundbot.ReasonNoReason, 3}, {"买重复", refundbot.ReasonNoReason, 3}, {"买重了", refundbot.ReasonNoReason, 3},
	{"重复购买", refundbot.ReasonNoReason, 3}, {"重复下单", refundbot.ReasonNoReason, 3}, {"买多了", refundbot.ReasonNoReason, 3},
	{"多买了", refundbot.ReasonNoReason, 3}, {"拍多了", refundbot.ReasonNoReason, 3}, {"七天无理由", refundbot.ReasonNoReason, 2},
	{"7天无理由", refundbot.ReasonNoReason, 2}, {"无理由", refundbot.ReasonNoReason, 2}, {"不需要了", refundbot.ReasonNoReason, 3},
	{"用不上", refundbot.ReasonNoReason, 3}, {"用不到", refundbot.ReasonNoReason, 3}, {"不合身", refundbot.ReasonNoReason, 2},
	{"我自己", refundbot.ReasonNoReason, 2}, {"自己的原因", refundbot.ReasonNoReason, 3}, {"个人原因", refundbot.ReasonNoReason, 3},
	{"后悔", refundbot.ReasonNoReason, 3}, {"改主意", refundbot.ReasonNoReason, 3}, {"不想买", refundbot.ReasonNoReason, 3},
	{"买大了", refundbot.ReasonNoReason, 3}, {"磨脚", refundbot.ReasonNoReason, 2}, {"不舒服", refundbot.ReasonNoReason, 2},
	{"穿不上", refundbot.ReasonNoReason, 1}, {"不想用", refundbot.ReasonNoReason, 2}, {"不实用", refundbot.ReasonNoReason, 2}, {"买小了", refundbot.ReasonNoReason, 3}, {"穿着不", refundbot.ReasonNoReason, 1},
	{"不适合", refundbot.ReasonNoReason, 2}, {"没用了", refundbot.ReasonNoReason, 2}, {"不满意", refundbot.ReasonNoReason, 1},
	{"家里有了", refundbot.ReasonNoReason, 3}, {"家里有", refundbot.ReasonNoReason, 3}, {"显胖", refundbot.ReasonNoReason, 3}, {"太丑", refundbot.ReasonNoReason, 3}, {"送人", refundbot.ReasonNoReason, 1}, {"冲动", refundbot.ReasonNoReason, 3},
	{"没问题就是", refundbot.ReasonNoReason, 3}, {"没什么问题", refundbot.ReasonNoReason, 2}, {"就是不", refundbot.ReasonNoReason, 1},
	{"dont want", refundbot.ReasonNoReason, 3}, {"don'twant", refundbot.ReasonNoReason, 3}, {"changed my mind", refundbot.ReasonNoReason, 3},

	// late_shipment
	{"不发货", refundbot.ReasonLateShipment, 3}, {"没发货", refundbot.ReasonLateShipment, 3}, {"没有发货", refundbot.ReasonLateShipment, 3},
	{"未发货", refundbot.ReasonLateShipment, 3}, {"还不发", refundbot.ReasonLateShipment, 3}, {"迟迟不发", refundbot.ReasonLateShipment, 3},
	{"一直不发", refundbot.ReasonLateShipment, 3}, {"拖着不发", refundbot.ReasonLateShipment, 3}, {"超时", refundbot.ReasonLateShipment, 2},
	{"延迟发货", refundbot.ReasonLateShipment, 3}, {"发货慢", refundbot.ReasonLateShipment, 3}, {"发货太慢", refundbot.ReasonLateShipment, 3},
	{"至今未发", refundbot.ReasonLateShipment, 3}, {"缺货", refundbot.ReasonLateShipment, 2}, {"预售", refundbot.ReasonLateShipment, 1},
	{"发货", refundbot.ReasonLateShipment, 1}, {"48小时", refundbot.ReasonLateShipment, 1}, {"24小时", refundbot.ReasonLateShipment, 1},
	{"没发出", refundbot.ReasonLateShipment, 3}, {"还没发", refundbot.ReasonLateShipment, 3}, {"没给我发", refundbot.ReasonLateShipment, 3},
	{"不给发", refundbot.ReasonLateShipment, 3}, {"没寄出", refundbot.ReasonLateShipment, 3}, {"还没寄", refundbot.ReasonLateShipment, 2},
	{"not shipped", refundbot.ReasonLateShipment, 3},

	// service: the merchant's service, installation, promised extras
	{"态度差", refundbot.ReasonService, 3}, {"态度不好", refundbot.ReasonService, 3}, {"态度恶劣", refundbot.ReasonService, 3},
	{"态度", refundbot.ReasonService, 2}, {"服务差", refundbot.ReasonService, 3}, {"服务不好", refundbot.ReasonService, 3},
	{"服务", refundbot.ReasonService, 2}, {"骂人", refundbot.ReasonService, 3}, {"骂我", refundbot.ReasonService, 3},
	{"安装", refundbot.ReasonService, 2}, {"师傅", refundbot.ReasonService, 2}, {"上门", refundbot.ReasonService, 1},
	{"不来", refundbot.ReasonService, 1}, {"赠品", refundbot.ReasonService, 2}, {"保修卡", refundbot.ReasonService, 1},
	{"承诺", refundbot.ReasonService, 2}, {"售后差", refundbot.ReasonService, 3}, {"敷衍", refundbot.ReasonService, 2},
	{"不耐烦", refundbot.ReasonService, 3}, {"爱答不理", refundbot.ReasonService, 2}, {"客服也不回", refundbot.ReasonService, 0},

	// price
	{"降价", refundbot.ReasonPrice, 3}, {"降了", refundbot.ReasonPrice, 3}, {"差价", refundbot.ReasonPrice, 3},
	{"便宜", refundbot.ReasonPrice, 2}, {"价格欺诈", refundbot.ReasonPrice, 4}, {"价保", refundbot.ReasonPrice, 3},
	{"保价", refundbot.ReasonPrice, 3}, {"买贵了", refundbot.ReasonPrice, 3}, {"贵了", refundbot.ReasonPrice, 2},
	{"多收", refundbot.ReasonPrice, 3}, {"多扣", refundbot.ReasonPrice, 3}, {"乱收费", refundbot.ReasonPrice, 3},
	{"价格不一样", refundbot.ReasonPrice, 3}, {"优惠没", refundbot.ReasonPrice, 2}, {"券没用上", refundbot.ReasonPrice, 3},
	{"比我买的", refundbot.ReasonPrice, 2}, {"价格", refundbot.ReasonPrice, 1}, {"降到", refundbot.ReasonPrice, 2},

	// other, when the buyer says so
	{"其他原因", refundbot.ReasonOther, 4}, {"其它原因", refundbot.ReasonOther, 4}, {"别的原因", refundbot.ReasonOther, 4},
}

// Phrases that deny a fault: removed before reason matching so "衣服没问题"
// does not read as a quality complaint.
var reasonNegations = []string{"没问题", "没有问题", "没有质量问题", "没质量问题", "无质量问题", "不是质量问题", "质量没问题", "质量还行", "质量挺好", "质量不错",
	"没坏", "没有坏", "不是坏", "没破", "没有破损", "没碎", "收到了", "已收到", "收到货了"}

// reasonPriority breaks ties: the more specific cause first.
var reasonPriority = []refundbot.Reason{refundbot.ReasonDamaged, refundbot.ReasonWrongItem,
	refundbot.ReasonNotReceived, refundbot.ReasonLateShipment, refundbot.ReasonNotAsDescribed,
	refundbot.ReasonPrice, refundbot.ReasonService, refundbot.ReasonQuality, refundbot.ReasonNoReason,
	refundbot.ReasonOther}

// Refund types. Exchange is checked first, then refund only, then return:
// "不用退货" contains "退货" and must read as refund only.
var (
	exchangeWords = []string{"换货", "换一个", "换一件", "换一双", "换一台", "换个", "换成", "调换", "更换", "换新",
		"能换吗", "可以换吗", "换码", "换尺码", "换颜色", "给我换", "帮我换", "换吗", "换一下", "换下", "exchange", "换一换",
		"换一条", "换一套", "换号", "换大", "换小", "能换不", "换不换"}
	refundOnlyWords = []string{"仅退款", "只退款", "只退钱", "退钱就行", "退钱就好", "退钱就可以", "只要退钱", "不用退货",
		"不退货", "无需退货", "不需要退货", "不用寄回", "不寄回", "不用寄", "仅退", "refund only", "refundonly", "只要钱",
		"不用退回", "钱退我就行", "不要货了", "货不要了"}
	returnWords = []string{"退货退款", "退货", "寄回", "退回去", "寄回去", "把东西退", "东西退回", "退回给", "return",
		"退货款", "退退货", "寄给你们", "寄还"}
	// money back without a return: with late_shipment or not_received it
	// means refund only (nothing to send back).
	moneyBackWords = []string{"退钱", "退款", "退我钱", "把钱退", "钱退"}
	// missing pieces: refunding their money means refund only
	missingWords = []string{"少发", "漏发", "少了一", "少一件", "少一个", "只收到", "缺件"}
)

// Intent vocabularies.
var (
	humanWords = []string{"人工", "真人", "活人", "转客服", "找客服", "联系客服", "叫客服", "客服电话", "打电话给我",
		"给我打电话", "回电话", "来电话", "打个电话", "来个人", "叫个人", "找个人", "叫人来", "换个人", "有人工",
		"不要机器人", "别让机器人", "不跟机器人", "不和机器人", "机器人别", "别回了", "机器人闭嘴", "不想和机器人", "不想跟机器人", "是机器人", "机器人回", "跟机器人", "和机器人", "机器人客服", "机器人吧", "rengong", "zhuanrengong", "human",
		"real person", "realperson", "agent", "客服在吗", "客服在不在", "有客服吗", "客服呢", "找你们老板",
		"找老板", "叫老板", "店长", "经理", "主管", "人呢", "说人话", "跟人说", "和人说", "跟人聊", "找人工", "要人工", "人说话", "接通人工", "听不懂人话", "打电话", "电话联系"}
	// Explicit asks for the platform or an authority.
	escalateWords = []string{"投诉", "12315", "介入", "维权", "消协", "消费者协会", "工商", "市场监管", "举报",
		"曝光", "起诉", "报警", "律师", "法院", "告你们", "申诉", "仲裁", "让平台", "找平台", "平台来", "平台判",
		"平台处理", "平台评理", "官方处理", "小二", "黑猫", "315", "complain"}
	// The merchant refused: the buyer wants someone above them.
	rejectedWords = []string{"拒绝", "被拒", "驳回", "不同意退", "不给退", "不让退", "不给我退", "不给办", "拒了",
		"拒退", "不予退", "不通过"}
	// The merchant ignores the buyer.
	ignoredWords = []string{"不理", "不回消息", "不回复", "没人回", "没人理", "不搭理", "已读不回", "联系不上",
		"找不到人", "不回我", "也不回", "装死", "不处理", "没回复", "没有回复", "没回", "不回", "没理", "不吭声"}
	cancelWords = []string{"不退了", "不退款了", "不想退了", "不要退了", "不用退了", "不退货了", "不换了", "不申请了",
		"撤销", "撤回", "取消退款", "取消售后", "取消申请", "取消刚才", "取消退货", "取消换货", "取消掉", "东西我留着",
		"我留着", "留着吧", "留着用", "留下了", "算了不退", "关闭退款", "关闭售后", "不用退款了", "不想换了",
		"cancel", "退款取消", "售后取消", "换货取消", "退货取消", "申请撤了", "撤了吧", "不要退款了", "不用退款了吧", "先不退", "暂时不退", "还是不退", "自己留着", "又能用了", "好了不用", "不需要退了"}
	cancelWeakWords = []string{"算了", "不用了", "取消"}

	// A question about one's own after-sale case.
	statusWords = []string{"进度", "到哪一步", "到哪步", "处理得怎么样", "处理的怎么样", "处理的咋样", "处理得咋样",
		"怎么样了", "咋样了", "审核", "同意了吗", "同意了没", "同意没", "同意退款了吗", "同意了么", "还没到账",
		"没到账", "到账了吗", "到账没", "到账了没", "怎么还没", "为什么还没", "咋还没", "还没退", "还没处理", "退了吗",
		"退了没", "退款呢", "钱呢", "收到没", "收到了没", "收到了吗", "查一下", "查下", "查查", "帮我查", "状态",
		"有结果", "结果出来", "结果呢", "结果怎么样", "成功了吗", "成功没", "好了没", "办好了吗", "处理了吗", "处理了没", "有消息吗", "有回复吗", "怎么没动静",
		"什么情况", "啥情况", "退款到哪", "钱到哪", "退到哪一步", "退款在哪", "到账", "退回来", "status", "还要等", "要等多久", "处理好了吗", "通过了吗", "通过没",
		"进展", "受理", "处理中", "审核中", "退款中", "还在处理", "还在审核", "查询", "查退款", "查看退款", "查看进度", "退款还没", "钱还没", "还没收到退款", "还没收到钱",
		"退款没到", "钱没到", "到账没有", "退了没有", "到了没有", "还没到账", "怎么还不", "回复了吗", "看到了吗", "操作了吗", "批了吗", "怎么还不退", "还不退"}
	// Marks that the buyer talks about a case already filed.
	ownCaseWords = []string{"我的退款", "我的售后", "我的申请", "我申请", "我都申请", "申请了", "已经申请", "提交了",
		"已经提交", "已经同意", "商家同意了", "同意退款了", "同意了退款", "等了", "都好几天", "好几天了", "一周了", "一个星期了", "半个月了", "这单的退款", "我的钱",
		"我退货", "我那个退款", "我的退货", "申请好几天", "我提交", "我的换货", "申请的退款", "申请三天", "申请两天",
		"申请一周", "多天了", "星期了", "礼拜了"}
	// Marks that the buyer talks about a particular item they hold.
	thisItemWords = []string{"这个", "这件", "这单", "这双", "这款", "这条", "这台", "这瓶", "这盒", "这些", "我买的",
		"我刚买", "我收到", "收到的", "我这", "我家", "我的东西", "我的衣服", "我的鞋", "我这个", "刚收到", "这东西",
		"这玩意", "这套", "这把", "这只", "这张", "这副", "这袋"}

	// Policy questions: answered from the knowledge base whoever asks,
	// unless the buyer speaks of their own case.
	faqPolicyWords = []string{"一般", "多久", "多长时间", "几天能", "几天到", "几天会", "几个工作日", "工作日",
		"谁出", "谁承担", "谁付", "谁负责", "从哪天", "怎么算", "哪天开始", "会不会影响", "影响账号", "影响信用",
		"会怎样", "会怎么样", "退到哪", "退回哪", "退去哪", "退哪", "原路", "退到银行卡", "退到零钱", "规则", "政策",
		"运费险", "付运费", "运费吗", "要运费", "运费怎么", "运费是", "包运费", "有价保", "价保吗", "保价吗",
		"零钱", "银行卡", "支付宝", "原账户", "退回到", "会退到", "会退回", "为什么退款金额", "金额比", "为什么少", "为啥少", "扣了", "手续费", "是不是都", "哪些不能", "哪些可以", "什么条件", "有什么要求", "需要满足", "条件是", "需要拍", "需要提供", "需不需要",
		"要不要拍", "要照片吗", "要不要寄回", "需要寄回吗",
		"什么情况下", "什么样的", "有没有七天", "支持七天", "支持无理由", "可以退几次", "几次", "算不算", "期限",
		"多少天内", "几天内", "时效", "保质期内", "过了七天", "超过七天", "能退多少", "部分退款", "花呗", "信用卡"}
	// How-to questions: FAQ unless the buyer is asking to start their own.
	faqHowWords = []string{"怎么申请", "如何申请", "怎么退", "如何退", "怎么换", "如何换", "怎么操作", "如何操作",
		"怎么弄", "流程", "需要什么", "需要准备", "准备什么", "什么材料", "哪些材料", "还能怎么办", "能怎么办",
		"怎么办", "咋办", "要怎么", "该怎么", "怎样申请", "在哪申请", "在哪里申请", "入口", "步骤", "怎么让",
		"如何让", "怎么撤销", "如何撤销", "怎么查", "如何查", "在哪查", "哪里查", "在哪看", "哪里看", "怎么取消", "如何取消", "怎么撤回", "怎样", "如何", "怎么才能", "怎么才可以", "怎么找平台", "怎么联系平台", "how to", "how do", "howto", "怎么寄", "寄到哪", "寄回哪"}
	// Can this kind of goods be refunded? Policy, unless a fault or a
	// particular item is named.
	canRefundWords = []string{"能退吗", "可以退吗", "能退不", "能不能退", "可不可以退", "可以退不", "还能退", "能退么",
		"可退吗", "支持退", "能换吗", "可以换吗", "能退货吗", "能退款吗", "可以退货吗", "可以退款吗", "能换货吗",
		"包退吗", "包换吗", "退不退", "给退吗", "能不能换", "可以换货吗", "能退换吗", "可以退换吗", "允许退",
		"能申请退", "可以申请退", "还可以退", "也能退", "也可以退", "能不能申请",
		"可以再申请", "还能申请", "能再申请", "还可以申请"}
	// Anything about after-sales: a question with one of these is a FAQ.
	domainWords = []string{"退", "换货", "售后", "运费", "介入", "七天", "7天", "无理由", "签收", "收货", "到账",
		"维修", "保修", "质保", "价保", "赔"}

	refundWords = []string{"退", "换货", "换一", "换个", "换成", "调换", "更换", "售后", "赔", "差价", "refund",
		"return", "money back", "moneyback", "腿款", "推款", "tui款", "tuikuan", "tuihuo", "huanhuo", "退kuan",
		"取消订单", "不要了", "换吗", "换一下", "能换", "可以换", "补偿"}
	// The buyer asks for their money now (not only mentions a refund).
	refundAskWords = []string{"退钱", "要退", "想退", "退吧", "给我退", "帮我退", "我要退", "申请退款", "退了吧",
		"仅退款", "退货退款", "退款!", "赶紧退", "快退", "马上退", "必须退"}
	// Words that turn a "no longer return" into a change of type.
	typeSwitchWords = []string{"改成", "改为", "仅退款", "只退款", "直接退款", "换成", "换货吧", "只退钱"}
	// Questions about the buyer's own money once the merchant agreed; a
	// FAQ without a sign of the buyer's own case.
	statusWeakWords = []string{"什么时候到账", "啥时候到账", "钱啥时候", "钱什么时候", "什么时候退", "啥时候退",
		"多久到账", "多久能到", "几天到账", "什么时候能到", "啥时候到", "下来", "什么时候好", "啥时候好",
		"要等几天", "等几天", "要几天", "几天能到", "几天到", "多少天"}
	// Kinds of goods with their own after-sales rules: "定制的能退吗" asks
	// about the rule, even when it names a fault.
	categoryWords = []string{"定制", "生鲜", "水果", "食品", "贴身", "内衣", "内裤", "袜子", "虚拟", "充值", "特价",
		"清仓", "打折", "拆封", "试用", "化妆品", "海外", "跨境", "预售商品", "个性化", "刻字", "电子产品", "大件",
		"家具", "药品", "图书", "珠宝", "活体", "鲜花", "蛋糕", "卡券"}
	// Words left around a greeting that do not make it a request.
	greetingFiller = []string{"帮助", "帮忙", "解答", "耐心", "回复", "客服", "老板", "你们", "你", "您", "亲", "啦", "了", "哈", "呀", "哦", "的", "大家", "小姐姐", "美女"}
	// A parcel sent back.
	shippedBackWords = []string{"已经寄回", "寄回了", "寄回去了", "寄出了", "已寄出", "已寄回", "发回去了", "寄过去了",
		"退回去了", "已经寄了", "寄了", "发出了", "已发出", "寄走了", "已经发回", "已经退回", "填了单号", "已填写单号",
		"运单号", "快递单号", "物流单号", "退货单号"}
	// Where to send a return: logistics even though it says "退".
	returnAddressWords = []string{"退货地址", "寄到哪", "寄回哪", "寄回地址", "退回地址", "寄到什么地址", "退到哪个地址"}
	// A question about where a parcel is.
	logisticsAskWords = []string{"快递到哪", "物流到哪", "到哪了", "什么时候发货", "发货了吗", "发货没", "几号发",
		"物流信息", "查物流", "查快递", "查一下物流", "用的什么快递", "发的什么快递", "发什么快递", "哪家快递",
		"发了吗", "发了没", "什么时候发", "何时发货", "啥时候发",
		"什么时候到", "啥时候到", "几天到货", "物流单号是多少", "快递单号是多少", "单号多少", "tracking",
		"发货时间", "送到哪", "派送"}

	greetingWords = []string{"你好", "您好", "你们好", "在吗", "在不在", "在嘛", "在么", "有人吗", "有人在吗", "hi",
		"hello", "hey", "哈喽", "哈罗", "嗨", "早上好", "晚上好", "下午好", "中午好", "早安", "晚安", "谢谢", "多谢",
		"感谢", "谢啦", "thx", "thanks", "thank", "辛苦了", "辛苦", "拜拜", "再见", "bye", "好的", "好滴", "ok", "嗯",
		"👋", "🙏", "亲", "亲亲", "麻烦了", "麻烦你", "打扰了", "早", "嘿", "谢", "好", "哦", "噢", "知道了",
		"明白了", "了解", "收到", "嗯嗯", "好嘞", "好哒", "okk", "3q", "感恩", "么么哒", "你好呀", "hello呀", "👌", "👍", "😊"}
	offTopicWords = []string{"优惠券", "优惠卷", "发票", "天气", "新款", "上新", "有货", "库存", "推荐", "怎么买",
		"包邮", "会员", "积分", "直播", "链接", "多少钱", "活动", "折扣", "满减", "改地址", "修改地址", "尺码推荐",
		"什么时候有", "还有吗", "现货", "代理", "批发", "加盟", "招聘", "红包", "抽奖", "签到", "好评返现", "开票",
		"抬头", "收货地址", "几点", "营业", "门店", "实体店", "怎么下单", "能便宜", "便宜点", "砍价", "团购", "拼单", "预约",
		"笑话", "讲个", "你是谁", "你叫什么", "吃饭", "股票", "彩票", "游戏", "电影"}

	angryWords = []string{"垃圾", "骗子", "骗人", "坑人", "坑爹", "黑店", "投诉", "12315", "气死", "什么破",
		"破玩意", "破东西", "妈的", "tmd", "nmd", "卧槽", "尼玛", "滚", "无语", "恶心", "差评", "曝光", "举报",
		"报警", "起诉", "欺诈", "忍无可忍", "太过分", "过分", "什么玩意", "搞什么", "搞什么鬼", "有病", "脑子",
		"去死", "傻逼", "煞笔", "骗", "😡", "🤬", "😤", "💢", "👎", "!!!", "???", "?!", "!?", "火大",
		"生气", "愤怒", "离谱", "太离谱", "服了", "什么态度", "耍我", "忽悠", "必须", "欺负", "wtf", "fuck",
		"damn", "shit", "还不退", "到底", "凭什么", "奸商", "黑心", "气人", "窝火"}

	// Insults aimed at the shop: anger with nothing else said escalates.
	insultWords = []string{"垃圾", "骗子", "骗人", "坑人", "黑店", "奸商", "黑心", "欺诈", "无良", "坑爹", "骗钱"}

	// A yes or no, compared with the whole message once particles and
	// punctuation are trimmed.
	yesWords = map[string]bool{"是": true, "是的": true, "是啊": true, "是呀": true, "对": true, "对的": true,
		"对对": true, "对对对": true, "对啊": true, "对呀": true, "没错": true, "好": true, "好的": true, "好滴": true,
		"好哒": true, "好嘞": true, "嗯": true, "嗯嗯": true, "恩": true, "恩恩": true, "确认": true, "确定": true,
		"可以": true, "行": true, "行的": true, "没问题": true, "提交": true, "提交吧": true, "ok": true, "okay": true,
		"okk": true, "yes": true, "y": true, "👌": true, "👍": true, "同意": true, "就这样": true, "就是": true,
		"确认提交": true, "确认无误": true, "无误": true, "正确": true, "可": true, "要": true, "需要": true,
		"要的": true, "好的提交": true, "是的提交": true, "确认退款": true, "嗯对": true, "对没错": true, "yep": true,
		"yeah": true, "sure": true, "确定提交": true, "没毛病": true, "中": true, "好呀": true, "好啊": true, "是的没错": true,
		"对的没错": true, "没错提交": true, "确认没问题": true, "没问题提交": true, "可以提交": true, "好的确认": true}
	noWords = map[string]bool{"不": true, "不是": true, "不对": true, "否": true, "不要": true, "不用": true,
		"算了": true, "算": true, "搞错": true, "写错": true, "弄错": true, "取消": true, "错了": true, "no": true, "n": true, "nope": true, "不行": true, "不可以": true,
		"有误": true, "不确定": true, "再想想": true, "等等": true, "等一下": true, "不同意": true, "不需要": true,
		"不提交": true, "先不": true, "不了": true, "别": true, "不好": true, "没有": true, "没": true, "错": true,
		"不正确": true, "有错": true, "搞错了": true, "写错了": true}
	// "没有了" and friends: nothing more to add (evidence, description).
	doneWords = []string{"没有了", "没了", "就这些", "没有图", "没图", "跳过", "没有照片", "没照片", "没拍",
		"没有其他", "没别的", "传完了", "发完了", "就这么多", "没有更多", "就这样", "没有别的", "拍不了", "不方便拍",
		"不用了", "不需要了", "没有视频", "好了", "完了", "就这几张", "就这张", "够了", "没有凭证", "无凭证", "skip",
		"done", "that'sall", "没啥了", "没了没了", "不用传", "不传了", "没有图片", "没图片", "没有截图", "没截图"}
	doneBare = map[string]bool{"无": true, "没有": true, "没": true, "不": true, "没得": true, "木有": true, "没呢": true,
		"无图": true, "no": true, "none": true, "没有的": true}
)
