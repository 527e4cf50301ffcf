package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/platform/sandbox"
	"github.com/refundbot/refundbot/wechat"
)

// chat plays WeChat's servers for one buyer in the terminal: each line is
// pushed to the bot's webhook signed (and encrypted in safe mode) as WeChat
// would, and the buyer sees both passive replies and customer-service
// messages, which it reads from the WeChat sandbox's mailbox.
func chat(ctx context.Context, args []string) error {
	cfg, err := LoadConfig(os.Getenv)
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	botURL := fs.String("url", "http://127.0.0.1"+portOf(cfg.ListenAddr), "the bot's base URL")
	openid := fs.String("openid", sandbox.DemoBuyer, "the buyer's openid (the demo orders belong to "+sandbox.DemoBuyer+")")
	apiBase := fs.String("wechat-api", "", "WeChat API sandbox (default: the bot's embedded one)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	base := strings.TrimSuffix(*botURL, "/")
	if *apiBase == "" {
		*apiBase = base + wechatMount
	}
	sim := &wechat.Simulator{BotURL: base + "/wechat", Token: cfg.WeChatToken, EncodingAESKey: cfg.WeChatAESKey, AppID: cfg.WeChatAppID}
	return runChat(ctx, sim, *apiBase, *openid, os.Stdin, os.Stdout)
}

const chatHelp = `输入文字发给机器人。命令:
  /img 文件路径     发送图片(jpg/png)
  /click KEY        点击菜单(REFUND 申请退款, PROGRESS 查进度, HUMAN 转人工)
  /subscribe        关注公众号
  /quit             退出
`

func runChat(ctx context.Context, sim *wechat.Simulator, apiBase, openid string, in io.Reader, out io.Writer) error {
	var mu sync.Mutex
	print := func(format string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(out, format, a...)
	}
	print("以买家 %s 的身份连接 %s\n%s", openid, sim.BotURL, chatHelp)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go watchMailbox(ctx, apiBase, openid, func(text string) { print("机器人(客服消息): %s\n> ", text) })

	sc := bufio.NewScanner(in)
	print("> ")
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		var msg wechat.SimMessage
		switch {
		case line == "":
			print("> ")
			continue
		case line == "/quit":
			return nil
		case line == "/subscribe":
			msg = wechat.SimMessage{Type: wechat.MsgEvent, Event: refundbot.EventSubscribe}
		case strings.HasPrefix(line, "/click "):
			msg = wechat.SimMessage{Type: wechat.MsgEvent, Event: refundbot.EventClick, EventKey: strings.TrimSpace(line[7:])}
		case strings.HasPrefix(line, "/img "):
			data, err := os.ReadFile(strings.TrimSpace(line[5:]))
			if err != nil {
				print("读取图片失败: %v\n> ", err)
				continue
			}
			id, err := wechat.UploadMedia(ctx, nil, apiBase, "", data, "photo.jpg")
			if err != nil {
				print("上传图片失败: %v\n> ", err)
				continue
			}
			msg = wechat.SimMessage{Type: wechat.MsgImage, MediaID: id}
		default:
			msg = wechat.SimMessage{Type: wechat.MsgText, Content: line}
		}
		rep, err := sim.Send(ctx, openid, msg)
		switch {
		case err != nil:
			print("发送失败: %v\n", err)
		case rep.Transfer:
			print("机器人: [已转接微信客服]\n")
		case rep.Text != "":
			print("机器人: %s\n", rep.Text)
		}
		print("> ")
	}
	return sc.Err()
}

// watchMailbox long-polls the WeChat sandbox for messages the bot sent
// through the customer-service API (late replies, agents, notices).
func watchMailbox(ctx context.Context, apiBase, openid string, show func(string)) {
	client := &http.Client{Timeout: 40 * time.Second}
	var after int64
	// Start after what is already there: old messages are not news.
	if msgs, err := fetchMail(ctx, client, apiBase, openid, 0, 0); err == nil {
		for _, m := range msgs {
			after = max(after, m.Seq)
		}
	}
	for ctx.Err() == nil {
		msgs, err := fetchMail(ctx, client, apiBase, openid, after, 25)
		if err != nil {
			select {
			case <-ctx.Done():
				return
			case <-time.After(2 * time.Second):
			}
			continue
		}
		for _, m := range msgs {
			after = max(after, m.Seq)
			show(m.Text)
		}
	}
}

type mail struct {
	Seq  int64  `json:"seq"`
	Text string `json:"text"`
}

func fetchMail(ctx context.Context, client *http.Client, apiBase, openid string, after int64, wait int) ([]mail, error) {
	u := strings.TrimSuffix(apiBase, "/") + "/sandbox/mailbox?" + url.Values{
		"openid": {openid}, "after": {fmt.Sprint(after)}, "wait": {fmt.Sprint(wait)},
	}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("mailbox: HTTP %d", resp.StatusCode)
	}
	var box struct {
		Messages []mail `json:"messages"`
	}
	return box.Messages, json.NewDecoder(resp.Body).Decode(&box)
}

func portOf(addr string) string {
	if i := strings.LastIndex(addr, ":"); i >= 0 {
		return addr[i:]
	}
	return ":8080"
}
