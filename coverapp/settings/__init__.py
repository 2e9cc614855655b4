"""Settings: `base` (development defaults), `test`, `production`; `env` reads the environment."""
