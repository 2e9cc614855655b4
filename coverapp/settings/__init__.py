"""Settings modules: `base` (development defaults), `test`, `production`; `env` reads the environment."""
