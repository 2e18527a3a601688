"""What the tests and the bot benchmark share: the fake Telegram Bot API server
(fake_bot_api.py), scripted users driving the real Application over real HTTP
(harness.py), walks through the questionnaire derived from content/questionnaire.yaml
(walks.py), and helper processes for the fault tests (store_writer.py,
cli_status_loop.py).

    async with running_bot(tmp_path) as h:
        user = h.user(1001)
        await user.send("/start site")
        msg = await user.expect_text(contains="Hoş geldiniz")
"""
