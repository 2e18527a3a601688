"""The staff side of the Telegram bot: Knowledge Centre staff following up leads."""
