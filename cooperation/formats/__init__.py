"""Dates and numbers per language (settings.FORMAT_MODULE_PATH): only what differs from Django's
own formats, or what Django lacks (Kazakh). DATE_FORMAT is the one long date of the site
("19 November 2024", "19 ноября 2024", "19. новембар 2024.", "2024 жылғы 19 қараша"); templates
and tracker/dates.py use it by name rather than a fixed "j F Y"."""
