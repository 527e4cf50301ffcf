package wechat

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/refundbot/refundbot"
)

// Message types WeChat pushes.
const (
	MsgText       = "text"
	MsgImage      = "image"
	MsgVoice      = "voice"
	MsgVideo      = "video"
	MsgShortVideo = "shortvideo"
	MsgEvent      = "event"
	// MsgTransfer is the passive reply that hands the chat to WeChat's own
	// customer service.
	MsgTransfer = "transfer_customer_service"
)

// Message is one push from WeChat to the official account, verified and
// decrypted. Fields a message type does not carry are empty.
type Message struct {
	FromUser    string // the buyer's openid
	ToUser      string // the account's original id (gh_...)
	CreateTime  time.Time
	MsgType     string
	MsgID       string // decimal; empty for events
	Content     string // text
	MediaID     string // image, voice, video
	PicURL      string // image
	Recognition string // voice, when speech recognition is on
	Format      string // voice: amr, speex
	Event       string // event: subscribe, unsubscribe, CLICK, VIEW, ...
	EventKey    string // event: the menu key for CLICK
}

// Inbound converts the message into the bot's vocabulary. Voice becomes
// text (empty when WeChat recognised nothing); types the bot does not read,
// such as location or link, become text with nothing in it so the bot can
// say it did not understand.
func (m *Message) Inbound() refundbot.Inbound {
	in := refundbot.Inbound{
		Buyer: refundbot.BuyerID(m.FromUser),
		MsgID: m.MsgID,
		At:    m.CreateTime,
		Kind:  refundbot.InboundText,
	}
	switch m.MsgType {
	case MsgText:
		in.Text = m.Content
	case MsgVoice:
		in.Text = m.Recognition
	case MsgImage:
		in.Kind, in.MediaID = refundbot.InboundImage, m.MediaID
	case MsgVideo, MsgShortVideo:
		in.Kind, in.MediaID = refundbot.InboundVideo, m.MediaID
	case MsgEvent:
		in.Kind, in.Event, in.EventKey = refundbot.InboundEvent, m.Event, m.EventKey
	}
	return in
}

// DedupeKey identifies the message across WeChat's retries: WeChat pushes
// the same message up to three times when the bot is slow. Messages carry
// MsgId; events do not, so their sender, time and event name stand in.
func (m *Message) DedupeKey() string {
	if m.MsgType != MsgEvent && m.MsgID != "" {
		return m.FromUser + ":" + m.MsgID
	}
	return m.FromUser + ":" + strconv.FormatInt(m.CreateTime.Unix(), 10) + ":" + m.Event
}

// wireMessage is the XML WeChat sends, and the passive reply the bot sends
// back (TransInfo), so that Webhook and Simulator read the same shape.
type wireMessage struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   string   `xml:"ToUserName"`
	FromUserName string   `xml:"FromUserName"`
	CreateTime   string   `xml:"CreateTime"`
	MsgType      string   `xml:"MsgType"`
	MsgID        string   `xml:"MsgId"`
	Content      string   `xml:"Content"`
	MediaID      string   `xml:"MediaId"`
	PicURL       string   `xml:"PicUrl"`
	Recognition  string   `xml:"Recognition"`
	Format       string   `xml:"Format"`
	Event        string   `xml:"Event"`
	EventKey     string   `xml:"EventKey"`
	KfAccount    string   `xml:"TransInfo>KfAccount"`
}

// maxFieldBytes bounds each text field: WeChat's own limits are far lower
// (2048 bytes for text), so anything longer is not from WeChat.
const maxFieldBytes = 16 << 10

// decodeWire parses one WeChat XML document. Go's encoding/xml expands no
// entities (a DOCTYPE is skipped and an undefined entity is an error) and
// caps nesting depth, so hostile documents fail instead of growing.
func decodeWire(b []byte) (*wireMessage, error) {
	var w wireMessage
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	if err := d.Decode(&w); err != nil {
		return nil, fmt.Errorf("decode xml: %w", err)
	}
	for _, f := range []string{w.ToUserName, w.FromUserName, w.MsgType, w.MsgID, w.Content,
		w.MediaID, w.PicURL, w.Recognition, w.Format, w.Event, w.EventKey, w.KfAccount} {
		if len(f) > maxFieldBytes {
			return nil, fmt.Errorf("field of %d bytes", len(f))
		}
	}
	return &w, nil
}

// message checks the fields every push carries and converts.
func (w *wireMessage) message() (*Message, error) {
	if w.FromUserName == "" || w.ToUserName == "" || w.MsgType == "" {
		return nil, fmt.Errorf("missing ToUserName, FromUserName or MsgType")
	}
	ts, err := strconv.ParseInt(strings.TrimSpace(w.CreateTime), 10, 64)
	if err != nil || ts < 0 {
		return nil, fmt.Errorf("bad CreateTime %q", w.CreateTime)
	}
	id := strings.TrimSpace(w.MsgID)
	if id != "" {
		if _, err := strconv.ParseUint(id, 10, 64); err != nil {
			return nil, fmt.Errorf("bad MsgId %q", id)
		}
	}
	if w.MsgType != MsgEvent && id == "" {
		return nil, fmt.Errorf("message without MsgId")
	}
	return &Message{
		FromUser:    w.FromUserName,
		ToUser:      w.ToUserName,
		CreateTime:  time.Unix(ts, 0),
		MsgType:     w.MsgType,
		MsgID:       id,
		Content:     w.Content,
		MediaID:     w.MediaID,
		PicURL:      w.PicURL,
		Recognition: w.Recognition,
		Format:      w.Format,
		Event:       w.Event,
		EventKey:    w.EventKey,
	}, nil
}
