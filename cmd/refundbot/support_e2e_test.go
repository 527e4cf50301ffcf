package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/refundbot/refundbot/internal/redistest"
	"github.com/refundbot/refundbot/platform/sandbox"
	"github.com/refundbot/refundbot/wechat"
)

// api calls the bot's JSON API with a bearer token and decodes the answer.
func (b *testBot) api(t *testing.T, token, method, path string, body, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, b.URL+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		_ = json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

func (b *testBot) say(t *testing.T, aesKey, openid, text string) *wechat.SimReply {
	t.Helper()
	rep, err := b.sim(aesKey).Send(context.Background(), openid, wechat.SimMessage{Type: wechat.MsgText, Content: text})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestHandoffQueue: a buyer asking for a person lands in the queue with
// what the bot collected; the agent's reply reaches the buyer through the
// customer-service API; after release the bot answers again.
func TestHandoffQueue(t *testing.T) {
	b := startBot(t, map[string]string{"AGENT_TOKENS": "alice:agent-token-1"})
	b.say(t, "", sandbox.DemoBuyer, "订单3712000000000000001 衣服开线了 质量问题 退货退款")
	if rep := b.say(t, "", sandbox.DemoBuyer, "转人工"); !strings.Contains(rep.Text, "人工客服") {
		t.Fatalf("handoff reply = %q", rep.Text)
	}
	if rep := b.say(t, "", sandbox.DemoBuyer, "在吗,快点"); rep.Text != "" {
		t.Errorf("bot answered during handoff: %q", rep.Text)
	}
	var list struct {
		Handoffs []struct {
			ID        string `json:"id"`
			OpenID    string `json:"openid"`
			Status    string `json:"status"`
			Collected struct {
				OrderID string `json:"order_id"`
				Type    string `json:"type"`
				Reason  string `json:"reason"`
			} `json:"collected"`
		} `json:"handoffs"`
	}
	if code := b.api(t, "agent-token-1", "GET", "/api/v1/handoffs?status=waiting", nil, &list); code != 200 || len(list.Handoffs) != 1 {
		t.Fatalf("queue: HTTP %d, %+v", code, list)
	}
	h := list.Handoffs[0]
	if h.OpenID != sandbox.DemoBuyer || h.Collected.OrderID != "3712000000000000001" || h.Collected.Type != "return_refund" || h.Collected.Reason != "quality" {
		t.Errorf("handoff = %+v", h)
	}
	var detail struct {
		Transcript []struct{ From, Text string } `json:"transcript"`
	}
	b.api(t, "agent-token-1", "GET", "/api/v1/handoffs/"+h.ID, nil, &detail)
	if len(detail.Transcript) < 4 || detail.Transcript[len(detail.Transcript)-1].Text != "在吗,快点" {
		t.Errorf("transcript = %+v", detail.Transcript)
	}
	if code := b.api(t, "agent-token-1", "POST", "/api/v1/handoffs/"+h.ID+"/reply", map[string]string{"text": "您好,我是客服小王,已看到您的情况"}, nil); code != 200 {
		t.Fatalf("reply: HTTP %d", code)
	}
	found := false
	for _, m := range b.WeChatBox.Mailbox(sandbox.DemoBuyer, 0) {
		found = found || m.Text == "您好,我是客服小王,已看到您的情况"
	}
	if !found {
		t.Errorf("agent reply not sent through the customer-service API")
	}
	if code := b.api(t, "agent-token-1", "POST", "/api/v1/handoffs/"+h.ID+"/release", nil, nil); code != 200 {
		t.Fatalf("release: HTTP %d", code)
	}
	if rep := b.say(t, "", sandbox.DemoBuyer, "我的退款到哪了"); rep.Text == "" {
		t.Errorf("bot silent after release")
	}
}

// TestHandoffWeChatMode replies transfer_customer_service.
func TestHandoffWeChatMode(t *testing.T) {
	b := startBot(t, map[string]string{"HANDOFF_MODE": "wechat", "WECHAT_ENCODING_AES_KEY": testAESKey})
	rep := b.say(t, testAESKey, sandbox.DemoBuyer, "转人工")
	if !rep.Transfer {
		t.Fatalf("reply %+v, want transfer_customer_service", rep)
	}
}

// TestAPIAuth: no token, no access; an agent cannot change knowledge.
func TestAPIAuth(t *testing.T) {
	b := startBot(t, map[string]string{"AGENT_TOKENS": "alice:agent-token-1"})
	entries := map[string]any{"entries": []map[string]any{{"id": "x", "question": "q", "similar": []string{}, "answer": "a", "tags": []string{}}}}
	cases := []struct {
		token, method, path string
		body                any
		want                int
	}{
		{"", "GET", "/api/v1/knowledge", nil, 401},
		{"wrong-token", "GET", "/api/v1/handoffs", nil, 401},
		{"", "POST", "/api/v1/classify", map[string]string{"text": "退款"}, 401},
		{"agent-token-1", "GET", "/api/v1/knowledge", nil, 200},
		{"agent-token-1", "PUT", "/api/v1/knowledge", entries, 403},
		{"agent-token-1", "POST", "/api/v1/knowledge/entries", entries["entries"].([]map[string]any)[0], 403},
		{"agent-token-1", "DELETE", "/api/v1/knowledge/entries/refund-arrival-time", nil, 403},
		{"admin-test-token", "PUT", "/api/v1/knowledge", map[string]any{"entries": []map[string]any{{"id": "Bad Id", "question": "q", "answer": "a"}}}, 422},
		{"admin-test-token", "POST", "/api/v1/classify", map[string]string{"text": "订单3712345678901234567 杯子碎了 要退货退款"}, 200},
	}
	for _, c := range cases {
		var out map[string]any
		if got := b.api(t, c.token, c.method, c.path, c.body, &out); got != c.want {
			t.Errorf("%s %s with %q: HTTP %d, want %d (%v)", c.method, c.path, c.token, got, c.want, out)
		}
		if c.want >= 400 {
			if e, ok := out["error"].(map[string]any); !ok || e["code"] == "" {
				t.Errorf("%s %s: error body %v lacks a code", c.method, c.path, out)
			}
		}
	}
}

// TestKnowledgeEditReachesEveryInstance: two bots share a Redis; an edit
// through one's API changes the other's next answer without a restart.
func TestKnowledgeEditReachesEveryInstance(t *testing.T) {
	env := map[string]string{"REDIS_URL": redistest.URL(t)}
	a, b := startBot(t, env), startBot(t, env)
	var entry map[string]any
	if code := a.api(t, "admin-test-token", "GET", "/api/v1/knowledge/entries/refund-arrival-time", nil, &entry); code != 200 {
		t.Fatalf("default knowledge base has no refund-arrival-time entry (HTTP %d)", code)
	}
	entry["answer"] = "测试答案:退款一般3个工作日内到账。"
	if code := a.api(t, "admin-test-token", "PUT", "/api/v1/knowledge/entries/refund-arrival-time", entry, nil); code != 200 {
		t.Fatalf("update: HTTP %d", code)
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		rep := b.say(t, "", "o_kb_buyer", "退款多久到账?")
		if strings.Contains(rep.Text, "测试答案") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("instance b still answers %q", rep.Text)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
