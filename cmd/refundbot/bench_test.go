package main

import (
	"context"
	"fmt"
	"log/slog"
	"testing"

	"github.com/refundbot/refundbot/wechat"
)

// BenchmarkWebhookTurn measures one buyer message end to end: signed push
// over HTTP, verify, dedupe, lock, classify, session load and store,
// passive reply. Each iteration is a new buyer asking about refund time.
func BenchmarkWebhookTurn(b *testing.B) {
	for _, mode := range []struct{ name, key string }{{"plaintext", ""}, {"safe", testAESKey}} {
		b.Run(mode.name, func(b *testing.B) {
			env := map[string]string{"LISTEN_ADDR": "127.0.0.1:0", "WECHAT_ENCODING_AES_KEY": mode.key, "LOG_LEVEL": "error"}
			cfg, err := LoadConfig(func(k string) string { return env[k] })
			if err != nil {
				b.Fatal(err)
			}
			m := &Main{Config: cfg, Logger: slog.New(slog.DiscardHandler)}
			if err := m.Run(context.Background()); err != nil {
				b.Fatal(err)
			}
			defer m.Close(context.Background())
			sim := &wechat.Simulator{BotURL: m.URL + "/wechat", Token: cfg.WeChatToken, EncodingAESKey: mode.key, AppID: cfg.WeChatAppID}
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				rep, err := sim.Send(ctx, fmt.Sprintf("o_bench_%d", i), wechat.SimMessage{Type: wechat.MsgText, Content: "退款一般多久到账?"})
				if err != nil || rep.Text == "" {
					b.Fatalf("turn %d: %v %+v", i, err, rep)
				}
			}
		})
	}
}
