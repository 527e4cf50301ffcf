package handlers

import (
	"crypto/subtle"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/refundbot/refundbot"
)

// Role is what a bearer token may do.
type Role string

const (
	RoleOperator Role = "operator" // ADMIN_TOKEN: everything
	RoleAgent    Role = "agent"    // AGENT_TOKENS: support queue, read-only knowledge
)

// Principal is who made a request; it goes into audit records.
type Principal struct {
	Name string
	Role Role
}

const principalKey = "principal"

// Tokens maps bearer tokens to principals.
type Tokens struct {
	Admin  string
	Agents map[string]string // token -> agent name
}

func (t Tokens) lookup(token string) (Principal, bool) {
	if token == "" {
		return Principal{}, false
	}
	if t.Admin != "" && subtle.ConstantTimeCompare([]byte(token), []byte(t.Admin)) == 1 {
		return Principal{Name: "admin", Role: RoleOperator}, true
	}
	for tok, name := range t.Agents {
		if subtle.ConstantTimeCompare([]byte(token), []byte(tok)) == 1 {
			return Principal{Name: name, Role: RoleAgent}, true
		}
	}
	return Principal{}, false
}

// requireToken lets through requests with a known bearer token.
func requireToken(t Tokens) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Request().Header.Get(echo.HeaderAuthorization)
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				return refundbot.Errorf(refundbot.EUNAUTHORIZED, "missing bearer token")
			}
			p, ok := t.lookup(strings.TrimSpace(token))
			if !ok {
				return refundbot.Errorf(refundbot.EUNAUTHORIZED, "unknown token")
			}
			c.Set(principalKey, p)
			return next(c)
		}
	}
}

// requireOperator refuses agents: they may not change the knowledge base.
func requireOperator(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if principal(c).Role != RoleOperator {
			return refundbot.Errorf(refundbot.EFORBIDDEN, "operators only")
		}
		return next(c)
	}
}

func principal(c echo.Context) Principal {
	p, _ := c.Get(principalKey).(Principal)
	return p
}

func actor(c echo.Context) string { return principal(c).Name }
