// Command bare serves one file's bytes at every path with Fiber and nothing
// else. bench/run.sh loads it beside Frontline with the very page Frontline
// rendered, so the difference between the two is the app's own work per
// request (session, queries, template), not Fiber's, wrk's or the kernel's.
// It is a benchmark baseline only: it must stay free of any app logic.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"time"

	"github.com/gofiber/fiber/v2"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on; port 0 picks a free one")
	file := flag.String("file", "", "file whose bytes every request gets")
	ctype := flag.String("type", "text/html; charset=utf-8", "Content-Type of the response")
	flag.Parse()
	body, err := os.ReadFile(*file)
	if err != nil {
		log.Fatalf("bare: %v", err)
	}
	// The same server settings as app/web, so only the handler differs.
	app := fiber.New(fiber.Config{DisableStartupMessage: true, ReadTimeout: 15 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second})
	app.Use(func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, *ctype)
		return c.Send(body)
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("bare: %v", err)
	}
	fmt.Println(ln.Addr()) // the caller learns the port from this line
	if err := app.Listener(ln); err != nil {
		log.Fatalf("bare: %v", err)
	}
}
