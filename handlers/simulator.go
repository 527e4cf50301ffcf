package handlers

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/wechat"
)

// The chat simulator: the console's stand-in for a buyer's phone. Messages
// go through the real webhook, signed (and in safe mode encrypted) exactly
// as WeChat would send them, so what an operator tries is what buyers get.
// Replies that come later as customer-service messages are read back from
// the transcript.

const (
	// maxSimImageBytes is WeChat's own limit for an image message.
	maxSimImageBytes = 10 << 20
	// maxSimTextRunes matches the support reply limit: buyers' messages of
	// that size are already far beyond what the bot reads.
	maxSimTextRunes = 600
	// maxSimBodyBytes fits a 10 MiB image as base64 with the JSON around it.
	maxSimBodyBytes = maxSimImageBytes*4/3 + 64<<10
	// simTimeout bounds one push: the webhook answers within WeChat's 5 s.
	simTimeout = 15 * time.Second
	// maxTranscriptLimit is the most lines one transcript read returns.
	maxTranscriptLimit = 200
)

var openIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// simMenuKeys are the menu buttons the official account has.
var simMenuKeys = map[string]bool{refundbot.MenuRefund: true, refundbot.MenuProgress: true, refundbot.MenuHuman: true}

func (s *Server) simulatorRoutes(g *echo.Group) {
	g.GET("/me", s.me)
	g.POST("/simulator/messages", s.simulateMessage)
	g.GET("/conversations/:openid/transcript", s.transcript)
}

// me tells the console who the token belongs to, so it can say what the
// person may do; the server still checks every action.
func (s *Server) me(c echo.Context) error {
	p := principal(c)
	return c.JSON(http.StatusOK, map[string]string{"name": p.Name, "role": string(p.Role)})
}

// simRequest is what the console sends for one buyer action.
type simRequest struct {
	OpenID      string `json:"openid"`
	Type        string `json:"type"` // text, image or event
	Text        string `json:"text"`
	ImageBase64 string `json:"image_base64"`
	Event       string `json:"event"`     // subscribe or CLICK
	EventKey    string `json:"event_key"` // REFUND, PROGRESS or HUMAN for CLICK
}

type simReplyJSON struct {
	// Text is the passive reply; empty when the bot answered "success"
	// and the reply comes as a customer-service message instead.
	Text     string `json:"text"`
	Transfer bool   `json:"transfer"`
}

// simAction is a checked simRequest: the push to make, and for an image
// the bytes to upload first.
type simAction struct {
	openid string
	msg    wechat.SimMessage
	image  []byte
}

// parseSimRequest reads and checks a simulator request body.
func parseSimRequest(body []byte) (simAction, error) {
	var req simRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&req); err != nil {
		return simAction{}, &refundbot.Error{Code: refundbot.EINVALID, Message: "body must be a JSON object", Err: err}
	}
	if !openIDPattern.MatchString(req.OpenID) {
		return simAction{}, refundbot.Errorf(refundbot.EINVALID, "openid must be 1 to 64 letters, digits, _ or -")
	}
	a := simAction{openid: req.OpenID}
	switch req.Type {
	case wechat.MsgText:
		text := strings.TrimSpace(req.Text)
		if text == "" {
			return simAction{}, refundbot.Errorf(refundbot.EINVALID, "text is required")
		}
		if !utf8.ValidString(text) {
			return simAction{}, refundbot.Errorf(refundbot.EINVALID, "text is not valid UTF-8")
		}
		if utf8.RuneCountInString(text) > maxSimTextRunes {
			return simAction{}, refundbot.Errorf(refundbot.EINVALID, "text is longer than %d characters", maxSimTextRunes)
		}
		a.msg = wechat.SimMessage{Type: wechat.MsgText, Content: text}
	case wechat.MsgImage:
		data, err := decodeSimImage(req.ImageBase64)
		if err != nil {
			return simAction{}, err
		}
		a.msg, a.image = wechat.SimMessage{Type: wechat.MsgImage}, data
	case wechat.MsgEvent:
		switch req.Event {
		case refundbot.EventSubscribe:
			if req.EventKey != "" {
				return simAction{}, refundbot.Errorf(refundbot.EINVALID, "subscribe takes no event_key")
			}
		case refundbot.EventClick:
			if !simMenuKeys[req.EventKey] {
				return simAction{}, refundbot.Errorf(refundbot.EINVALID, "event_key must be REFUND, PROGRESS or HUMAN")
			}
		default:
			return simAction{}, refundbot.Errorf(refundbot.EINVALID, "event must be subscribe or CLICK")
		}
		a.msg = wechat.SimMessage{Type: wechat.MsgEvent, Event: req.Event, EventKey: req.EventKey}
	default:
		return simAction{}, refundbot.Errorf(refundbot.EINVALID, "type must be text, image or event")
	}
	return a, nil
}

// decodeSimImage decodes a base64 image (a data: URL prefix is allowed, as
// the browser's FileReader makes one) and accepts only JPEG and PNG, the
// formats WeChat delivers.
func decodeSimImage(b64 string) ([]byte, error) {
	if rest, ok := strings.CutPrefix(b64, "data:"); ok {
		_, data, found := strings.Cut(rest, ",")
		if !found {
			return nil, refundbot.Errorf(refundbot.EINVALID, "image_base64 is a data URL without data")
		}
		b64 = data
	}
	if b64 == "" {
		return nil, refundbot.Errorf(refundbot.EINVALID, "image_base64 is required")
	}
	// Refuse before decoding, so a huge body costs no second copy.
	if base64.StdEncoding.DecodedLen(len(b64)) > maxSimImageBytes+2 {
		return nil, refundbot.Errorf(refundbot.EINVALID, "image is larger than 10 MiB")
	}
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, &refundbot.Error{Code: refundbot.EINVALID, Message: "image_base64 is not valid base64", Err: err}
	}
	if len(data) > maxSimImageBytes {
		return nil, refundbot.Errorf(refundbot.EINVALID, "image is larger than 10 MiB")
	}
	switch http.DetectContentType(data) {
	case "image/jpeg", "image/png":
	default:
		return nil, refundbot.Errorf(refundbot.EINVALID, "image must be JPEG or PNG")
	}
	return data, nil
}

func simImageName(data []byte) string {
	if http.DetectContentType(data) == "image/png" {
		return "simulator.png"
	}
	return "simulator.jpg"
}

// simulateMessage pushes one buyer action through the real webhook and
// returns the bot's passive reply.
func (s *Server) simulateMessage(c echo.Context) error {
	if s.Simulator == nil {
		return refundbot.Errorf(refundbot.EUNAVAILABLE, "the simulator is not configured")
	}
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, maxSimBodyBytes+1))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "cannot read request body").SetInternal(err)
	}
	if len(body) > maxSimBodyBytes {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "body is too large")
	}
	a, err := parseSimRequest(body)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), simTimeout)
	defer cancel()
	if a.image != nil {
		if s.UploadMedia == nil {
			return refundbot.Errorf(refundbot.EINVALID, "图片模拟仅在开发模式可用")
		}
		id, err := s.UploadMedia(ctx, a.image, simImageName(a.image))
		if err != nil {
			return &refundbot.Error{Code: refundbot.EUNAVAILABLE, Message: "图片上传失败", Err: fmt.Errorf("simulator upload: %w", err)}
		}
		a.msg.MediaID = id
	}
	rep, err := s.Simulator.Send(ctx, a.openid, a.msg)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return &refundbot.Error{Code: refundbot.EUNAVAILABLE, Message: "机器人没有按时回答", Err: err}
		}
		return &refundbot.Error{Code: refundbot.EUNAVAILABLE, Message: "模拟消息发送失败", Err: fmt.Errorf("simulator send: %w", err)}
	}
	return c.JSON(http.StatusOK, map[string]simReplyJSON{"reply": {Text: rep.Text, Transfer: rep.Transfer}})
}

// transcript returns a buyer's recent messages in both directions, oldest
// first; the simulator polls it for replies sent after the passive one.
func (s *Server) transcript(c echo.Context) error {
	openid := c.Param("openid")
	if !openIDPattern.MatchString(openid) {
		return refundbot.Errorf(refundbot.EINVALID, "openid must be 1 to 64 letters, digits, _ or -")
	}
	limit, err := kbIntParam(c, "limit", 100)
	if err != nil {
		return err
	}
	lines, err := s.Conversations.Transcripts.Lines(c.Request().Context(), refundbot.BuyerID(openid), min(limit, maxTranscriptLimit))
	if err != nil {
		return err
	}
	if lines == nil {
		lines = []refundbot.TranscriptLine{}
	}
	return c.JSON(http.StatusOK, map[string]any{"transcript": lines})
}
