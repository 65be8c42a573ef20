package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/frontline-lms/frontline/app/store"
)

// MaxImageBytes is the largest image a trainer may upload: a bigger one is a
// 413 naming the limit. The request body limit (FRONTLINE_BODY_LIMIT) is set
// above it by default, so that an image a little too large is read and
// answered here: a body over that limit is refused unread, and closing a
// socket with unread bytes can reset it before the client reads the 413.
const MaxImageBytes = 1 << 20

// imageTypes are the image types lessons may show, by the type the bytes
// say they are (never the file name), with the extension of their URL. SVG
// is not among them: it can carry script.
var imageTypes = map[string]string{"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}

// trainerImageUpload stores an image in the database and answers with its
// URL and the Markdown to paste into a lesson.
func (s *Server) trainerImageUpload(c *fiber.Ctx) error {
	fh, err := c.FormFile("image")
	if err != nil {
		return badRequest{"Choose an image to upload."}
	}
	if fh.Size > MaxImageBytes {
		return fiber.ErrRequestEntityTooLarge // handleError names the limit (tooLarge)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxImageBytes+1))
	f.Close()
	if err != nil {
		return err
	}
	if len(data) > MaxImageBytes {
		return fiber.ErrRequestEntityTooLarge
	}
	ctype := http.DetectContentType(data)
	ext, ok := imageTypes[ctype]
	if !ok || len(data) == 0 {
		return badRequest{"Only PNG, JPEG, WebP and GIF images can be uploaded; this file is not one of them."}
	}
	sum := sha256.Sum256(data)
	m := &store.Media{Hash: hex.EncodeToString(sum[:]), ContentType: ctype, Size: len(data), Data: data,
		CreatedAt: s.Now(), CreatedBy: trainerActor(c)}
	if err := s.Store.SaveMedia(ctx(c), m); err != nil {
		return err
	}
	url := "/media/" + m.Hash + "." + ext
	alt := strings.NewReplacer("[", "", "]", "", "\n", " ").Replace(strings.TrimSpace(clone(c.FormValue("alt"))))
	if alt == "" {
		alt = "Describe the image"
	}
	return c.JSON(fiber.Map{"url": url, "markdown": "![" + alt + "](" + url + ")", "type": ctype, "size": len(data)})
}

var mediaNameRE = regexp.MustCompile(`^([0-9a-f]{64})\.(png|jpg|gif|webp)$`)

// mediaShow serves a stored image. Its URL names its content, so it never
// changes: browsers may keep it for a year without asking again.
func (s *Server) mediaShow(c *fiber.Ctx) error {
	m := mediaNameRE.FindStringSubmatch(c.Params("name"))
	if m == nil {
		return fiber.ErrNotFound
	}
	if c.Get(fiber.HeaderIfNoneMatch) == `"`+m[1]+`"` {
		return c.SendStatus(fiber.StatusNotModified)
	}
	img, err := s.Store.MediaByHash(ctx(c), m[1])
	if err != nil {
		return err
	}
	if imageTypes[img.ContentType] != m[2] {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, img.ContentType)
	c.Set(fiber.HeaderCacheControl, "private, max-age=31536000, immutable")
	c.Set(fiber.HeaderETag, `"`+img.Hash+`"`)
	c.Set(fiber.HeaderContentDisposition, "inline")
	return c.Send(img.Data)
}
