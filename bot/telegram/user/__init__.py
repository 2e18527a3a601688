"""The user side of the Telegram bot: private chats with firms, chambers and universities."""
