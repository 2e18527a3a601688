"""Leads: firms that asked a Knowledge Centre to contact them (store, export, progress).

Submodules are imported directly (`from bot.leads.backend import open_store`) so that importing
the package stays cheap; openpyxl is only loaded by an xlsx export.
"""
