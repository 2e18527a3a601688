"""The python-telegram-bot front end: `app.build_application(settings)` assembles it.

Heavy imports stay in the submodules so that `import bot.telegram.html` is cheap.
"""
