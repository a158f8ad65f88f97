# A notice's id in a URL: a canonical UUID, so that a malformed one does not resolve (404).
UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
