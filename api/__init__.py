"""What both transports share at the HTTP level: app keys and middlewares."""
