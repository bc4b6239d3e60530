# "19 ноября 2024" (the month in the genitive, E), without Django's "г.".
DATE_FORMAT = "j E Y"
YEAR_MONTH_FORMAT = "F Y"
