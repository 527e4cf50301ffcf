package persona

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/wechat"
)

// Runner plays personas against a running bot.
type Runner struct {
	// Sim delivers the buyer's messages to the bot's webhook.
	Sim *wechat.Simulator
	// WeChatAPI is the WeChat API sandbox the bot uses: images are
	// uploaded there and late replies read from its mailbox.
	WeChatAPI string
	// PlatformURL and PlatformKey reach the merchant platform, to load the
	// personas' orders (sandbox /sandbox/orders) and read what was filed.
	PlatformURL string
	PlatformKey string
	// MaxTurns bounds one conversation.
	MaxTurns int
	// Plain makes the buyer answer "why?" with the description in their
	// own words instead of naming the reason, as many buyers do.
	Plain bool
	// Vary picks, per persona, one of several ways real buyers answer each
	// question instead of the plainest one.
	Vary bool
	HTTP *http.Client
}

// Outcome is how one persona ended.
type Outcome struct {
	ID         string
	Expect     string
	Got        string // "filed", "refused" or "error"
	OK         bool
	Why        string
	Violations []string // safety: wrong buyer, above paid, twice
	Transcript []string
}

// Report sums outcomes.
type Report struct {
	Outcomes   []Outcome
	OK         int
	Violations int
}

// Rate is the share of personas that ended right.
func (r Report) Rate() float64 {
	if len(r.Outcomes) == 0 {
		return 0
	}
	return float64(r.OK) / float64(len(r.Outcomes))
}

// Run loads the personas' orders into the platform and plays each.
func (r *Runner) Run(ctx context.Context, ps []Persona) (Report, error) {
	if r.MaxTurns == 0 {
		r.MaxTurns = 20
	}
	if r.HTTP == nil {
		r.HTTP = &http.Client{Timeout: 15 * time.Second}
	}
	var orders []refundbot.Order
	for _, p := range ps {
		if p.Order.OrderID != "" {
			orders = append(orders, p.Order)
		}
	}
	if err := r.loadOrders(ctx, orders); err != nil {
		return Report{}, err
	}
	var rep Report
	for _, p := range ps {
		o := r.play(ctx, p)
		if o.OK {
			rep.OK++
		}
		rep.Violations += len(o.Violations)
		rep.Outcomes = append(rep.Outcomes, o)
	}
	return rep, nil
}

// chat is one buyer's side of a conversation.
type chat struct {
	r       *Runner
	p       Persona
	seq     int64
	lines   []string
	lastAsk string
	repeats int
}

func (r *Runner) play(ctx context.Context, p Persona) Outcome {
	c := &chat{r: r, p: p}
	out := Outcome{ID: p.ID, Expect: p.Expect}
	reply, err := c.say(ctx, p.Opening)
	for turn := 0; err == nil && turn < r.MaxTurns; turn++ {
		if strings.Contains(reply, "退款申请已提交") || strings.Contains(reply, "不会重复提交。回复「进度」") {
			break
		}
		ask := question(reply)
		if ask == "" {
			break
		}
		if ask == c.lastAsk {
			c.repeats++
			if c.repeats >= 2 {
				break // the bot keeps refusing the same answer
			}
		} else {
			c.lastAsk, c.repeats = ask, 0
		}
		reply, err = c.answer(ctx, ask)
	}
	out.Transcript = c.lines
	if err != nil {
		out.Got, out.Why = "error", err.Error()
		return out
	}
	r.judge(ctx, p, &out)
	return out
}

// question names what the bot's last message asks for.
func question(reply string) string {
	lines := strings.Split(strings.TrimSpace(reply), "\n")
	last := lines[len(lines)-1]
	switch {
	case strings.Contains(reply, "请确认退款申请") && strings.Contains(last, "确认"):
		return "confirm"
	case strings.Contains(last, "订单号"):
		return "order"
	case strings.Contains(last, "哪种售后"):
		return "type"
	case strings.Contains(last, "退款原因") || strings.Contains(last, "原因说得具体"):
		return "reason"
	case strings.Contains(last, "描述"):
		return "description"
	case strings.Contains(last, "照片") || strings.Contains(last, "截图"):
		return "evidence"
	case strings.Contains(last, "退款金额是多少"):
		return "amount"
	}
	return ""
}

// variants are other ways buyers answer; Vary picks one per persona.
var variants = map[string][]string{
	"confirm":       {"确认", "确认提交", "对的", "没问题", "好的", "是的"},
	"done":          {"没有了", "没了", "就这些", "没有", "发完了", "没有图片"},
	"full":          {"全额", "全部", "全退", "退全款", "全额退款"},
	"refund_only":   {"仅退款", "只退钱", "退款不退货", "仅退款就行"},
	"return_refund": {"退货退款", "退货", "我要退货", "退货退钱"},
	"exchange":      {"换货", "换一个", "我想换货", "换个新的"},
}

// pick returns the plain answer, or with Vary one variant chosen by the
// persona's id so runs repeat.
func (c *chat) pick(kind string) string {
	v := variants[kind]
	if !c.r.Vary {
		return v[0]
	}
	h := 0
	for _, r := range c.p.ID + kind {
		h = h*31 + int(r)
	}
	if h < 0 {
		h = -h
	}
	return v[h%len(v)]
}

func (c *chat) answer(ctx context.Context, ask string) (string, error) {
	f := c.p.Facts
	switch ask {
	case "confirm":
		return c.say(ctx, c.pick("confirm"))
	case "order":
		if f.OrderID == "" {
			return c.say(ctx, "订单号找不到了")
		}
		return c.say(ctx, f.OrderID)
	case "type":
		return c.say(ctx, c.pick(string(f.RefundType)))
	case "reason":
		if c.r.Plain && f.Description != "" {
			return c.say(ctx, f.Description)
		}
		return c.say(ctx, reasonWords[f.Reason])
	case "description":
		return c.say(ctx, f.Description)
	case "evidence":
		var last string
		for i := 0; i < f.EvidenceImages; i++ {
			reply, err := c.image(ctx, i)
			if err != nil {
				return "", err
			}
			last = reply
		}
		_ = last
		return c.say(ctx, c.pick("done"))
	case "amount":
		amt, full, _ := f.AmountFen()
		if full {
			return c.say(ctx, c.pick("full"))
		}
		if c.r.Vary && len(c.p.ID)%2 == 0 {
			return c.say(ctx, "退"+strings.TrimSuffix(amt.Yuan(), ".00")+"块")
		}
		return c.say(ctx, amt.Yuan()+"元")
	}
	return "", fmt.Errorf("no answer for %q", ask)
}

// reasonWords is how a buyer names a reason when asked.
var reasonWords = map[refundbot.Reason]string{
	refundbot.ReasonQuality:        "质量问题",
	refundbot.ReasonNotAsDescribed: "和描述不符",
	refundbot.ReasonNotReceived:    "一直没收到货",
	refundbot.ReasonWrongItem:      "发错货了",
	refundbot.ReasonDamaged:        "收到就是坏的,破损了",
	refundbot.ReasonNoReason:       "不想要了,七天无理由",
	refundbot.ReasonLateShipment:   "一直不发货",
	refundbot.ReasonService:        "客服态度太差",
	refundbot.ReasonPrice:          "买贵了,降价了",
	refundbot.ReasonOther:          "其他原因",
}

func (c *chat) say(ctx context.Context, text string) (string, error) {
	c.lines = append(c.lines, "> "+text)
	return c.push(ctx, wechat.SimMessage{Type: wechat.MsgText, Content: text})
}

func (c *chat) image(ctx context.Context, i int) (string, error) {
	mediaID, err := wechat.UploadMedia(ctx, c.r.HTTP, c.r.WeChatAPI, "", photo(i), fmt.Sprintf("evidence-%d.png", i))
	if err != nil {
		return "", err
	}
	c.lines = append(c.lines, "> [图片]")
	return c.push(ctx, wechat.SimMessage{Type: wechat.MsgImage, MediaID: mediaID})
}

// push sends one message and returns what the buyer reads: the passive
// reply, or the customer-service messages when the bot answered late.
func (c *chat) push(ctx context.Context, m wechat.SimMessage) (string, error) {
	rep, err := c.r.Sim.Send(ctx, c.p.OpenID, m)
	if err != nil {
		return "", err
	}
	text := rep.Text
	if rep.Passive == nil {
		text, err = c.mailbox(ctx)
		if err != nil {
			return "", err
		}
	}
	c.lines = append(c.lines, "< "+text)
	return text, nil
}

func (c *chat) mailbox(ctx context.Context) (string, error) {
	u := strings.TrimSuffix(c.r.WeChatAPI, "/") + "/sandbox/mailbox?" + url.Values{
		"openid": {c.p.OpenID}, "after": {fmt.Sprint(c.seq)}, "wait": {"10"},
	}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", err
	}
	resp, err := c.r.HTTP.Do(req)
	if err != nil {
		return "", fmt.Errorf("mailbox: %w", err)
	}
	defer resp.Body.Close()
	var box struct {
		Messages []struct {
			Seq  int64  `json:"seq"`
			Text string `json:"text"`
		} `json:"messages"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&box); err != nil {
		return "", fmt.Errorf("mailbox: %w", err)
	}
	var texts []string
	for _, m := range box.Messages {
		c.seq = max(c.seq, m.Seq)
		texts = append(texts, m.Text)
	}
	return strings.Join(texts, "\n"), nil
}

// photo makes a small distinct PNG per index, as a buyer's photo stand-in.
func photo(i int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for x := 0; x < 16; x++ {
		for y := 0; y < 16; y++ {
			img.Set(x, y, color.RGBA{uint8(i * 40), uint8(x * 16), uint8(y * 16), 255})
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}
