package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/refundbot/refundbot"
)

// Every sentence a buyer reads is here, so the voice stays one voice and a
// translation is one file.

const (
	textWelcome = "您好,欢迎关注!我是售后小助手,可以帮您:\n" +
		"1. 申请退款/退货/换货:回复「退款」或直接发订单号和问题\n" +
		"2. 查询退款进度:回复「进度」\n" +
		"3. 寄回商品后提交快递单号\n" +
		"4. 售后问题咨询,如「退款多久到账」\n" +
		"5. 转人工客服:回复「人工」"
	textGreeting  = "您好,我是售后小助手。需要退款、查进度还是咨询问题?直接告诉我就行,比如「订单3712…… 杯子碎了要退货退款」。"
	textOffTopic  = "抱歉,这个问题我暂时帮不上忙,我主要负责退款售后。需要申请退款、查询进度或转人工,直接告诉我就好。"
	textNotSure   = "抱歉,这个问题我不太确定,怕答错误导您。您可以换个说法,或回复「人工」让客服为您解答。"
	textResume    = "——"
	textDidNotGet = "抱歉,我没太明白。"

	textAskOrder       = "请发送要退款的订单号(在订单详情页可以复制,例如 3712345678901234567)。"
	textNoOrderID      = "没有识别到订单号。订单号一般是19位数字,或以字母开头的一串编号,注意不是快递单号哦。"
	textAskReason      = "请问退款原因是什么?例如:质量问题、商品破损、发错货、与描述不符、没收到货、发货太慢、不想要了(七天无理由)。"
	textReasonUnclear  = "我没能确定退款原因,能说得具体一点吗?"
	textAskDescription = "请简单描述一下问题(例如哪里坏了、和描述哪里不一样),方便商家尽快处理。"
	textAskConfirm     = "确认无误请回复「确认」提交;需要修改直接告诉我,比如「金额改成50元」「改成仅退款」;回复「取消」放弃申请。"
	textWhatToChange   = "好的,请告诉我要修改的内容,比如「订单号是……」「改成退货退款」「金额50元」;回复「取消」放弃申请。"

	textDraftCancelled = "好的,已取消本次退款申请,没有提交任何内容。需要时随时找我。"
	textRefusedNext    = "如有疑问可回复「人工」联系客服。"

	textPlatformBusy = "抱歉,商家系统暂时繁忙,请稍后再试一次。"
	textFilingRetry  = "提交时商家系统没有及时响应,申请可能还没提交成功。请稍后回复「确认」再试一次,不会重复提交。"

	textOrderUnpaid   = "这个订单还没有付款,不需要退款,直接取消订单即可。"
	textOrderClosed   = "这个订单已关闭,无法再申请退款。如有疑问可回复「人工」。"
	textNotRefundable = "这个订单里的商品商家标注为不支持售后退款,我无法为您提交。如有质量问题可回复「人工」联系客服处理。"

	textNotShippedRefundOnly       = "订单还没有发货,不需要退货,已为您改为「仅退款」。"
	textNotShippedRefundOnlyAuto   = "订单还没有发货,将为您申请「仅退款」。"
	textNotDeliveredRefundOnly     = "订单还在运输途中,没有签收前只能申请「仅退款」(快递会退回商家),已为您改为仅退款。"
	textNotDeliveredRefundOnlyAuto = "订单还在运输途中,将为您申请「仅退款」,快递会退回商家。"

	textDescriptionAdded = "已补充到问题描述。"
	textExchangeNoAmount = "换货不涉及退款金额,不用填写金额。"
	textAmountInvalid    = "退款金额需要大于0,请输入金额,例如「50」或「49.9」。"

	textEvidenceKept    = "图片已收到,确认订单后会一并提交。"
	textEvidenceAgain   = "换了订单后,之前的照片需要重新发送。"
	textMediaFailed     = "这张图片没能上传成功,请重新发送一次。"
	textMediaRejected   = "这个文件格式或大小不支持(支持10MB以内的jpg、png图片或mp4视频),请换一张。"
	textTooMuchEvidence = "凭证最多9张,已经够了。发完请回复「没有了」。"

	textNoRefunds         = "没有查到您的退款申请。需要申请退款请回复「退款」或直接发订单号。"
	textNoReturnNeeded    = "目前没有需要您寄回商品的退款。商家同意退货后我会把退货地址发给您,再提交快递单号即可。"
	textTrackingMalformed = "这个快递单号格式不太对,请核对后重新发送,例如「顺丰 SF1234567890123」或「中通 78912345678901」。"

	textNothingToCancel = "没有可以撤销的退款申请(已退款、已关闭或平台介入中的申请无法撤销)。"
	textCannotCancel    = "这笔退款当前状态不能撤销了。如有疑问可回复「人工」。"
	textKeepRefund      = "好的,退款申请保持不变,商家处理后我会第一时间通知您。"

	textAskAppeal            = "好的。请说明您的情况(例如商家拒绝的理由哪里不对),也可以发送照片作为补充凭证。说完请回复「提交」。"
	textAppealNoted          = "已记下。还有要补充的可以继续发,说完回复「提交」。"
	textAppealNeedsStatement = "申请平台介入需要先说明一下情况,请简单描述商家拒绝的理由哪里不合理。"
	textNoIntervention       = "好的,暂不申请平台介入。需要时回复「平台介入」即可。"
	textCannotIntervene      = "这笔退款当前状态不能申请平台介入(只有商家拒绝后才可以)。如有疑问可回复「人工」。"

	textHandoffAsked         = "好的,正在为您转接人工客服,客服一般会在几分钟内回复,请稍候。我已把您提供的信息转给客服,不用重复说明。"
	textHandoffMisunderstood = "抱歉,我好像没理解您的意思。已为您转接人工客服,请稍候,客服会接着为您处理。"
	textHandoffAngry         = "非常抱歉给您带来不好的体验。已为您转接人工客服,客服会尽快为您处理,请稍候。"
	textHandoffAmount        = "这笔退款金额较大,需要客服人工审核。已为您转接人工客服,您提供的信息都已转交,请稍候。"
	textHandoffOrder         = "已为您转接人工客服帮您核对订单,请稍候。"
	textHandoffEscalate      = "已为您转接人工客服跟进处理,客服会尽快联系您,请稍候。"
)

// cancelPhrases end a draft whatever the classifier thought: a buyer who
// says "取消" at the summary means it.
var cancelPhrases = []string{"取消", "不退了", "不申请了", "算了不退", "不用退了", "撤销"}

var restartPhrases = []string{"重新开始", "重新申请", "重来", "从头开始", "重新填"}

var orderLabels = []string{"订单号", "订单编号", "订单", "单号"}

func textOutOfHours(start, end int) string {
	return fmt.Sprintf("现在是非工作时间(客服工作时间 %d:00-%d:00),客服上班后会第一时间回复您。", start, end)
}

func textAskType() string {
	return "请问您要申请哪种售后?回复「仅退款」「退货退款」或「换货」。"
}

func textAskEvidence(have int, reason refundbot.Reason) string {
	if have > 0 {
		return fmt.Sprintf("已收到%d张照片。还有请继续发送,没有了请回复「没有了」。", have)
	}
	switch reason {
	case refundbot.ReasonNotReceived, refundbot.ReasonLateShipment, refundbot.ReasonNoReason, refundbot.ReasonPrice:
		return "有相关截图或照片的话请发送(可以多张),没有请回复「没有了」。"
	}
	return "请发送能说明问题的照片作为凭证(可以多张,有凭证商家处理更快),发完或没有请回复「没有了」。"
}

func textAskAmount(paid refundbot.Fen) string {
	return fmt.Sprintf("退款金额是多少?本单实付 %s 元,全额退款请回复「全额」,部分退款请直接输入金额,例如「50」。", paid.Yuan())
}

func textEvidenceNoted(n int) string {
	return fmt.Sprintf("照片已收到(共%d张),会一并提交。", n)
}

func textChanged(what, to string) string {
	return fmt.Sprintf("好的,%s已改为「%s」。", what, to)
}

func textOrderNotFound(id string) string {
	return fmt.Sprintf("没有找到订单 %s 。请核对订单号是否正确,并确认是用当前微信账号下的单。", id)
}

func textOrderFound(o *refundbot.Order) string {
	return fmt.Sprintf("已找到订单:%s,实付 %s 元。", o.Title(), o.PaidAmount.Yuan())
}

func textOutsideWindow(days int, delivered time.Time) string {
	return fmt.Sprintf("这个订单在 %s 签收,已超过签收后%d天的售后期,无法在线申请退款。如商品有严重质量问题,可回复「人工」由客服帮您处理。",
		delivered.In(cst).Format("1月2日"), days)
}

func textNoReasonSpecial(category string) string {
	name := map[string]string{
		refundbot.CategoryCustom:  "定制类商品",
		refundbot.CategoryVirtual: "虚拟商品",
		refundbot.CategoryFresh:   "生鲜类商品",
	}[category]
	return name + "不支持七天无理由退货。如果商品有质量问题、破损、发错货或与描述不符,可以按实际原因申请。"
}

func textNoReasonExpired(days int) string {
	return fmt.Sprintf("已超过签收后%d天,不能再申请七天无理由退货。如果商品有质量问题、破损或与描述不符,可以按实际原因申请。", days)
}

func textAmountTooHigh(asked, paid refundbot.Fen) string {
	return fmt.Sprintf("退款金额不能超过实付金额:您填写的是 %s 元,本单最多可退 %s 元。", asked.Yuan(), paid.Yuan())
}

var cst = time.FixedZone("CST", 8*3600)

func typeName(t refundbot.RefundType) string {
	switch t {
	case refundbot.RefundOnly:
		return "仅退款"
	case refundbot.ReturnRefund:
		return "退货退款"
	case refundbot.Exchange:
		return "换货"
	}
	return string(t)
}

func reasonName(r refundbot.Reason) string {
	switch r {
	case refundbot.ReasonQuality:
		return "质量问题"
	case refundbot.ReasonNotAsDescribed:
		return "与描述不符"
	case refundbot.ReasonNotReceived:
		return "未收到货"
	case refundbot.ReasonWrongItem:
		return "发错货"
	case refundbot.ReasonDamaged:
		return "商品破损"
	case refundbot.ReasonNoReason:
		return "七天无理由"
	case refundbot.ReasonLateShipment:
		return "发货太慢"
	case refundbot.ReasonService:
		return "服务问题"
	case refundbot.ReasonPrice:
		return "价格问题"
	case refundbot.ReasonOther:
		return "其他"
	}
	return string(r)
}

func textSummary(d refundbot.RefundDraft) string {
	var b strings.Builder
	b.WriteString("请确认退款申请:\n")
	fmt.Fprintf(&b, "订单:%s(%s)\n", d.OrderID, d.OrderTitle)
	fmt.Fprintf(&b, "类型:%s\n", typeName(d.Type))
	fmt.Fprintf(&b, "原因:%s\n", reasonName(d.Reason))
	fmt.Fprintf(&b, "描述:%s\n", d.Description)
	fmt.Fprintf(&b, "凭证:%d张\n", len(d.EvidenceIDs))
	if d.Type == refundbot.Exchange {
		b.WriteString("金额:换货不退款")
	} else {
		fmt.Fprintf(&b, "金额:%s 元", d.Amount.Yuan())
	}
	return b.String()
}

func textFiled(r *refundbot.Refund, now time.Time) string {
	return fmt.Sprintf("退款申请已提交,申请编号 %s。\n%s\n商家处理后我会第一时间通知您,也可以随时回复「进度」查询。",
		r.RefundID, nextStep(r, now))
}

func textAlreadyFiled(id string) string {
	if id == "" {
		return "这个订单已经有一笔退款申请在处理中,不会重复提交。回复「进度」可以查看。"
	}
	return fmt.Sprintf("这个订单已经有退款申请 %s 在处理中,不会重复提交。回复「进度」可以查看。", id)
}

func textRefundExists(r *refundbot.Refund, now time.Time) string {
	return fmt.Sprintf("订单 %s 已经有一笔退款申请(%s),当前状态:%s。\n%s",
		r.OrderID, r.RefundID, statusName(r.Status), nextStep(r, now))
}

func textPlatformRefused(code string) string {
	switch code {
	case refundbot.EAMOUNT:
		return "商家平台提示退款金额超过了实付金额,申请没有提交。"
	case refundbot.EOUTSIDEWINDOW:
		return "商家平台提示这个订单已超过售后期,申请没有提交。"
	case refundbot.ENOTREFUNDABLE:
		return "商家平台提示这个订单不支持该售后申请,申请没有提交。"
	case refundbot.ENOTFOUND:
		return "商家平台没有找到这个订单,申请没有提交。"
	}
	return "商家平台没有接受这个申请,申请没有提交。"
}

func statusName(s refundbot.RefundStatus) string {
	switch s {
	case refundbot.StatusPendingMerchant:
		return "待商家处理"
	case refundbot.StatusAwaitingReturn:
		return "商家已同意,待您寄回商品"
	case refundbot.StatusReturnInTransit:
		return "退货运输中"
	case refundbot.StatusRefunding:
		return "退款中"
	case refundbot.StatusRefunded:
		return "已退款"
	case refundbot.StatusRejected:
		return "商家已拒绝"
	case refundbot.StatusUnderIntervention:
		return "平台介入中"
	case refundbot.StatusClosed:
		return "已关闭"
	case refundbot.StatusCancelled:
		return "已撤销"
	}
	return string(s)
}

// nextStep says what happens next and by when, in the platforms' terms.
func nextStep(r *refundbot.Refund, now time.Time) string {
	switch r.Status {
	case refundbot.StatusPendingMerchant:
		by := r.CreatedAt
		if by.IsZero() {
			by = now
		}
		by = by.Add(48 * time.Hour)
		if r.Type == refundbot.RefundOnly {
			return fmt.Sprintf("商家会在48小时内处理(%s前);超时未处理,仅退款申请会自动同意。", by.In(cst).Format("1月2日15:04"))
		}
		return fmt.Sprintf("商家会在48小时内处理(%s前),同意后会告诉您退货地址。", by.In(cst).Format("1月2日15:04"))
	case refundbot.StatusAwaitingReturn:
		s := "请尽快寄回商品,寄出后把快递公司和单号发给我,例如「顺丰 SF1234567890123」。"
		if r.ReturnAddress != nil {
			s = "退货地址:" + r.ReturnAddress.String() + "\n" + s
		}
		return s
	case refundbot.StatusReturnInTransit:
		return "商家收到退货并确认后会退款,一般在签收后48小时内处理。"
	case refundbot.StatusRefunding:
		return "钱会原路退回,一般1-7个工作日到账。"
	case refundbot.StatusRefunded:
		return "钱已原路退回,银行卡可能有1-3个工作日的入账延迟。"
	case refundbot.StatusRejected:
		s := "商家拒绝了申请"
		if r.MerchantNote != "" {
			s += ",理由:" + r.MerchantNote
		}
		return s + "。您可以补充凭证后申请平台介入,回复「平台介入」即可。"
	case refundbot.StatusUnderIntervention:
		return "平台客服会在1-7个工作日内核实处理,请留意通知。"
	case refundbot.StatusCancelled:
		return "申请已撤销,如在售后期内还可以重新申请。"
	}
	return ""
}

func textProgress(rs []*refundbot.Refund, now time.Time) string {
	var b strings.Builder
	b.WriteString("您的退款申请:")
	for i, r := range rs {
		if i == 5 {
			fmt.Fprintf(&b, "\n……还有%d笔较早的申请。", len(rs)-5)
			break
		}
		fmt.Fprintf(&b, "\n%d. %s 订单%s %s %s元:%s", i+1, r.RefundID, r.OrderID, typeName(r.Type), r.Amount.Yuan(), statusName(r.Status))
		if n := nextStep(r, now); n != "" {
			b.WriteString("。" + n)
		}
	}
	return b.String()
}

func textAskTracking(r *refundbot.Refund) string {
	s := "请发送退货的快递公司和单号,例如「顺丰 SF1234567890123」。"
	if r.ReturnAddress != nil {
		s = "退货地址:" + r.ReturnAddress.String() + "\n" + s
	}
	return s
}

func textTrackingSubmitted(r *refundbot.Refund, sh refundbot.Shipment) string {
	return fmt.Sprintf("已提交退货物流:%s %s(申请 %s)。商家签收确认后会退款,钱原路退回,一般1-7个工作日到账。", sh.Carrier, sh.TrackingNo, r.RefundID)
}

func textAskCancel(r *refundbot.Refund) string {
	return fmt.Sprintf("确定要撤销退款申请 %s(订单%s,%s元)吗?撤销后商家将不再处理。回复「确认」撤销,回复「不」保留。", r.RefundID, r.OrderID, r.Amount.Yuan())
}

func textCancelled(r *refundbot.Refund) string {
	return fmt.Sprintf("已撤销退款申请 %s。如在售后期内还可以重新申请。", r.RefundID)
}

func textOfferIntervention(r *refundbot.Refund) string {
	s := fmt.Sprintf("您的退款申请 %s 被商家拒绝了", r.RefundID)
	if r.MerchantNote != "" {
		s += ",商家理由:" + r.MerchantNote
	}
	return s + "。\n如果您认为不合理,可以申请平台介入,平台一般在1-7个工作日内判定。补充清晰的照片(问题部位、外包装、快递面单)、聊天记录会更有帮助。要申请平台介入吗?回复「是」或「不用」。"
}

func textMerchantPending(r *refundbot.Refund, now time.Time) string {
	return fmt.Sprintf("您的退款申请 %s 还在等商家处理。%s如需人工帮助,回复「人工」。", r.RefundID, nextStep(r, now))
}

func textAppealEvidence(n int) string {
	return fmt.Sprintf("已收到第%d张补充凭证。说完请回复「提交」。", n)
}

func textIntervened(r *refundbot.Refund) string {
	return fmt.Sprintf("已为申请 %s 提交平台介入,平台一般在1-7个工作日内核实判定,结果出来我会通知您。", r.RefundID)
}

// textRefundUpdate tells the buyer what changed on their refund and what
// to do next.
func textRefundUpdate(r *refundbot.Refund, now time.Time) string {
	head := fmt.Sprintf("【退款进度】申请 %s(订单%s)状态更新:%s。", r.RefundID, r.OrderID, statusName(r.Status))
	switch r.Status {
	case refundbot.StatusRejected:
		return head + "\n" + nextStep(r, now) + "\n补充问题部位的清晰照片、外包装和快递面单会更有帮助。"
	case refundbot.StatusRefunded:
		return head + fmt.Sprintf("\n%s 元%s", r.Amount.Yuan(), nextStep(r, now))
	}
	return head + "\n" + nextStep(r, now)
}

// joinTexts merges sentences into one message, skipping empty ones.
func joinTexts(texts ...string) string {
	var out []string
	for _, t := range texts {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return strings.Join(out, "\n")
}

const textHandoffTimedOut = "抱歉让您久等了,客服暂时没能接入。我先继续为您服务,需要人工可以稍后再回复「人工」。"

func textRemindMerchantSilent(r *refundbot.Refund) string {
	s := fmt.Sprintf("【退款提醒】您的退款申请 %s(订单%s)商家已超过48小时未处理。", r.RefundID, r.OrderID)
	if r.Type == refundbot.RefundOnly {
		return s + "按平台规则,仅退款申请超时未处理会自动同意,请留意退款到账;如有问题回复「人工」。"
	}
	return s + "平台会督促商家处理;如需帮助可回复「平台介入」或「人工」。"
}

func textRemindNoTracking(r *refundbot.Refund) string {
	s := fmt.Sprintf("【退货提醒】商家已同意您的退货申请 %s,但还没收到您的退货快递单号。", r.RefundID)
	if r.ReturnAddress != nil {
		s += "退货地址:" + r.ReturnAddress.String() + "。"
	}
	return s + "请尽快寄回并把快递公司和单号发给我(例如「顺丰 SF1234567890123」),超时未寄回申请可能会关闭。"
}
