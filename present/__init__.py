"""Presenter mode and board packs: decks of views, drawn as slides from their own parameters."""
