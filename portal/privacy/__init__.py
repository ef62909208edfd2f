"""A member's access and erasure requests, data retention, and backups."""
