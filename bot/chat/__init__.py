"""The terminal front end (`kume chat`): the questionnaire without Telegram."""
