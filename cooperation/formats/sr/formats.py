# "19. новембар 2024." — Django's own Serbian formats; stated here so that the site's date is one place.
DATE_FORMAT = "j. F Y."
YEAR_MONTH_FORMAT = "F Y."
