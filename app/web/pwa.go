package web

import (
	"github.com/gofiber/fiber/v2"
)

// serviceWorker sends static/sw.js from the root, so its scope is the whole
// site. Browsers look for a new one on every navigation when it is not
// cached, so a deploy reaches installed apps at once.
func serviceWorker(c *fiber.Ctx) error {
	b, err := staticFS.ReadFile("static/sw.js")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/javascript; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.Send(b)
}

// manifest sends the web app manifest that makes Frontline installable.
func manifest(c *fiber.Ctx) error {
	b, err := staticFS.ReadFile("static/manifest.webmanifest")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/manifest+json")
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	return c.Send(b)
}

// prefetched reports whether the service worker asked for a page to keep it
// for offline reading, not because the person opened it.
func prefetched(c *fiber.Ctx) bool { return c.Get("Frontline-Prefetch") == "1" }
