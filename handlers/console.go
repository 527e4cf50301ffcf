package handlers

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// The web console: plain HTML, CSS and JavaScript modules embedded in the
// binary, so it works offline with no build step. It only calls the JSON
// API under /api/v1 with the bearer token the person signs in with.

//go:embed console
var consoleFiles embed.FS

// consoleCSP allows nothing but the console's own files and API: no inline
// script, no third-party origin. Images may be data:/blob: URLs because the
// simulator previews photos before sending them.
const consoleCSP = "default-src 'self'; img-src 'self' data: blob:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// consoleTypes names the content types of the console's files, rather than
// trusting the host's mime.types.
var consoleTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".ico":  "image/x-icon",
}

type consoleAsset struct {
	body  []byte
	ctype string
	etag  string
}

// loadConsole reads every console file once; the ETag is the content hash,
// because embedded files have no modification time to revalidate by.
func loadConsole(files fs.FS) (map[string]consoleAsset, error) {
	assets := map[string]consoleAsset{}
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ctype, ok := consoleTypes[path.Ext(p)]
		if !ok {
			return nil
		}
		b, err := fs.ReadFile(files, p)
		if err != nil {
			return fmt.Errorf("console: %w", err)
		}
		sum := sha256.Sum256(b)
		assets[p] = consoleAsset{body: b, ctype: ctype, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	return assets, err
}

func (s *Server) consoleRoutes(e *echo.Echo) {
	sub, err := fs.Sub(consoleFiles, "console")
	if err != nil {
		panic(fmt.Sprintf("console: %v", err)) // the embed directive guarantees the directory
	}
	assets, err := loadConsole(sub)
	if err != nil {
		panic(err.Error())
	}
	e.GET("/console", func(c echo.Context) error {
		return c.Redirect(http.StatusMovedPermanently, "/console/")
	})
	serve := func(c echo.Context) error {
		name := strings.TrimPrefix(c.Param("*"), "/")
		if name == "" {
			name = "index.html"
		}
		a, ok := assets[name]
		if !ok {
			return echo.NewHTTPError(http.StatusNotFound, "no such console file")
		}
		h := c.Response().Header()
		h.Set(echo.HeaderContentType, a.ctype)
		h.Set("ETag", a.etag)
		// Revalidate every time: a new binary brings new files under the
		// same names, and a 304 costs almost nothing.
		h.Set("Cache-Control", "no-cache")
		h.Set("Content-Security-Policy", consoleCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		http.ServeContent(c.Response(), c.Request(), name, time.Time{}, bytes.NewReader(a.body))
		return nil
	}
	e.GET("/console/*", serve)
	e.HEAD("/console/*", serve)
}
