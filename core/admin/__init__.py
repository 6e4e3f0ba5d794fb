"""The admin machinery every content model's admin shares; no domain code.

content.py (ContentAdmin, the base), conflicts.py (edit-conflict protection), deletion.py
(deletion refusals), history.py (history, compare, revert and recover).
"""
