"""Views of missions: console pages (``console``, ``actions``) and the person's link page."""
