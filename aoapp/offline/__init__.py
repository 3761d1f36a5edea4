"""Work that survives no signal: the installable web app, its offline queue, idempotent sends."""
