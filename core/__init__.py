"""Shared helpers with no domain code; every app may import them, they import no app."""
