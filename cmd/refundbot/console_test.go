package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/refundbot/refundbot/platform/sandbox"
)

// These tests drive the web console in a real headless Chromium against the
// real program, as an operator or agent would click through it. With
// REFUNDBOT_SCREENSHOTS=/dir they also save a full-page PNG of each page.

const (
	chromiumPath = "/usr/bin/chromium"
	adminToken   = "admin-test-token"
	// stepTimeout bounds one wait; the bot answers within its 4 s passive
	// deadline, so anything slower is a failure, not a slow machine.
	stepTimeout = 15 * time.Second
)

// console is one browser tab on the bot's console.
type console struct {
	t    *testing.T
	ctx  context.Context
	bot  *testBot
	shot string // screenshot directory, "" for none
}

// openConsole starts a fresh Chromium (own profile, no network chatter)
// with one tab; it is closed at cleanup.
func openConsole(t *testing.T, b *testBot) *console {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("chromium is required in CI: %v", err)
		}
		t.Skipf("chromium not installed (%v); apt-get install -y chromium", err)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 860),
	)
	ctx, cancelTab := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	// The first run starts the browser and ties it to the context it gets,
	// so it runs on the tab's own context, not one with a timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	c := &console{t: t, ctx: ctx, bot: b, shot: os.Getenv("REFUNDBOT_SCREENSHOTS")}
	c.do(chromedp.Navigate(b.URL + "/console"))
	c.waitJS("the sign-in form", `!!document.querySelector("#token")`)
	return c
}

// do runs steps in the tab, failing the test on error.
func (c *console) do(steps ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		c.t.Fatalf("browser: %v\npage: %s", err, c.pageText())
	}
}

// eval returns the value of a JavaScript expression.
func eval[T any](c *console, expr string) T {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		c.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitJS waits until expr is true in the page.
func (c *console) waitJS(what, expr string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, stepTimeout)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`!!(`+expr+`)`,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(stepTimeout)))
	if err != nil {
		c.t.Fatalf("waiting for %s: %v\npage: %s", what, err, c.pageText())
	}
}

// waitText waits until the element of sel shows text.
func (c *console) waitText(sel, text string) {
	c.t.Helper()
	c.waitJS(fmt.Sprintf("%s to show %q", sel, text),
		fmt.Sprintf(`(document.querySelector(%s)?.innerText ?? "").includes(%s)`, js(sel), js(text)))
}

func (c *console) pageText() string {
	ctx, cancel := context.WithTimeout(c.ctx, 3*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText + "\nproblems: " + JSON.stringify(window.consoleProblems || [])`))
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	return s
}

// js quotes a Go string as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func (c *console) click(sel string) {
	c.t.Helper()
	c.do(chromedp.Click(chromedp.CSS(sel)))
}

func (c *console) setValue(sel, v string) {
	c.t.Helper()
	c.do(chromedp.SetValue(chromedp.CSS(sel), v))
}

// goTo changes the console's page. A fragment change is not a load, so it
// is done in the page rather than with Navigate (which waits for one).
func (c *console) goTo(hash string) {
	c.t.Helper()
	c.do(chromedp.Evaluate[chromedp.Void](`location.hash = ` + js(hash)))
	c.waitJS("page "+hash, `location.hash === `+js(hash))
}

// screenshot saves a full-page PNG when REFUNDBOT_SCREENSHOTS is set.
func (c *console) screenshot(name string) {
	c.t.Helper()
	if c.shot == "" {
		return
	}
	// Let fonts and the last poll settle so the picture is the page at rest.
	c.do(chromedp.Sleep(300 * time.Millisecond))
	ctx, cancel := context.WithTimeout(c.ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		c.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(c.shot, 0o755); err != nil {
		c.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(c.shot, name+".png"), png, 0o644); err != nil {
		c.t.Fatal(err)
	}
}

// noProblems fails the test when the page logged an uncaught error or a
// CSP violation.
func (c *console) noProblems() {
	c.t.Helper()
	if p := eval[[]string](c, `window.consoleProblems || []`); len(p) > 0 {
		c.t.Errorf("the page had problems: %q", p)
	}
}

func (c *console) signIn(token string) {
	c.t.Helper()
	c.setValue("#token", token)
	c.click("#signin-submit")
	c.waitJS("signed in", `!document.querySelector("#who").hidden && location.hash === "#/queue"`)
}

// say sends text as the buyer in the simulator and waits for the bot's
// answer to be in the chat; want, if set, must be in that answer.
func (c *console) say(text, want string) {
	c.t.Helper()
	before := c.buyerActs(text, func() {
		c.setValue("#sim-text", text)
		c.click("#sim-send")
	})
	if want != "" {
		c.waitJS(fmt.Sprintf("%q in the answer to %q", want, text), fmt.Sprintf(
			`[...document.querySelectorAll("#sim-chat li.from-bot")].slice(%d).some((li) => li.innerText.includes(%s))`, before, js(want)))
	}
}

// buyerActs does what the buyer does in the simulator and waits for the
// bot's answer; it returns how many bot messages the chat held before.
func (c *console) buyerActs(what string, act func()) int {
	c.t.Helper()
	bot := `document.querySelectorAll("#sim-chat li.from-bot:not(.pending)").length`
	before := eval[int](c, bot)
	act()
	c.waitJS(fmt.Sprintf("an answer to %q", what), fmt.Sprintf(
		`%s > %d && !document.querySelector("#sim-chat .pending") && !document.querySelector("#sim-send").disabled`, bot, before))
	return before
}

// apiGet reads the bot's API as the admin, for checks behind the page.
func apiGet(t *testing.T, b *testBot, path string, into any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.URL+"/api/v1"+path, nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		t.Fatal(err)
	}
}

// waitMail waits until the buyer's WeChat mailbox holds a message with text.
func waitMail(t *testing.T, b *testBot, openid, text string) {
	t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for time.Now().Before(deadline) {
		for _, m := range b.WeChatBox.Mailbox(openid, 0) {
			if strings.Contains(m.Text, text) {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("buyer %s never received %q; mailbox: %+v", openid, text, b.WeChatBox.Mailbox(openid, 0))
}

func testPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		img.Set(x, 24, color.RGBA{R: 180, G: 40, B: 40, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestConsoleSignIn(t *testing.T) {
	b := startBot(t, nil)
	c := openConsole(t, b)
	c.screenshot("signin")

	c.setValue("#token", "not-the-token")
	c.click("#signin-submit")
	c.waitText("#signin-error", "令牌无效")

	c.signIn(adminToken)
	c.waitText("#who-name", "admin · 运营")
	c.waitJS("the queue", `!!document.querySelector("#queue-title")`)
	if got := eval[string](c, `sessionStorage.getItem("refundbot.token")`); got != adminToken {
		t.Errorf("token in sessionStorage = %q", got)
	}

	c.click("#signout")
	c.waitJS("the sign-in form", `!!document.querySelector("#token") && document.querySelector("#who").hidden`)
	if got := eval[string](c, `sessionStorage.getItem("refundbot.token") ?? ""`); got != "" {
		t.Errorf("token still stored after sign-out: %q", got)
	}
	c.noProblems()
}

func TestConsoleAnswersWaitingConversation(t *testing.T) {
	b := startBot(t, nil)
	c := openConsole(t, b)
	c.signIn(adminToken)
	buyer := sandbox.DemoBuyer

	// The buyer names the order, then asks for a person.
	c.goTo("#/simulator")
	c.waitJS("the simulator", `document.querySelector("#sim-openid")?.value === `+js(buyer))
	c.say("我要退款", "")
	c.say("3712000000000000001", "")
	c.say("转人工", "人工客服")

	c.goTo("#/queue")
	row := fmt.Sprintf(`tr[data-openid=%s]`, js(buyer))
	c.waitText(row, "3712000000000000001")
	c.waitText(row, "买家要求人工")
	c.waitText("#tab-waiting", "1")
	c.screenshot("queue")

	c.click(row + " a.open-handoff")
	c.waitText("#facts", "3712000000000000001")
	c.waitText("#transcript", "转人工")
	c.waitText("#conv-status", "等待中")

	reply := "您好,我是客服小王,已经看到您的订单,马上为您处理。"
	c.setValue("#reply-text", reply)
	c.click("#reply-send")
	c.waitText("#transcript", reply)
	c.waitText("#conv-status", "处理中")
	waitMail(t, b, buyer, reply)
	c.setValue("#note-text", "买家着急,优先处理")
	c.click("#note-form button[type=submit]")
	c.waitText("#notes", "买家着急")
	c.screenshot("conversation")

	c.click("#btn-release")
	c.waitText("#conv-status", "已结束")
	waitMail(t, b, buyer, "继续为您服务")

	// Back with the bot: it answers the buyer again.
	c.goTo("#/simulator")
	c.waitText("#sim-chat", "您好,我是客服小王")
	c.say("我要退款", "")
	c.noProblems()
}

func TestConsoleKnowledgeEditReachesBuyers(t *testing.T) {
	b := startBot(t, nil)
	c := openConsole(t, b)
	c.signIn(adminToken)
	const id, question = "refund-arrival-time", "退款多久能到账？"
	answer := "【已更新】退款会在商家同意后 3 个工作日内原路退回。"

	c.goTo("#/knowledge")
	entry := fmt.Sprintf(`#kb-list button[data-id=%s]`, js(id))
	c.waitJS("the entry list", `!!document.querySelector(`+js(entry)+`)`)
	c.click(entry)
	c.waitJS("the entry in the form", `document.querySelector("#kb-question").value === `+js(question))
	c.setValue("#kb-answer", answer)
	c.click("#kb-save")
	c.waitText("#toasts", "已保存")
	var saved struct{ Answer string }
	apiGet(t, b, "/knowledge/entries/"+id, &saved)
	if saved.Answer != answer {
		t.Fatalf("saved answer = %q", saved.Answer)
	}

	c.setValue("#kb-test-q", "退款几天能到")
	c.click("#kb-test-form button[type=submit]")
	c.waitText("#kb-decision", id)
	c.screenshot("knowledge")

	c.goTo("#/history")
	c.waitText("#history-table", "修改条目")
	c.screenshot("history")

	c.goTo("#/simulator")
	c.say(question, answer)
	c.noProblems()
}

func TestConsoleSimulatorRefund(t *testing.T) {
	b := startBot(t, nil)
	c := openConsole(t, b)
	c.signIn(adminToken)
	c.goTo("#/simulator")
	c.waitJS("the demo buyer", `document.querySelector("#sim-openid")?.value === `+js(sandbox.DemoBuyer))
	for _, text := range []string{"我要退款", "3712000000000000001", "退货退款", "质量问题", "袖口开线了"} {
		c.say(text, "")
	}
	// A photo of the fault, picked with the file chooser as a person would.
	photo := filepath.Join(t.TempDir(), "sleeve.png")
	if err := os.WriteFile(photo, testPNG(t), 0o644); err != nil {
		t.Fatal(err)
	}
	c.buyerActs("a photo", func() { c.do(chromedp.SetUploadFiles(chromedp.CSS("#sim-image"), []string{photo})) })
	for _, text := range []string{"没有了", "全额"} {
		c.say(text, "")
	}
	c.say("确认", "退款申请已提交")
	c.screenshot("simulator")
	rs := b.Sandbox.Refunds()
	if len(rs) != 1 || rs[0].OrderID != "3712000000000000001" || rs[0].BuyerOpenID != sandbox.DemoBuyer {
		t.Fatalf("sandbox refunds = %+v", rs)
	}
	if len(rs[0].EvidenceIDs) != 1 {
		t.Errorf("refund has %d photos, want the 1 sent from the simulator", len(rs[0].EvidenceIDs))
	}

	// A new buyer starts an empty conversation.
	c.click("#sim-new-buyer")
	c.waitJS("a fresh openid", `document.querySelector("#sim-openid").value.startsWith("o_sim_")`)
	c.waitText("#sim-chat", "还没有消息")
	c.noProblems()
}

func TestConsoleAgentCannotEditKnowledge(t *testing.T) {
	b := startBot(t, map[string]string{"AGENT_TOKENS": "alice:agent-token-1"})
	c := openConsole(t, b)
	c.signIn("agent-token-1")
	c.waitText("#who-name", "alice · 客服")

	c.goTo("#/knowledge")
	const id = "refund-arrival-time"
	entry := fmt.Sprintf(`#kb-list button[data-id=%s]`, js(id))
	c.waitJS("the entry list", `!!document.querySelector(`+js(entry)+`)`)
	c.click(entry)
	c.waitText("#kb-form", "只能查看")
	c.setValue("#kb-answer", "客服想改的答案")
	c.click("#kb-save")
	c.waitJS("the refusal", `!document.querySelector("#kb-form-error").hidden`)
	c.waitText("#kb-form-error", "403")
	c.waitText("#kb-form-error", "没有权限")
	var saved struct{ Answer string }
	apiGet(t, b, "/knowledge/entries/"+id, &saved)
	if strings.Contains(saved.Answer, "客服想改") {
		t.Fatal("an agent changed the knowledge base")
	}
	c.noProblems()
}
