"""A fake Telegram Bot API server and a scripted-user harness for end-to-end bot tests.

from tests.fakebot.harness import running_bot
async with running_bot(tmp_path) as h:
    user = h.user(1001)
    await user.send("/start site")
    msg = await user.expect_text(contains="Hoş geldiniz")
    await user.press("✅ Birliktelik uygun mu?")
"""
