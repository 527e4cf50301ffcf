package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/refundbot/refundbot"
	"github.com/refundbot/refundbot/knowledge"
)

// RegisterKnowledgeRoutes mounts the knowledge API on g (the operator
// group, /api/v1, already authenticated). Reads are open to everyone the
// group lets in; writes also pass canWrite, which refuses support agents
// with 403. actor names the caller for the version history.
//
//	GET    /knowledge                  {"version", "entries"}
//	PUT    /knowledge                  {"entries": [...]} replaces all (all or nothing)
//	GET    /knowledge/search?q=&k=5    {"best": {"id","score"}|null, "results": [...]}
//	POST   /knowledge/entries          one Entry → 201 {"version", "entry"}
//	GET    /knowledge/entries/:id      Entry
//	PUT    /knowledge/entries/:id      Entry → {"version", "entry"}
//	DELETE /knowledge/entries/:id      {"version"}
//	GET    /knowledge/history          {"versions": [...]}, newest first
//	POST   /knowledge/rollback         {"version": n} → {"version"}
//	GET    /knowledge/export           the entries as a JSON file
//	POST   /knowledge/import?format=   json|yaml|csv body (or by Content-Type) replaces all
//	GET    /knowledge/unanswered?limit=50 {"questions": [{"question","count"}]}
//
// Errors are *refundbot.Error (EINVALID, ENOTFOUND, ECONFLICT) for the
// central error handler, or echo.HTTPError 400 for a body that is not JSON.
func RegisterKnowledgeRoutes(g *echo.Group, kb *knowledge.Base, canWrite echo.MiddlewareFunc, actor func(echo.Context) string) {
	h := &knowledgeHandlers{kb: kb, actor: actor}
	g.GET("/knowledge", h.list)
	g.PUT("/knowledge", h.replace, canWrite)
	g.GET("/knowledge/search", h.search)
	g.POST("/knowledge/entries", h.create, canWrite)
	g.GET("/knowledge/entries/:id", h.get)
	g.PUT("/knowledge/entries/:id", h.update, canWrite)
	g.DELETE("/knowledge/entries/:id", h.delete, canWrite)
	g.GET("/knowledge/history", h.history)
	g.POST("/knowledge/rollback", h.rollback, canWrite)
	g.GET("/knowledge/export", h.export)
	g.POST("/knowledge/import", h.importFile, canWrite)
	g.GET("/knowledge/unanswered", h.unanswered)
}

type knowledgeHandlers struct {
	kb    *knowledge.Base
	actor func(echo.Context) string
}

type kbEntriesBody struct {
	Entries *[]refundbot.Entry `json:"entries"`
}

type kbVersionBody struct {
	Version knowledge.Version  `json:"version"`
	Entry   *refundbot.Entry   `json:"entry,omitempty"`
	Entries *[]refundbot.Entry `json:"entries,omitempty"`
}

func (h *knowledgeHandlers) list(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]any{"version": h.kb.Version(), "entries": h.kb.List()})
}

func (h *knowledgeHandlers) replace(c echo.Context) error {
	var body kbEntriesBody
	if err := kbDecodeJSON(c, &body); err != nil {
		return err
	}
	if body.Entries == nil {
		return refundbot.Errorf(refundbot.EINVALID, `body must be {"entries": [...]}`)
	}
	v, err := h.kb.ReplaceAll(c.Request().Context(), *body.Entries, h.actor(c), "replaced through the API")
	if err != nil {
		return err
	}
	entries := h.kb.List()
	return c.JSON(http.StatusOK, kbVersionBody{Version: v, Entries: &entries})
}

type kbSearchHit struct {
	ID       string  `json:"id"`
	Score    float64 `json:"score"`
	Question string  `json:"question"`
	Answer   string  `json:"answer"`
}

type kbSearchBest struct {
	ID    string  `json:"id"`
	Score float64 `json:"score"`
}

func (h *knowledgeHandlers) search(c echo.Context) error {
	q := strings.TrimSpace(c.QueryParam("q"))
	if q == "" {
		return refundbot.Errorf(refundbot.EINVALID, "q is required")
	}
	k, err := kbIntParam(c, "k", knowledge.DefaultK)
	if err != nil {
		return err
	}
	res, err := h.kb.Search(c.Request().Context(), q, k)
	if err != nil {
		return err
	}
	out := struct {
		Best    *kbSearchBest `json:"best"`
		Results []kbSearchHit `json:"results"`
	}{Results: make([]kbSearchHit, 0, len(res.Results))}
	if res.Best != nil {
		out.Best = &kbSearchBest{ID: res.Best.Entry.ID, Score: kbRound4(res.Best.Score)}
	}
	for _, m := range res.Results {
		out.Results = append(out.Results, kbSearchHit{ID: m.Entry.ID, Score: kbRound4(m.Score), Question: m.Entry.Question, Answer: m.Entry.Answer})
	}
	return c.JSON(http.StatusOK, out)
}

func kbRound4(f float64) float64 { return math.Round(f*10000) / 10000 }

func (h *knowledgeHandlers) create(c echo.Context) error {
	var e refundbot.Entry
	if err := kbDecodeJSON(c, &e); err != nil {
		return err
	}
	v, err := h.kb.Create(c.Request().Context(), e, h.actor(c))
	if err != nil {
		return err
	}
	saved, err := h.kb.Get(e.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, kbVersionBody{Version: v, Entry: &saved})
}

func (h *knowledgeHandlers) get(c echo.Context) error {
	e, err := h.kb.Get(c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, e)
}

func (h *knowledgeHandlers) update(c echo.Context) error {
	var e refundbot.Entry
	if err := kbDecodeJSON(c, &e); err != nil {
		return err
	}
	id := c.Param("id")
	v, err := h.kb.Update(c.Request().Context(), id, e, h.actor(c))
	if err != nil {
		return err
	}
	saved, err := h.kb.Get(id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, kbVersionBody{Version: v, Entry: &saved})
}

func (h *knowledgeHandlers) delete(c echo.Context) error {
	v, err := h.kb.Delete(c.Request().Context(), c.Param("id"), h.actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, kbVersionBody{Version: v})
}

func (h *knowledgeHandlers) history(c echo.Context) error {
	vs, err := h.kb.History(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"versions": vs})
}

func (h *knowledgeHandlers) rollback(c echo.Context) error {
	var body struct {
		Version int `json:"version"`
	}
	if err := kbDecodeJSON(c, &body); err != nil {
		return err
	}
	if body.Version <= 0 {
		return refundbot.Errorf(refundbot.EINVALID, "version must be a positive number")
	}
	v, err := h.kb.Rollback(c.Request().Context(), body.Version, h.actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, kbVersionBody{Version: v})
}

func (h *knowledgeHandlers) export(c echo.Context) error {
	b, err := h.kb.Export()
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="knowledge-v%d.json"`, h.kb.Version()))
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSONCharsetUTF8, b)
}

// importFile takes the file as the raw body. The format comes from ?format=
// or, failing that, from the Content-Type.
func (h *knowledgeHandlers) importFile(c echo.Context) error {
	format := strings.ToLower(c.QueryParam("format"))
	if format == "" {
		format = kbFormatFromContentType(c.Request().Header.Get(echo.HeaderContentType))
	}
	if format == "" {
		return refundbot.Errorf(refundbot.EINVALID, "say the format: ?format=json, yaml or csv")
	}
	data, err := kbReadBody(c)
	if err != nil {
		return err
	}
	v, err := h.kb.Import(c.Request().Context(), format, data, h.actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, kbVersionBody{Version: v})
}

func kbFormatFromContentType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return ""
	}
	switch mt {
	case "application/json":
		return knowledge.FormatJSON
	case "text/csv":
		return knowledge.FormatCSV
	case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml":
		return knowledge.FormatYAML
	}
	return ""
}

func (h *knowledgeHandlers) unanswered(c echo.Context) error {
	limit, err := kbIntParam(c, "limit", 50)
	if err != nil {
		return err
	}
	qs, err := h.kb.Unanswered(c.Request().Context(), min(max(limit, 1), 1000))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"questions": qs})
}

func kbIntParam(c echo.Context, name string, def int) (int, error) {
	s := c.QueryParam(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, refundbot.Errorf(refundbot.EINVALID, "%s must be a positive whole number", name)
	}
	return n, nil
}

// kbReadBody reads at most knowledge.MaxImportBytes of the request body.
func kbReadBody(c echo.Context) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(c.Request().Body, knowledge.MaxImportBytes+1))
	if err != nil {
		return nil, echo.NewHTTPError(http.StatusBadRequest, "cannot read request body").SetInternal(err)
	}
	if len(b) > knowledge.MaxImportBytes {
		return nil, echo.NewHTTPError(http.StatusRequestEntityTooLarge, fmt.Sprintf("body is larger than %d bytes", knowledge.MaxImportBytes))
	}
	return b, nil
}

// kbDecodeJSON reads a JSON body into v; a body that is not JSON (or has
// more than one value) is a 400, unlike a well-formed body with bad
// content, which the knowledge package rejects with EINVALID (422).
func kbDecodeJSON(c echo.Context, v any) error {
	b, err := kbReadBody(c)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return &refundbot.Error{Code: refundbot.EINVALID, Message: fmt.Sprintf("field %q has the wrong type", typeErr.Field), Err: err}
		}
		return echo.NewHTTPError(http.StatusBadRequest, "body is not valid JSON").SetInternal(err)
	}
	if dec.More() {
		return echo.NewHTTPError(http.StatusBadRequest, "body has more than one JSON value")
	}
	return nil
}
