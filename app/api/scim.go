package api

import "github.com/gofiber/fiber/v2"

func (a *API) mountSCIM(r fiber.Router) {}
