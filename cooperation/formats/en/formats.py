# The site's English dates: "19 November 2024" (Django's English default is "Nov. 19, 2024").
DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
