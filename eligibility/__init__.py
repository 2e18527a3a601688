"""Küme Asistanı knowledge core: content loading, rules, budget, text matching, questionnaire.

Pure Python with no Telegram dependency, so any front end (terminal, bot, site) can use it.
"""
